/**
 * store.log on disk: opens it (again when another process replaced it by a
 * compaction), replays its frames into a State, appends frames, rewrites it
 * as one snapshot (compaction), and cuts a torn tail when told it is safe.
 * The format is in logFraming.ts; the decisions (what to cut, what to refuse)
 * are the transaction's, in fileStore.ts.
 */
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { HushError } from '../errors';
import type { AuditAnchor } from '../audit/auditLog';
import { Disk, READ, READ_WRITE, readRange, replaceFile } from './disk';
import { encodeFrame, Frame, headerLine, isSnapshot, LogMac, parseHeaderLine, scanFrames, ScanStop } from './logFraming';
import { Op, State } from './storeState';

const hex = (b: Buffer) => b.toString('hex');

export class LogFile {
  state = new State();
  /** Transactions replayed, and the chain head at each since the last snapshot. */
  n = 0;
  heads = new Map<number, string>();
  /** The audit head the newest frame committed with. */
  audit: AuditAnchor | undefined;
  private fd: number | undefined;
  private ino = -1;
  private offset = 0;
  private last: Buffer = Buffer.alloc(32);
  private snapshotSize = 0;
  private seen = false;

  constructor(
    private readonly disk: Disk,
    readonly path: string,
    private readonly storeId: string,
    private readonly mac: LogMac,
    private readonly readOnly: boolean,
  ) {}

  /** The chain head at transaction n, when it was replayed since the last snapshot. */
  headAt(n: number): string | undefined {
    return this.heads.get(n);
  }

  close(): void {
    if (this.fd !== undefined) this.disk.close(this.fd);
    this.fd = undefined;
    this.ino = -1;
  }

  private reset(): void {
    this.state = new State();
    this.offset = 0;
    this.n = 0;
    this.heads = new Map();
    this.audit = undefined;
    this.snapshotSize = 0;
  }

  /**
   * Replays what was appended since the last call (everything, when the file
   * is new to us). `committed`: transactions the anchor says exist (a missing
   * file is then refused, not recreated). Damage is thrown; a torn tail is
   * returned, not cut.
   */
  catchUp(committed: number, where: string): { reloaded: boolean; torn?: ScanStop } {
    let reloaded = false;
    let onDisk: number;
    try {
      onDisk = statSync(this.path).ino;
    } catch {
      if (committed > 0) throw new HushError('StoreRolledBack', `${this.path} is missing, but its freshness anchor (${where}) records ${committed} transaction(s)`);
      if (this.readOnly) {
        this.close();
        if (this.seen) return { reloaded: false };
        this.seen = true;
        this.reset();
        return { reloaded: true };
      }
      replaceFile(this.disk, this.path, headerLine(this.storeId, randomBytes(8).toString('hex')));
      onDisk = statSync(this.path).ino;
    }
    if (this.fd === undefined || onDisk !== this.ino) {
      this.close();
      this.fd = this.disk.open(this.path, this.readOnly ? READ : READ_WRITE);
      this.ino = this.disk.fstat(this.fd).ino;
      this.reset();
      reloaded = true;
    }
    this.seen = true;
    const size = this.disk.fstat(this.fd).size;
    if (this.offset === 0) {
      const h = parseHeaderLine(readRange(this.disk, this.fd, 0, Math.min(size, 256)), this.storeId);
      if ('problem' in h) throw new HushError('CorruptStore', `${this.path} ${h.problem}; run 'hush store check'`);
      this.offset = h.length;
      this.last = this.mac.seed(h.line);
    }
    if (size < this.offset) {
      throw new HushError('StoreRolledBack', `${this.path} shrank from ${this.offset} to ${size} bytes while open; records were removed`);
    }
    if (size === this.offset) return { reloaded };
    const scan = scanFrames(readRange(this.disk, this.fd, this.offset, size), this.offset, this.last, this.mac);
    for (const f of scan.frames) this.replay(f);
    this.offset = scan.end;
    this.last = scan.last;
    if (scan.stop?.kind === 'damaged') {
      throw new HushError(
        'CorruptStore',
        `${this.path}: ${scan.stop.reason} at byte ${scan.stop.at}. Nothing was changed. 'hush store check' lists every damaged record; 'hush store recover --to DIR' copies what is intact into a new store`,
      );
    }
    return { reloaded, ...(scan.stop ? { torn: scan.stop } : {}) };
  }

  private replay(f: Frame): void {
    const p = f.payload;
    if (isSnapshot(p)) {
      this.state = State.from(p.snapshot);
      this.n = p.n ?? this.n;
      this.heads = new Map([[this.n, p.head ?? hex(f.mac)]]);
      this.snapshotSize = f.size;
    } else {
      const n = this.n + 1;
      if (p.n !== undefined && p.n !== n) {
        throw new HushError('CorruptStore', `${this.path}: the record at byte ${f.at} is transaction ${p.n} where ${n} was due; run 'hush store check'`);
      }
      for (const op of p.ops) this.state.apply(op);
      this.n = n;
      this.heads.set(n, hex(f.mac));
    }
    const a = p.audit ?? p.anchor;
    if (a) this.audit = a;
  }

  /** Drops a torn tail (only when the caller knows it was never committed). */
  cutTornTail(): void {
    this.disk.ftruncate(this.fd!, this.offset);
    this.disk.fsync(this.fd!);
  }

  /** Appends one transaction frame and syncs it. */
  append(ops: Op[], audit: AuditAnchor | undefined): void {
    if (audit) this.audit = audit;
    const n = this.n + 1;
    const f = encodeFrame(this.mac, this.last, { n, ops, ...(this.audit ? { audit: this.audit } : {}) });
    if (!f) throw new HushError('LimitExceeded', 'the transaction is too large for one store record');
    let off = 0;
    while (off < f.bytes.length) off += this.disk.write(this.fd!, f.bytes, off, f.bytes.length - off, this.offset + off);
    this.disk.fdatasync(this.fd!);
    this.offset += f.bytes.length;
    this.last = f.mac;
    this.n = n;
    this.heads.set(n, hex(f.mac));
  }

  shouldCompact(limit: number): boolean {
    return this.offset > limit && this.offset > 2 * this.snapshotSize;
  }

  /** Rewrites the log as one snapshot record (which keeps n and the chain head): temp file, fsync, rename, fsync folder. */
  compact(): void {
    const header = headerLine(this.storeId, randomBytes(8).toString('hex'));
    const seed = this.mac.seed(header);
    const head = this.heads.get(this.n) ?? '';
    const f = encodeFrame(this.mac, seed, { snapshot: this.state.snapshot(), n: this.n, head, ...(this.audit ? { audit: this.audit } : {}) });
    if (!f) return; // too large to compact in one record: keep the log as it is
    replaceFile(this.disk, this.path, Buffer.concat([header, f.bytes]));
    this.close();
    this.fd = this.disk.open(this.path, READ_WRITE);
    this.ino = this.disk.fstat(this.fd).ino;
    this.offset = header.length + f.bytes.length;
    this.last = f.mac;
    this.heads = new Map([[this.n, head]]);
    this.snapshotSize = f.bytes.length;
  }
}
