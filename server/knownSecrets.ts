/**
 * "This literal is the secret db/prod/password": once the store is open, the
 * server keeps keyed fingerprints of every secret's CURRENT value, so a
 * literal equal to a stored secret is flagged even when no rule knows its
 * format. The HMAC key is random per server session and lives in memory only,
 * like the index: neither is ever written anywhere, so nothing in them can be
 * tested offline against guesses.
 */
import { randomBytes } from 'node:crypto';
import { buildKnownSecretIndex, KnownSecretIndex } from '../shared/detect/knownSecrets';
import type { SecretsManager } from '../shared/secrets/secretsManager';

export class KnownSecrets {
  private readonly key = randomBytes(32);
  /** The current index; undefined until the store was opened. */
  index: KnownSecretIndex | undefined;
  private generation = 0;

  /** Re-reads every live secret's CURRENT value, fingerprints it and drops the value. */
  async rebuild(m: SecretsManager): Promise<void> {
    const mine = ++this.generation;
    const pairs: { name: string; value: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await m.listSecrets({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
      for (const s of page.secrets) {
        try {
          const v = await m.getSecretValue(s.name);
          if (v.secretString !== undefined) pairs.push({ name: s.name, value: v.secretString });
          else v.secretBinary?.fill(0);
        } catch {
          // No value yet, or its key is disabled: nothing to match against.
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (mine === this.generation) this.index = buildKnownSecretIndex(this.key, pairs);
  }
}
