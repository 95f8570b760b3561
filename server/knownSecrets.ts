/**
 * "This literal is the secret db/prod/password": once the store is open, the
 * server keeps keyed fingerprints of every secret's CURRENT value, so a
 * literal equal to a stored secret is flagged even when no rule knows its
 * format. The HMAC key is random per server session and lives in memory only,
 * like the index: neither is ever written anywhere, so nothing in them can be
 * tested offline against guesses.
 *
 * Rebuilt when the store changes, reading only the secrets whose metadata
 * changed since (each read is audited; the rest reuse their fingerprint).
 */
import { randomBytes } from 'node:crypto';
import { KnownSecretIndex, keyedFingerprint, MIN_LENGTH } from '../shared/detect/knownSecrets';
import type { SecretsManager } from '../shared/secrets/secretsManager';

interface Entry {
  updatedAt: string;
  fingerprint?: string;
  length?: number;
}

export class KnownSecrets {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  /** The current index; undefined until the store was opened. */
  index: KnownSecretIndex | undefined;
  private generation = 0;

  async rebuild(m: SecretsManager): Promise<void> {
    const mine = ++this.generation;
    const live = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await m.listSecrets({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
      for (const s of page.secrets) {
        live.add(s.name);
        if (this.entries.get(s.name)?.updatedAt === s.updatedAt) continue;
        const entry: Entry = { updatedAt: s.updatedAt };
        try {
          const v = await m.getSecretValue(s.name);
          if (v.secretString !== undefined && v.secretString.length >= MIN_LENGTH) {
            entry.fingerprint = keyedFingerprint(this.key, v.secretString);
            entry.length = v.secretString.length;
          }
          v.secretBinary?.fill(0);
        } catch {
          // No value yet, or its key is disabled: nothing to match against.
        }
        this.entries.set(s.name, entry);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    for (const name of [...this.entries.keys()]) if (!live.has(name)) this.entries.delete(name);
    if (mine !== this.generation) return;
    const names = new Map<string, string>();
    const lengths = new Set<number>();
    for (const [name, e] of this.entries) {
      if (e.fingerprint === undefined || e.length === undefined) continue;
      names.set(e.fingerprint, name);
      lengths.add(e.length);
    }
    this.index = { key: this.key, names, lengths };
  }
}
