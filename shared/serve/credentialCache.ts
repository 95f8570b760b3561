/**
 * The secrets of the access keys `hush serve` has seen, in memory, so a
 * signature check costs an HMAC and not a store transaction and a
 * decryption. A key is opened from the store (an audited operation) the
 * first time it signs a request. When the store changes (another process
 * revoked a key, say), `refresh` re-reads which keys are live and forgets
 * the others at once; the server calls it from the store's change watch.
 *
 * Ids that are not keys are remembered as unknown for a few seconds (and
 * forgotten on any change), so a client sending junk ids costs one lookup,
 * not one per request.
 */
import { Credentials, isAccessKeyId } from './credentials';

export interface KnownKey {
  name: string;
  secret: Buffer;
}

const UNKNOWN_TTL_MS = 5_000;
const MAX_UNKNOWN = 10_000;

export class CredentialCache {
  private readonly live = new Map<string, KnownKey>();
  private readonly unknown = new Map<string, number>();
  private readonly opening = new Map<string, Promise<KnownKey | undefined>>();
  /** Bumped by every refresh: a lookup that began before one does not fill the cache. */
  private generation = 0;

  constructor(
    private readonly credentials: Credentials,
    private readonly clock: () => number = Date.now,
  ) {}

  async lookup(accessKeyId: string): Promise<KnownKey | undefined> {
    if (!isAccessKeyId(accessKeyId)) return undefined;
    const hit = this.live.get(accessKeyId);
    if (hit) return hit;
    const until = this.unknown.get(accessKeyId);
    if (until !== undefined && until > this.clock()) return undefined;
    const pending = this.opening.get(accessKeyId);
    if (pending) return pending;
    const gen = this.generation;
    const p = this.credentials
      .open(accessKeyId)
      .then((r) => {
        const known = r ? { name: r.credential.name, secret: r.secret } : undefined;
        if (gen === this.generation) {
          if (known) this.live.set(accessKeyId, known);
          else this.rememberUnknown(accessKeyId);
        }
        return known;
      })
      .finally(() => this.opening.delete(accessKeyId));
    this.opening.set(accessKeyId, p);
    return p;
  }

  private rememberUnknown(id: string): void {
    if (this.unknown.size >= MAX_UNKNOWN) this.unknown.clear();
    this.unknown.set(id, this.clock() + UNKNOWN_TTL_MS);
  }

  /** Forgets keys that are no longer live in the store (revoked, or gone), and every unknown id. */
  async refresh(): Promise<void> {
    this.generation++;
    this.unknown.clear();
    if (!this.live.size) return;
    const live = new Set((await this.credentials.list()).filter((c) => !c.revokedAt).map((c) => c.accessKeyId));
    for (const [id, k] of this.live) {
      if (live.has(id)) continue;
      k.secret.fill(0);
      this.live.delete(id);
    }
  }

  get size(): number {
    return this.live.size;
  }

  clear(): void {
    for (const k of this.live.values()) k.secret.fill(0);
    this.live.clear();
    this.unknown.clear();
    this.generation++;
  }
}
