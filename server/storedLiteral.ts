/**
 * "Which stored secret, if any, holds this literal?", answered from the
 * known-secret index the server keeps (server/knownSecrets.ts): keyed
 * fingerprints of the CURRENT values, never the values. Used by the move, so
 * a literal already in the store becomes a lookup of that secret instead of
 * a second copy.
 */
import { keyedFingerprint, type KnownSecretIndex } from '../shared/detect/knownSecrets';

export function storedSecretHolding(index: KnownSecretIndex | undefined, literal: string): string | undefined {
  if (!index || !index.lengths.has(literal.length)) return undefined;
  return index.names.get(keyedFingerprint(index.key, literal));
}
