/**
 * audit.log on disk: append-only, one signed, hash-chained JSON record a line
 * (the chain itself is in audit/auditLog.ts). The store verifies every record
 * once: all of them when it opens the file, then each record other processes
 * append. While any check fails (an edited, deleted or reordered record, a
 * log shorter than the freshness anchor says) the file is `broken` and
 * nothing is appended: every audited operation is refused with AuditBroken
 * until `hush audit repair` records the gap.
 *
 * A last line without its newline is a torn append; it is cut only when the
 * anchors say it was never committed. Otherwise it is damage, and stays.
 */
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HushError } from '../errors';
import { AuditAnchor, AuditChain, AuditEvent, AuditGap, AuditVerifier } from '../audit/auditLog';
import { Disk, fsyncDir, OPEN_OR_CREATE, READ, READ_WRITE, readRange, readWhole, replaceFile, writeAll } from './disk';

const NEXT_STEP = "run 'hush audit verify' to see the damage, then 'hush audit repair' to record the gap and go on";

export class AuditFile {
  head: AuditAnchor | undefined;
  broken: HushError | undefined;
  private fd: number | undefined;
  private ino = -1;
  /** Bytes verified so far (always at a record boundary). */
  private size = 0;
  private lineNo = 0;
  private verifier: AuditVerifier;

  constructor(
    private readonly disk: Disk,
    readonly path: string,
    private readonly chain: AuditChain,
    private readonly macKey: Uint8Array,
    private readonly readOnly: boolean,
  ) {
    this.verifier = new AuditVerifier(macKey);
  }

  close(): void {
    if (this.fd !== undefined) this.disk.close(this.fd);
    this.fd = undefined;
    this.ino = -1;
  }

  private fail(problem: string): void {
    this.broken = new HushError('AuditBroken', `${this.path}: ${problem}. Nothing can be recorded, so operations are refused: ${NEXT_STEP}`);
  }

  /**
   * Verifies what was appended since the last call (everything, when the file
   * is new to us). `anchored`: the newest audit head the store knows was
   * committed (freshness anchor, data log).
   */
  catchUp(anchored: AuditAnchor | undefined): void {
    let ino: number;
    try {
      ino = statSync(this.path).ino;
    } catch {
      ino = -2;
    }
    if (ino === -2) {
      this.close();
      this.head = undefined;
      this.size = 0;
      if (anchored && anchored.seq > 0) {
        this.verifier = new AuditVerifier(this.macKey);
        return this.fail(`the file is missing, but the store committed ${anchored.seq} audit record(s)`);
      }
      if (this.readOnly) return;
      this.fd = this.disk.open(this.path, OPEN_OR_CREATE, 0o600);
      fsyncDir(this.disk, dirname(this.path));
      ino = this.disk.fstat(this.fd).ino;
      this.ino = ino;
    }
    if (this.fd === undefined || ino !== this.ino) {
      this.close();
      this.fd = this.disk.open(this.path, this.readOnly ? READ : READ_WRITE);
      this.ino = this.disk.fstat(this.fd).ino;
      this.size = 0;
      this.lineNo = 0;
      this.head = undefined;
      this.broken = undefined;
      this.verifier = new AuditVerifier(this.macKey);
    }
    if (anchored) this.verifier.watch(anchored.seq);
    const fileSize = this.disk.fstat(this.fd).size;
    if (fileSize < this.size) {
      this.head = this.verifier.head;
      return this.fail(`the file shrank from ${this.size} to ${fileSize} bytes while in use; records were removed`);
    }
    if (!this.broken && fileSize > this.size) {
      const buf = readRange(this.disk, this.fd, this.size, fileSize);
      let pos = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) break;
        const problem = this.verifier.push(buf.subarray(pos, nl).toString('utf8'));
        this.lineNo++;
        if (problem) {
          this.fail(`record ${(this.verifier.head?.seq ?? 0) + 1} (line ${this.lineNo}) ${problem}`);
          break;
        }
        pos = nl + 1;
      }
      this.size += pos;
      if (!this.broken && pos < buf.length) {
        // A last line without its newline: a torn append, if nothing says it was committed.
        const have = this.verifier.head?.seq ?? 0;
        if (anchored && anchored.seq > have) {
          this.fail(`the file ends in a partial record after record ${have}, but the store committed record ${anchored.seq}: it was cut`);
        } else if (!this.readOnly) {
          this.disk.ftruncate(this.fd, this.size);
          this.disk.fsync(this.fd);
        }
      }
    }
    this.head = this.verifier.head;
    if (!this.broken && anchored) {
      const problem = this.verifier.checkAnchor(anchored);
      if (problem) this.fail(`record ${anchored.seq} ${problem}`);
    }
  }

  /** Appends and syncs the records of `events`; returns the new head. */
  append(events: AuditEvent[]): AuditAnchor | undefined {
    if (!events.length || this.readOnly) return undefined;
    if (this.broken) throw this.broken;
    let head = this.head;
    const lines: string[] = [];
    for (const e of events) {
      const r = this.chain.append(head, e);
      lines.push(r.line);
      head = r.head;
    }
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    writeAll(this.disk, this.fd!, bytes, this.size);
    this.disk.fdatasync(this.fd!);
    this.size += bytes.length;
    this.lineNo += lines.length;
    this.verifier.accept(head!, lines.length);
    this.head = head;
    return head;
  }

  /** Every line as stored (a line still being written is left out). */
  lines(): string[] {
    let text: string;
    try {
      text = readWhole(this.disk, this.path).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const lines = text.split('\n');
    lines.pop();
    return lines;
  }

  /**
   * Continues a broken chain: keeps the records up to the first bad one, keeps
   * the whole damaged file beside it as evidence (a hard link,
   * audit.log.damaged-<time>), and writes the repair record that declares the
   * rest lost. Call under the store lock, after catchUp.
   */
  repair(who: { time: string; principal: string }, anchored: AuditAnchor | undefined): AuditGap {
    if (!this.broken) throw new HushError('InvalidArgument', `nothing to repair: ${this.path} verifies`);
    const reason = this.broken.message.slice(this.path.length + 2).split('. Nothing can be recorded')[0]!;
    let bytes: Buffer;
    try {
      bytes = readWhole(this.disk, this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      bytes = Buffer.alloc(0);
    }
    const v = new AuditVerifier(this.macKey);
    let keep = 0;
    let highest = 0;
    let intact = true;
    for (let pos = 0; pos < bytes.length; ) {
      const nl = bytes.indexOf(0x0a, pos);
      const line = bytes.subarray(pos, nl < 0 ? bytes.length : nl).toString('utf8');
      if (intact && nl >= 0 && v.push(line) === undefined) keep = nl + 1;
      else {
        intact = false;
        const m = /"seq":\s*(\d+)/.exec(line);
        if (m) highest = Math.max(highest, Number(m[1]));
      }
      pos = nl < 0 ? bytes.length : nl + 1;
    }
    const from = (v.head?.seq ?? 0) + 1;
    const to = Math.max(from, highest, anchored?.seq ?? 0);
    let keptAs: string | undefined;
    if (bytes.length > 0) {
      const stamp = who.time.replace(/[:.]/g, '-');
      keptAs = `${basename(this.path)}.damaged-${stamp}`;
      this.disk.link(this.path, join(dirname(this.path), keptAs));
    }
    const r = this.chain.appendGap(v.head, { from, to, reason, ...(keptAs ? { keptAs } : {}) }, who);
    replaceFile(this.disk, this.path, Buffer.concat([bytes.subarray(0, keep), Buffer.from(r.line + '\n', 'utf8')]));
    this.close(); // the next catchUp verifies the new file from its start
    return { from, to, seq: r.head.seq, time: who.time, principal: who.principal, reason, ...(keptAs ? { keptAs } : {}) };
  }
}
