/**
 * The freshness anchor: the newest state of a store this user has seen
 * (the data history's counter and chain head, the audit chain's head, the
 * header's digest), kept where someone who can write the store cannot roll it
 * back along with the store: next to the root key (the OS keychain entry, or a
 * file in the user's config folder for HUSH_MASTER_KEY / HUSH_PASSPHRASE
 * stores), and MAC'd under a key derived from the root key, so it cannot be
 * forged either. A store found behind its anchor was truncated or rolled back.
 *
 * The rule that keeps it honest: the anchor is written only after what it
 * names is durable in the store, and only under the store's writer lock. A
 * crash between the two writes leaves the anchor behind the store (the next
 * open moves it up), never ahead. Nothing here is specific to the file store:
 * a team store keeps "the last state this member saw" the same way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HushError } from '../errors';
import type { AuditAnchor } from '../audit/auditLog';
import { deriveKey } from '../crypto/aead';

export interface StoreHead {
  /** Transactions in the data history (never decreases, survives compaction). */
  n: number;
  /** The data history's chain head at transaction n (hex); '' at n = 0. */
  data: string;
  /** The audit chain's head. */
  audit?: AuditAnchor;
  /** Digests of the headers the store may have (two only while a passphrase change is under way). */
  header?: string[];
}

/** Where an anchor lives. `read` returns every stored copy; the newest valid one wins. */
export interface AnchorStorage {
  /** For messages: a file path, or the keychain entry. */
  readonly where: string;
  read(): Promise<string[]>;
  /** 2 when writes alternate between two copies (then the counter is re-read before each write). */
  readonly slots?: number;
  /** `counter` grows by one on every write (a storage with two slots picks the slot with it). */
  write(value: string, counter: number): Promise<void>;
  close?(): void;
}

interface Sealed {
  v: 1;
  store: string;
  c: number;
  head: StoreHead;
  mac: string;
}

export class FreshnessAnchor {
  private readonly key: Buffer;
  private counter = 0;

  constructor(
    private readonly storage: AnchorStorage,
    rootKey: Uint8Array,
    private readonly storeId: string,
  ) {
    this.key = deriveKey(rootKey, storeId, 'freshness-anchor');
  }

  get where(): string {
    return this.storage.where;
  }

  private macOf(c: number, head: StoreHead): string {
    return createHmac('sha256', this.key).update(JSON.stringify(['hush/anchor/v1', this.storeId, c, head])).digest('hex');
  }

  /** The newest valid copy, or undefined when there is none yet; a copy that fails its MAC is an error. */
  async load(): Promise<StoreHead | undefined> {
    const copies = await this.storage.read();
    let best: Sealed | undefined;
    let bad = 0;
    for (const raw of copies) {
      let s: Sealed;
      try {
        s = JSON.parse(raw) as Sealed;
      } catch {
        bad++;
        continue;
      }
      if (s?.v !== 1 || s.store !== this.storeId || typeof s.c !== 'number' || typeof s.mac !== 'string' || !s.head) {
        bad++;
        continue;
      }
      const want = Buffer.from(this.macOf(s.c, s.head), 'utf8');
      const got = Buffer.from(s.mac, 'utf8');
      if (want.length !== got.length || !timingSafeEqual(want, got)) {
        bad++;
        continue;
      }
      if (!best || s.c > best.c) best = s;
    }
    if (!best && bad > 0) {
      throw new HushError(
        'AnchorUnavailable',
        `the freshness anchor of store ${this.storeId} (${this.where}) is damaged or was not made with this store's root key, so the store's freshness cannot be checked. If you trust the store as it is now, remove the anchor (${this.where}) and the next open re-anchors it`,
      );
    }
    this.counter = best?.c ?? 0;
    return best?.head;
  }

  /** Records `head`. Call only once what it names is durable, under the store's writer lock. */
  async save(head: StoreHead): Promise<void> {
    if ((this.storage.slots ?? 1) > 1) {
      // Another process may have written since we read: continue after the newest copy.
      for (const raw of await this.storage.read()) {
        try {
          const c = (JSON.parse(raw) as Sealed).c;
          if (typeof c === 'number' && c > this.counter) this.counter = c;
        } catch {
          /* a torn copy: the other slot is the newest */
        }
      }
    }
    const c = this.counter + 1;
    const sealed: Sealed = { v: 1, store: this.storeId, c, head, mac: this.macOf(c, head) };
    await this.storage.write(JSON.stringify(sealed), c);
    this.counter = c;
  }

  /** Whether a stored copy verifies under this root key (tells a damaged header from a wrong key). */
  async verifies(): Promise<boolean> {
    try {
      return (await this.load()) !== undefined;
    } catch {
      return false;
    }
  }

  close(): void {
    this.storage.close?.();
  }
}

/**
 * What is wrong when a data history at (n, headAt) is compared with its
 * anchor, or undefined when it is at or ahead of it. `file` names the history
 * in the message (store.log, a database table).
 */
export function behindAnchor(file: string, n: number, headAt: (n: number) => string | undefined, anchored: StoreHead, where: string): string | undefined {
  if (n < anchored.n) {
    return `${file} is behind its freshness anchor by ${anchored.n - n} transaction(s): it holds ${n}, the anchor (${where}) records ${anchored.n}. It was truncated or replaced by an older copy`;
  }
  const h = headAt(anchored.n);
  if (h !== undefined && h !== anchored.data) {
    return `${file} is not the history its freshness anchor (${where}) records: transaction ${anchored.n} differs. It was replaced by another copy`;
  }
  return undefined;
}

/** Whether `head` is newer than `than` in any part (the anchor needs moving up). */
export function aheadOf(head: StoreHead, than: StoreHead | undefined): boolean {
  if (!than) return true;
  return (
    head.n !== than.n ||
    head.data !== than.data ||
    (head.audit?.seq ?? 0) !== (than.audit?.seq ?? 0) ||
    (head.audit?.hash ?? '') !== (than.audit?.hash ?? '') ||
    JSON.stringify(head.header ?? []) !== JSON.stringify(than.header ?? [])
  );
}
