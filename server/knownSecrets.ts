/**
 * "This literal is the secret db/prod/password": once the store is open, the
 * server knows the keyed fingerprint of every secret's CURRENT value, so a
 * literal equal to a stored secret is flagged even when no rule knows its
 * format. Fingerprints are computed by the core when a version is written
 * and read back here without decrypting anything (one audited listing per
 * store change, not one read per secret).
 *
 * Versions written before fingerprints existed have none: `missing` counts
 * them, and the user fills them once with an explicit, audited step
 * (SecretsManager.fillFingerprints: the *Hush: Index Stored Secrets* command
 * or `hush secrets fingerprint`).
 */
import type { KnownSecretIndex } from '../shared/detect/knownSecrets';
import { MIN_LENGTH } from '../shared/detect/knownSecrets';
import type { SecretsManager } from '../shared/secrets/secretsManager';

export class KnownSecrets {
  /** The current index; undefined until the store was opened. */
  index: KnownSecretIndex | undefined;
  /** CURRENT string versions without a fingerprint (from before they existed). */
  missing = 0;
  private generation = 0;

  async rebuild(m: SecretsManager): Promise<void> {
    const mine = ++this.generation;
    const { entries, missing } = await m.listFingerprints();
    if (mine !== this.generation) return;
    const names = new Map<string, string>();
    const lengths = new Set<number>();
    for (const e of entries) {
      if (e.valueLength < MIN_LENGTH) continue; // too short to match literals without noise
      names.set(e.fingerprint, e.name);
      lengths.add(e.valueLength);
    }
    this.missing = missing;
    this.index = { fingerprint: (v) => m.fingerprint(v), names, lengths };
  }
}
