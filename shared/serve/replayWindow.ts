/**
 * The replay window: a signed request is accepted once. A signature is
 * remembered until its X-Amz-Date leaves the skew window (after which the
 * date check refuses it anyway), so a captured request cannot be sent again.
 * AWS SDKs sign a fresh invocation id (and the attempt number) into every
 * request, so their calls and retries never repeat a signature.
 *
 * Memory is bounded: at most `capacity` signatures, 128 bits of each kept as
 * a 16-character string of its own (about 100 bytes an entry: 100,000 entries,
 * five minutes at over 300 requests a second, fit in 10 MB). When full, the
 * entries closest to expiry go first, and the window reports how many it had
 * to drop early, so an operator can see when the bound bites.
 */
export class ReplayWindow {
  /** Truncated signature → expiry (ms). Insertion order is close to expiry order: dates move forward. */
  private readonly seen = new Map<string, number>();
  droppedEarly = 0;

  constructor(
    private readonly windowMs: number,
    private readonly capacity = 100_000,
  ) {}

  /** True the first time a signature is offered within its window; false for a replay. */
  admit(signature: string, signedAt: number, now: number): boolean {
    this.expire(now);
    // Not signature.slice(): a slice would keep the whole 64-character string alive.
    const key = Buffer.from(signature.slice(0, 32), 'hex').toString('latin1');
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
      this.droppedEarly++;
    }
    this.seen.set(key, Math.max(signedAt, now) + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    for (const [k, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(k);
    }
  }
}
