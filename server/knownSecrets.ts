/**
 * "This literal is the secret db/prod/password": once the store is open, the
 * server knows the keyed fingerprint of every secret's CURRENT value, so a
 * literal equal to a stored secret is flagged even when no rule knows its
 * format. Fingerprints are computed by the core when a version is written
 * and read back here without decrypting any value (one audited listing per
 * store change, not one read per secret).
 *
 * Versions written before fingerprints existed have none: `missing` counts
 * them, and the user fills them once with an explicit, audited step
 * (SecretsManager.fillFingerprints, `hush secrets fingerprint`).
 */
import { MIN_LENGTH, type KnownSecretIndex } from '../shared/detect/knownSecrets';
import type { SecretsManager } from '../shared/secrets/secretsManager';

export class KnownSecrets {
  /** The current index; undefined until the store was opened. */
  index: KnownSecretIndex | undefined;
  /** CURRENT string versions without a fingerprint (from before they existed). */
  missing = 0;
  private generation = 0;

  /**
   * "Which stored secret, if any, holds this literal?" (the move reuses it
   * instead of storing a second copy), from the fingerprints alone.
   */
  holding(literal: string): string | undefined {
    const index = this.index;
    if (!index || !index.lengths.has(literal.length)) return undefined;
    for (const fp of index.fingerprints(literal)) {
      const name = index.names.get(fp);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  async rebuild(m: SecretsManager): Promise<void> {
    const mine = ++this.generation;
    const { index, missing } = await m.listFingerprints();
    if (mine !== this.generation) return;
    const lengths = new Set([...index.lengths].filter((n) => n >= MIN_LENGTH)); // shorter values match too much
    this.missing = missing;
    this.index = { names: index.names, lengths, fingerprints: (v) => index.fingerprints(v) };
  }
}
