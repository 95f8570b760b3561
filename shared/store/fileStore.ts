/**
 * The embedded store: a folder with four files.
 *
 *   store.json  header (storeHeader.ts): store id, format, how the root key
 *               is found. Nothing secret.
 *   store.log   append-only log of transactions, ciphertext and metadata only
 *               (logFile.ts; format in logFraming.ts, records in storeState.ts)
 *   audit.log   append-only, hash-chained, signed audit records (auditFile.ts)
 *   store.lock  the cross-process writer lock (lockFile.ts)
 * plus its freshness anchor outside the folder, beside the root key
 * (freshnessAnchor.ts), so truncating or rolling back a file is detected.
 *
 * Why a log of our own and not an embedded database: the same code runs in
 * the CLI on the user's Node (20 here) and in the language server on the
 * editor's runtime (Electron, or code-server's Node 24). node:sqlite only
 * exists from Node 22.5, better-sqlite3 and LevelDB bindings are not N-API and
 * fail to load in one of the two runtimes, and a WASM SQLite cannot fsync or
 * share a lock with another process. What we need is small: a few thousand
 * records, one writer at a time, every acknowledged write durable and every
 * damaged or rolled-back byte detected. An append-only log with a MAC chain
 * gives that in a few small modules a reviewer can read one at a time.
 *
 * Every transaction, under the lock (group commit: the transactions waiting
 * in this process run one after another under one lock and share the syncs):
 * catch up with what other processes appended (or reload if the log was
 * compacted, i.e. replaced, and then check it against the anchor); cut a torn
 * tail only if the anchor says it was never committed; run the callers;
 * append their audit records to audit.log and fdatasync; append one frame
 * holding all their writes and fdatasync; write the anchor; only then return.
 * Compaction writes a snapshot to a temp file, fsyncs it, renames it over
 * store.log and fsyncs the folder.
 *
 * A folder this process cannot write opens read-only: reads work (they
 * cannot be recorded in its audit log), writes are refused.
 */
import { HushError } from '../errors';
import { AuditAnchor, AuditChain, AuditEvent, AuditGap } from '../audit/auditLog';
import { deriveKey } from '../crypto/aead';
import { acquireLock } from './lockFile';
import { Disk, realDisk } from './disk';
import { AuditFile } from './auditFile';
import { LogMac, ScanStop } from './logFraming';
import { LogFile } from './logFile';
import { Op, stateView } from './storeState';
import { aheadOf, behindAnchor, FreshnessAnchor, StoreHead } from './freshnessAnchor';
import { headerDigest, replaceHeader, StoreHeader } from './storeHeader';
import { checkStoreFiles, storeFiles, StoreFiles } from './storeFolder';
import type { Store, StoreTx } from './store';

export { FORMAT, ensureHeader, readHeader } from './storeHeader';
export type { StoreHeader } from './storeHeader';

export interface FileStoreOptions {
  /** Compact when the log is larger than this and twice its last snapshot. */
  compactBytes?: number;
  lockTimeoutMs?: number;
  /** Where writes go (the power-loss test records them); default node:fs. */
  disk?: Disk;
  /** The freshness anchor; without one nothing outside the folder is checked (tests of the log alone). */
  anchor?: FreshnessAnchor;
  /** Open read-only even where the folder could be written. */
  readOnly?: boolean;
  /** At most this many waiting transactions commit together (default 64). */
  maxBatch?: number;
}

interface Job {
  fn: (tx: StoreTx) => unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class FileStore implements Store {
  readonly storeId: string;
  readonly readOnly: boolean;
  private readonly files: StoreFiles;
  private readonly disk: Disk;
  private readonly audit: AuditFile;
  private readonly anchor: FreshnessAnchor | undefined;
  private readonly compactBytes: number;
  private readonly lockTimeoutMs: number;
  private readonly maxBatch: number;
  private header: StoreHeader;

  private readonly log: LogFile;
  /** What the anchor held when last read or written (undefined: no anchor yet). */
  private anchored: StoreHead | undefined;
  private loaded = false;

  private pending: Job[] = [];
  private running = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  private constructor(
    readonly location: string,
    header: StoreHeader,
    rootKey: Uint8Array,
    o: FileStoreOptions,
    readOnly: boolean,
  ) {
    this.storeId = header.storeId;
    this.header = header;
    this.files = storeFiles(location);
    this.disk = o.disk ?? realDisk;
    this.log = new LogFile(this.disk, this.files.log, header.storeId, new LogMac(deriveKey(rootKey, header.storeId, 'store-log-mac')), readOnly);
    const auditKey = deriveKey(rootKey, header.storeId, 'audit-mac');
    this.audit = new AuditFile(this.disk, this.files.audit, new AuditChain(auditKey), auditKey, readOnly);
    this.anchor = o.anchor;
    this.readOnly = readOnly;
    this.compactBytes = o.compactBytes ?? 8 * 1024 * 1024;
    this.lockTimeoutMs = o.lockTimeoutMs ?? 30_000;
    this.maxBatch = o.maxBatch ?? 64;
  }

  /**
   * Opens and replays the log, checks both files against the anchor, and
   * creates the log files if needed; the root key must already be verified.
   * A folder this process cannot write opens read-only.
   */
  static async open(dir: string, header: StoreHeader, rootKey: Uint8Array, o: FileStoreOptions = {}): Promise<FileStore> {
    const { writable } = checkStoreFiles(storeFiles(dir));
    const s = new FileStore(dir, header, rootKey, o, o.readOnly === true || !writable);
    await s.transact(() => undefined); // load, check freshness, repair a torn tail, surface damage now
    return s;
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new HushError('Internal', 'the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    while (this.pending.length) await this.runBatch(this.pending.splice(0, this.maxBatch));
    this.running = false;
    this.markIdle();
  }

  private readOnlyError(): HushError {
    return new HushError(
      'StoreReadOnly',
      `the store in ${this.location} is read-only (this user cannot write the folder or its files): it can be read, not changed`,
    );
  }

  private async runBatch(jobs: Job[]): Promise<void> {
    let release: (() => void) | undefined;
    try {
      if (!this.readOnly) release = await acquireLock(this.files.lock, this.lockTimeoutMs);
      await this.catchUp();
    } catch (e) {
      release?.();
      if (!(e instanceof HushError)) this.dropHandles();
      for (const j of jobs) j.reject(e);
      return;
    }
    try {
      const ops: Op[] = [];
      const undos: (() => void)[] = [];
      const events: AuditEvent[] = [];
      const results: ({ ok: true; v: unknown } | { ok: false; e: unknown })[] = [];
      for (const j of jobs) {
        const mine: (() => void)[] = [];
        const myOps: Op[] = [];
        const write = (op: Op) => {
          if (this.readOnly) throw this.readOnlyError();
          myOps.push(op);
          mine.push(this.log.state.apply(op));
        };
        try {
          const v = await j.fn(stateView(this.log.state, write, (e) => events.push(e)));
          ops.push(...myOps);
          undos.push(...mine);
          results.push({ ok: true, v });
        } catch (e) {
          for (const u of mine.reverse()) u();
          results.push({ ok: false, e });
        }
      }
      try {
        await this.commit(ops, events);
      } catch (e) {
        for (const u of undos.reverse()) u();
        if (!(e instanceof HushError && e.code === 'AnchorUnavailable')) this.dropHandles(); // re-read everything: we do not know what reached the disk
        for (const j of jobs) j.reject(e);
        return;
      }
      jobs.forEach((j, i) => {
        const r = results[i]!;
        if (r.ok) j.resolve(r.v);
        else j.reject(r.e);
      });
      if (!this.readOnly && this.log.shouldCompact(this.compactBytes)) this.log.compact();
    } finally {
      release?.();
    }
  }

  /** Audit records, then the data frame, then the anchor: each durable before the next. */
  private async commit(ops: Op[], events: AuditEvent[]): Promise<void> {
    if (this.readOnly) return; // reads cannot be recorded in a store we cannot write
    const auditHead = this.audit.append(events);
    if (ops.length) this.log.append(ops, auditHead);
    if (auditHead || ops.length) await this.saveAnchor();
  }

  private head(headers?: string[]): StoreHead {
    return {
      n: this.log.n,
      data: this.log.headAt(this.log.n) ?? '',
      ...(this.audit.head ? { audit: this.audit.head } : {}),
      header: headers ?? [headerDigest(this.header)],
    };
  }

  private async saveAnchor(headers?: string[]): Promise<void> {
    if (!this.anchor || this.readOnly) return;
    const h = this.head(headers);
    if (!aheadOf(h, this.anchored)) return;
    try {
      await this.anchor.save(h);
    } catch (e) {
      const msg = e instanceof HushError ? e.message : String(e);
      throw new HushError('AnchorUnavailable', `the change was saved, but its freshness anchor was not updated: ${msg}`);
    }
    this.anchored = h;
  }

  /** The newest audit head the store knows was committed (anchor or data log). */
  private committedAudit(): AuditAnchor | undefined {
    const a = this.anchored?.audit;
    const b = this.log.audit;
    if (!a) return b;
    if (!b) return a;
    return a.seq >= b.seq ? a : b;
  }

  // ---- catching up with the files --------------------------------------------

  private dropHandles(): void {
    this.log.close();
    this.audit.close();
  }

  /** Brings the in-memory state up to date with the files and checks them against the anchor. Lock held. */
  private async catchUp(): Promise<void> {
    const first = !this.loaded;
    if (first && this.anchor) this.anchored = await this.anchor.load();
    const { reloaded, torn } = this.log.catchUp(this.anchored?.n ?? 0, this.anchor?.where ?? '');
    if (first || reloaded || torn) {
      // Another process may have moved the anchor since we read it.
      if (!first && this.anchor) this.anchored = await this.anchor.load();
      this.checkFreshness(torn);
    }
    if (torn && !this.readOnly) {
      // A write cut short that the anchor says was never committed: drop it.
      this.log.cutTornTail();
    }
    this.audit.catchUp(this.committedAudit());
    if (!this.loaded || reloaded || torn) {
      this.loaded = true;
      // The store is ahead of its anchor (first open, or a crash before the anchor write): move it up.
      if (!this.audit.broken) await this.saveAnchor();
    }
  }

  private checkFreshness(torn: ScanStop | undefined): void {
    const a = this.anchored;
    if (!a) return;
    const problem = behindAnchor(this.files.log, this.log.n, (n) => this.log.headAt(n), a, this.anchor!.where);
    if (problem) {
      const tail = torn ? ` It ends in a partial record at byte ${torn.at}, which is kept as evidence.` : '';
      throw new HushError(
        'StoreRolledBack',
        `${problem}.${tail} Nothing was changed. 'hush store check' lists the damage; 'hush store recover --to DIR' copies what is intact into a new store`,
      );
    }
    if (a.header && a.header.length && !a.header.includes(headerDigest(this.header))) {
      throw new HushError(
        'StoreRolledBack',
        `${this.files.header} is not the header its freshness anchor (${this.anchor!.where}) records: an older or another store.json was put in place. Put back the current one (after a passphrase change, only copies made since then will do)`,
      );
    }
  }

  // ---- the audit log -------------------------------------------------------------

  async readAudit(): Promise<string[]> {
    return this.audit.lines();
  }

  auditAnchor(): Promise<AuditAnchor | undefined> {
    return this.transact(() => this.committedAudit());
  }

  async repairAudit(e: AuditEvent): Promise<AuditGap> {
    if (this.readOnly) throw this.readOnlyError();
    return this.transact(async () => {
      const gap = this.audit.repair({ time: e.time, principal: e.principal }, this.committedAudit());
      this.audit.catchUp(this.committedAudit());
      if (this.audit.broken) throw this.audit.broken;
      await this.saveAnchor();
      return gap;
    });
  }

  // ---- the header --------------------------------------------------------------

  /**
   * Replaces store.json (a passphrase change) and records it in the audit.
   * The anchor accepts both headers while the file is swapped, so a crash in
   * between leaves a store that opens with one or the other.
   */
  async replaceHeader(base: StoreHeader, next: StoreHeader, e: AuditEvent): Promise<void> {
    if (this.readOnly) throw this.readOnlyError();
    if (next.storeId !== this.storeId) throw new HushError('Internal', 'a new header must keep the store id');
    await this.transact(async (tx) => {
      if (this.audit.broken) throw this.audit.broken;
      if (headerDigest(base) !== headerDigest(this.header)) {
        throw new HushError('PreconditionFailed', `${this.files.header} changed meanwhile (another passphrase change?); try again`);
      }
      const old = headerDigest(this.header);
      const fresh = headerDigest(next);
      await this.saveAnchor([fresh, old]);
      replaceHeader(this.location, next, this.disk);
      this.header = next;
      tx.audit(e);
    });
  }

  async close(): Promise<void> {
    while (this.running || this.pending.length) await this.idle;
    this.closed = true;
    this.dropHandles();
    this.anchor?.close();
  }
}
