/**
 * The embedded store: a folder with four files.
 *
 *   store.json  header, written once at creation (store id, format, how the
 *               root key is found: scrypt parameters + sealed root key, or a
 *               key-check value). Nothing secret.
 *   store.log   append-only log of transactions (ciphertext and metadata only)
 *   audit.log   append-only, hash-chained, signed audit records (one JSON line each)
 *   store.lock  the cross-process writer lock (lockFile.ts)
 *
 * Why a log of our own and not an embedded database: the same code runs in
 * the CLI on the user's Node (20 here) and in the language server on the
 * editor's runtime (Electron, or code-server's Node 24). node:sqlite only
 * exists from Node 22.5, better-sqlite3 and LevelDB bindings are not N-API and
 * fail to load in one of the two runtimes, and a WASM SQLite cannot fsync or
 * share a lock with another process. What we need is small: a few thousand
 * records, one writer at a time, every acknowledged write durable. An
 * append-only log gives that in ~300 obvious lines a reviewer can read.
 *
 * store.log format: one line `HUSHLOG1 <storeId> <generation>\n`, then frames
 *   u32be len | u32be ~len | 32-byte HMAC-SHA256 | len bytes of JSON
 * The HMAC is chained (over the previous frame's HMAC and this payload) under
 * a key derived from the root key: a flipped bit, an edited, dropped or
 * reordered record is CorruptStore, not silently wrong data. The complemented
 * length makes a damaged length field corruption too, so only a frame that
 * runs past the end of the file counts as torn.
 *
 * Every transaction, under the lock: catch up with what other processes
 * appended (or reload if the log was compacted, i.e. replaced); cut a torn
 * tail (a write that was never acknowledged); run the caller; append its
 * audit records to audit.log and fdatasync; append one frame holding all its
 * writes plus the audit head (the "anchor") and fdatasync; only then return.
 * Compaction writes a snapshot to store.log.tmp, fsyncs it, renames it over
 * store.log and fsyncs the folder.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HushError } from '../errors';
import { AuditAnchor, AuditChain, AuditEvent } from '../audit/auditLog';
import type { RootKeyHeader } from '../crypto/rootKey';
import { deriveKey } from '../crypto/aead';
import { acquireLock } from './lockFile';
import type {
  AliasRecord,
  ImportParametersRecord,
  KeyRecord,
  SecretRecord,
  Store,
  StoreTx,
  VersionRecord,
} from './store';

export const FORMAT = 'hush-store/1';
const HEADER = 'store.json';
const LOG = 'store.log';
const AUDIT = 'audit.log';
const LOCK = 'store.lock';
const MAGIC = 'HUSHLOG1';
const FRAME_HEAD = 40;
const MAX_FRAME = 64 * 1024 * 1024;

export interface StoreHeader {
  format: typeof FORMAT;
  storeId: string;
  createdAt: string;
  rootKey: RootKeyHeader;
}

export interface FileStoreOptions {
  /** Compact when the log is larger than this and twice its last snapshot. */
  compactBytes?: number;
  lockTimeoutMs?: number;
}

type Op =
  | { t: 'key'; v: KeyRecord }
  | { t: 'alias'; v: AliasRecord }
  | { t: '-alias'; name: string }
  | { t: 'import'; v: ImportParametersRecord }
  | { t: '-import'; token: string }
  | { t: 'secret'; v: SecretRecord }
  | { t: '-secret'; id: string }
  | { t: 'version'; s: string; v: VersionRecord }
  | { t: '-version'; s: string; id: string };

interface Snapshot {
  keys: KeyRecord[];
  aliases: AliasRecord[];
  imports: ImportParametersRecord[];
  secrets: SecretRecord[];
  versions: [string, VersionRecord[]][];
}

type Payload = { ops: Op[]; anchor?: AuditAnchor } | { snapshot: Snapshot; anchor?: AuditAnchor };

class State {
  keys = new Map<string, KeyRecord>();
  aliases = new Map<string, AliasRecord>();
  imports = new Map<string, ImportParametersRecord>();
  secrets = new Map<string, SecretRecord>();
  byName = new Map<string, string>();
  versions = new Map<string, Map<string, VersionRecord>>();
  anchor: AuditAnchor | undefined;

  /** Applies one write; returns how to undo it. */
  apply(op: Op): () => void {
    const swap = <K, V>(m: Map<K, V>, k: K, v: V | undefined): (() => void) => {
      const had = m.has(k);
      const old = m.get(k);
      if (v === undefined) m.delete(k);
      else m.set(k, v);
      return () => (had ? m.set(k, old as V) : m.delete(k));
    };
    switch (op.t) {
      case 'key':
        return swap(this.keys, op.v.id, op.v);
      case 'alias':
        return swap(this.aliases, op.v.name, op.v);
      case '-alias':
        return swap(this.aliases, op.name, undefined);
      case 'import':
        return swap(this.imports, op.v.token, op.v);
      case '-import':
        return swap(this.imports, op.token, undefined);
      case 'secret': {
        const old = this.secrets.get(op.v.id);
        const undos = [swap(this.secrets, op.v.id, op.v)];
        if (old && old.name !== op.v.name) undos.push(swap(this.byName, old.name, undefined));
        undos.push(swap(this.byName, op.v.name, op.v.id));
        return () => undos.reverse().forEach((u) => u());
      }
      case '-secret': {
        const old = this.secrets.get(op.id);
        const undos = [swap(this.secrets, op.id, undefined), swap(this.versions, op.id, undefined)];
        if (old) undos.push(swap(this.byName, old.name, undefined));
        return () => undos.reverse().forEach((u) => u());
      }
      case 'version': {
        let m = this.versions.get(op.s);
        const created = !m;
        if (!m) this.versions.set(op.s, (m = new Map()));
        const u = swap(m, op.v.id, op.v);
        return () => {
          u();
          if (created) this.versions.delete(op.s);
        };
      }
      case '-version': {
        const m = this.versions.get(op.s);
        return m ? swap(m, op.id, undefined) : () => {};
      }
    }
  }

  snapshot(): Snapshot {
    return {
      keys: [...this.keys.values()],
      aliases: [...this.aliases.values()],
      imports: [...this.imports.values()],
      secrets: [...this.secrets.values()],
      versions: [...this.versions].map(([s, m]) => [s, [...m.values()]]),
    };
  }

  static from(s: Snapshot): State {
    const st = new State();
    for (const k of s.keys) st.keys.set(k.id, k);
    for (const a of s.aliases) st.aliases.set(a.name, a);
    for (const i of s.imports) st.imports.set(i.token, i);
    for (const x of s.secrets) {
      st.secrets.set(x.id, x);
      st.byName.set(x.name, x.id);
    }
    for (const [sid, vs] of s.versions) st.versions.set(sid, new Map(vs.map((v) => [v.id, v])));
    return st;
  }
}

/** Makes a create/rename in `dir` durable. (Windows cannot open a folder; NTFS journals renames.) */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.allocUnsafe(to - from);
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, from + off);
    if (n === 0) return buf.subarray(0, off);
    off += n;
  }
  return buf;
}

export function readHeader(dir: string): StoreHeader | undefined {
  const p = join(dir, HEADER);
  if (!existsSync(p)) return undefined;
  let h: StoreHeader;
  try {
    h = JSON.parse(readFileSync(p, 'utf8')) as StoreHeader;
  } catch (e) {
    throw new HushError('CorruptStore', `the store header ${p} is not readable: ${(e as Error).message}`);
  }
  if (h.format !== FORMAT || typeof h.storeId !== 'string' || !h.rootKey) {
    throw new HushError('CorruptStore', `${p} is not a Hush store header (format ${String(h.format)})`);
  }
  return h;
}

/**
 * Creates the store folder and its header once, even when several processes
 * race to do it: the header appears by link(2), which fails if another won.
 * `make` is called under the store lock and only when there is no header.
 */
export async function ensureHeader(dir: string, make: () => Promise<StoreHeader>): Promise<{ header: StoreHeader; created: boolean }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readHeader(dir);
  if (existing) return { header: existing, created: false };
  const release = await acquireLock(join(dir, LOCK));
  try {
    const again = readHeader(dir);
    if (again) return { header: again, created: false };
    const header = await make();
    const tmp = join(dir, `${HEADER}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, Buffer.from(JSON.stringify(header, null, 2) + '\n'), 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, join(dir, HEADER));
    unlinkSync(tmp);
    fsyncDir(dir);
    return { header, created: true };
  } finally {
    release();
  }
}

export class FileStore implements Store {
  readonly storeId: string;
  private readonly logPath: string;
  private readonly auditPath: string;
  private readonly lockPath: string;
  private readonly logKey: Buffer;
  private readonly chain: AuditChain;
  private readonly compactBytes: number;
  private readonly lockTimeoutMs: number;

  private state = new State();
  private fd: number | undefined;
  private ino = -1;
  private offset = 0;
  private lastMac: Buffer = Buffer.alloc(32);
  private snapshotSize = 0;
  private auditFd: number | undefined;
  private auditIno = -1;
  private auditSize = 0;
  private auditHead: AuditAnchor | undefined;
  /** Set when the audit tail cannot be read: appends refuse, reads and verify still work. */
  private auditBroken: HushError | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly location: string,
    header: StoreHeader,
    rootKey: Uint8Array,
    o: FileStoreOptions,
  ) {
    this.storeId = header.storeId;
    this.logPath = join(location, LOG);
    this.auditPath = join(location, AUDIT);
    this.lockPath = join(location, LOCK);
    this.logKey = deriveKey(rootKey, header.storeId, 'store-log-mac');
    this.chain = new AuditChain(deriveKey(rootKey, header.storeId, 'audit-mac'));
    this.compactBytes = o.compactBytes ?? 8 * 1024 * 1024;
    this.lockTimeoutMs = o.lockTimeoutMs ?? 30_000;
  }

  /** Opens (creating the log files if needed) and replays the log; the root key must already be verified. */
  static async open(dir: string, header: StoreHeader, rootKey: Uint8Array, o: FileStoreOptions = {}): Promise<FileStore> {
    const s = new FileStore(dir, header, rootKey, o);
    await s.transact(() => undefined); // load, repair a torn tail, surface corruption now
    return s;
  }

  transact<T>(fn: (tx: StoreTx) => Promise<T> | T): Promise<T> {
    const run = this.queue.then(() => this.locked(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: (tx: StoreTx) => Promise<T> | T): Promise<T> {
    if (this.closed) throw new HushError('Internal', 'the store is closed');
    const release = await acquireLock(this.lockPath, this.lockTimeoutMs);
    try {
      this.catchUp();
      const ops: Op[] = [];
      const undos: (() => void)[] = [];
      const events: AuditEvent[] = [];
      const write = (op: Op) => {
        ops.push(op);
        undos.push(this.state.apply(op));
      };
      const tx = this.txView(write, events);
      let result: T;
      try {
        result = await fn(tx);
      } catch (e) {
        for (const u of undos.reverse()) u();
        this.appendAudit(events);
        throw e;
      }
      try {
        const anchor = this.appendAudit(events);
        if (ops.length) {
          if (anchor) this.state.anchor = anchor;
          this.appendFrame({ ops, ...(this.state.anchor ? { anchor: this.state.anchor } : {}) });
        }
      } catch (e) {
        for (const u of undos.reverse()) u();
        this.dropHandles(); // re-read everything next time: we do not know what reached the disk
        throw e;
      }
      if (this.offset > this.compactBytes && this.offset > 2 * this.snapshotSize) this.compact();
      return result;
    } finally {
      release();
    }
  }

  /** The transaction's view: reads from memory, writes buffered as ops (async to match the Store interface). */
  private txView(write: (op: Op) => void, events: AuditEvent[]): StoreTx {
    const st = this.state;
    return {
      getKey: async (id) => st.keys.get(id),
      listKeys: async () => [...st.keys.values()],
      putKey: async (v) => write({ t: 'key', v }),
      getAlias: async (name) => st.aliases.get(name),
      listAliases: async () => [...st.aliases.values()],
      putAlias: async (v) => write({ t: 'alias', v }),
      deleteAlias: async (name) => write({ t: '-alias', name }),
      getImport: async (token) => st.imports.get(token),
      listImports: async () => [...st.imports.values()],
      putImport: async (v) => write({ t: 'import', v }),
      deleteImport: async (token) => write({ t: '-import', token }),
      getSecret: async (id) => st.secrets.get(id),
      findSecretByName: async (name) => {
        const id = st.byName.get(name);
        return id === undefined ? undefined : st.secrets.get(id);
      },
      listSecrets: async () => [...st.secrets.values()],
      putSecret: async (v) => {
        const other = st.byName.get(v.name);
        if (other !== undefined && other !== v.id) throw new HushError('SecretExists', `a secret named '${v.name}' already exists`);
        write({ t: 'secret', v });
      },
      deleteSecret: async (id) => write({ t: '-secret', id }),
      getVersion: async (s, id) => st.versions.get(s)?.get(id),
      listVersions: async (s) => [...(st.versions.get(s)?.values() ?? [])],
      putVersion: async (s, v) => write({ t: 'version', s, v }),
      deleteVersion: async (s, id) => write({ t: '-version', s, id }),
      audit: (e) => events.push(e),
    };
  }

  // ---- the log -------------------------------------------------------------

  private headerLine(gen: string): Buffer {
    return Buffer.from(`${MAGIC} ${this.storeId} ${gen}\n`, 'utf8');
  }

  private macOver(prev: Buffer, payload: Buffer): Buffer {
    return createHmac('sha256', this.logKey).update(prev).update(payload).digest();
  }

  private dropHandles(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.auditFd !== undefined) closeSync(this.auditFd);
    this.fd = this.auditFd = undefined;
    this.ino = this.auditIno = -1;
  }

  /** Brings the in-memory state up to date with the files. Lock held. */
  private catchUp(): void {
    this.catchUpLog();
    this.catchUpAudit();
  }

  private catchUpLog(): void {
    let onDisk: number;
    try {
      onDisk = statSync(this.logPath).ino;
    } catch {
      this.createLog();
      onDisk = statSync(this.logPath).ino;
    }
    if (this.fd === undefined || onDisk !== this.ino) {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = openSync(this.logPath, 'r+');
      this.ino = fstatSync(this.fd).ino;
      this.state = new State();
      this.offset = 0;
    }
    const size = fstatSync(this.fd).size;
    if (this.offset === 0) this.readLogHeader(size);
    if (size < this.offset) {
      throw new HushError('CorruptStore', `${this.logPath} shrank from ${this.offset} to ${size} bytes while open; records were removed`);
    }
    if (size === this.offset) return;
    const buf = readRange(this.fd, this.offset, size);
    let pos = 0;
    while (pos < buf.length) {
      const at = this.offset + pos;
      if (buf.length - pos < FRAME_HEAD) break; // torn
      const len = buf.readUInt32BE(pos);
      if ((len ^ buf.readUInt32BE(pos + 4)) >>> 0 !== 0xffffffff || len > MAX_FRAME) {
        throw new HushError('CorruptStore', `${this.logPath}: damaged record header at byte ${at}`);
      }
      if (buf.length - pos < FRAME_HEAD + len) break; // torn: runs past the end
      const mac = buf.subarray(pos + 8, pos + FRAME_HEAD);
      const payload = buf.subarray(pos + FRAME_HEAD, pos + FRAME_HEAD + len);
      const want = this.macOver(this.lastMac, payload);
      if (!timingSafeEqual(mac, want)) {
        const isLast = pos + FRAME_HEAD + len === buf.length;
        if (isLast && payload.every((b) => b === 0)) break; // zero-filled tail after a power loss
        throw new HushError(
          'CorruptStore',
          `${this.logPath}: the record at byte ${at} fails its integrity check (edited, damaged, reordered, or a different root key)`,
        );
      }
      let p: Payload;
      try {
        p = JSON.parse(payload.toString('utf8')) as Payload;
      } catch {
        throw new HushError('CorruptStore', `${this.logPath}: the record at byte ${at} is not readable`);
      }
      if ('snapshot' in p) {
        this.state = State.from(p.snapshot);
        this.snapshotSize = FRAME_HEAD + len;
      } else {
        for (const op of p.ops) this.state.apply(op);
      }
      if (p.anchor) this.state.anchor = p.anchor;
      this.lastMac = want;
      pos += FRAME_HEAD + len;
    }
    this.offset += pos;
    if (this.offset < size) {
      // A write that was cut short was never acknowledged: drop it.
      ftruncateSync(this.fd, this.offset);
      fsyncSync(this.fd);
    }
  }

  private readLogHeader(size: number): void {
    const head = readRange(this.fd!, 0, Math.min(size, 256));
    const nl = head.indexOf(0x0a);
    const line = nl < 0 ? '' : head.subarray(0, nl).toString('utf8');
    const [magic, id, gen] = line.split(' ');
    if (magic !== MAGIC || !gen) throw new HushError('CorruptStore', `${this.logPath} is not a Hush store log`);
    if (id !== this.storeId) throw new HushError('CorruptStore', `${this.logPath} belongs to store ${id}, not ${this.storeId}`);
    this.offset = nl + 1;
    this.lastMac = this.macOver(Buffer.alloc(0), head.subarray(0, nl + 1));
    this.snapshotSize = 0;
  }

  private createLog(): void {
    const tmp = `${this.logPath}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, this.headerLine(randomBytes(8).toString('hex')), 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.logPath);
    fsyncDir(this.location);
  }

  private frame(payload: Payload, prev: Buffer): { bytes: Buffer; mac: Buffer } {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    if (body.length > MAX_FRAME) throw new HushError('LimitExceeded', 'the transaction is too large for one store record');
    const mac = this.macOver(prev, body);
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(~body.length >>> 0, 4);
    return { bytes: Buffer.concat([head, mac, body]), mac };
  }

  private appendFrame(payload: Payload): void {
    const { bytes, mac } = this.frame(payload, this.lastMac);
    writeAll(this.fd!, bytes, this.offset);
    fdatasyncSync(this.fd!);
    this.offset += bytes.length;
    this.lastMac = mac;
  }

  /** Rewrites the log as one snapshot record: temp file, fsync, rename, fsync folder. */
  private compact(): void {
    const tmp = `${this.logPath}.tmp`;
    const header = this.headerLine(randomBytes(8).toString('hex'));
    const seed = this.macOver(Buffer.alloc(0), header);
    const { bytes, mac } = this.frame({ snapshot: this.state.snapshot(), ...(this.state.anchor ? { anchor: this.state.anchor } : {}) }, seed);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, Buffer.concat([header, bytes]), 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.logPath);
    fsyncDir(this.location);
    closeSync(this.fd!);
    this.fd = openSync(this.logPath, 'r+');
    this.ino = fstatSync(this.fd).ino;
    this.offset = header.length + bytes.length;
    this.lastMac = mac;
    this.snapshotSize = bytes.length;
  }

  // ---- the audit file ------------------------------------------------------

  private catchUpAudit(): void {
    let ino: number;
    try {
      ino = statSync(this.auditPath).ino;
    } catch {
      ino = -2;
    }
    if (this.auditFd === undefined || ino !== this.auditIno) {
      if (this.auditFd !== undefined) closeSync(this.auditFd);
      const created = ino === -2;
      this.auditFd = openSync(this.auditPath, created ? 'w+' : 'r+', 0o600);
      if (created) fsyncDir(this.location);
      this.auditIno = fstatSync(this.auditFd).ino;
      this.auditSize = -1;
    }
    const size = fstatSync(this.auditFd).size;
    if (size === this.auditSize) return;
    this.auditBroken = undefined;
    const from = Math.max(0, size - 64 * 1024);
    const tail = readRange(this.auditFd, from, size);
    let end = tail.length;
    if (end > 0 && tail[end - 1] !== 0x0a) {
      // A torn audit line: its transaction never completed. Cut it.
      end = tail.lastIndexOf(0x0a) + 1;
      ftruncateSync(this.auditFd, from + end);
      fsyncSync(this.auditFd);
    }
    this.auditSize = from + end;
    if (end === 0) {
      if (from > 0) this.auditBroken = new HushError('AuditBroken', `${this.auditPath} ends with an over-long record; run 'hush audit verify'`);
      this.auditHead = undefined;
      return;
    }
    const start = tail.lastIndexOf(0x0a, end - 2) + 1;
    try {
      const last = JSON.parse(tail.subarray(start, end - 1).toString('utf8')) as { seq: number; hash: string };
      if (typeof last.seq !== 'number' || typeof last.hash !== 'string') throw new Error('no seq/hash');
      this.auditHead = { seq: last.seq, hash: last.hash };
    } catch {
      this.auditBroken = new HushError('AuditBroken', `the last record of ${this.auditPath} is damaged, so nothing can be audited; run 'hush audit verify'`);
    }
  }

  private appendAudit(events: AuditEvent[]): AuditAnchor | undefined {
    if (!events.length) return undefined;
    if (this.auditBroken) throw this.auditBroken;
    let head = this.auditHead;
    const lines: string[] = [];
    for (const e of events) {
      const r = this.chain.append(head, e);
      lines.push(r.line);
      head = r.head;
    }
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    writeAll(this.auditFd!, bytes, this.auditSize);
    fdatasyncSync(this.auditFd!);
    this.auditSize += bytes.length;
    this.auditHead = head;
    return head;
  }

  async readAudit(): Promise<string[]> {
    if (!existsSync(this.auditPath)) return [];
    const text = readFileSync(this.auditPath, 'utf8');
    const lines = text.split('\n');
    lines.pop(); // after the last newline: empty, or a line still being written
    return lines;
  }

  auditAnchor(): Promise<AuditAnchor | undefined> {
    return this.transact(() => this.state.anchor);
  }

  async close(): Promise<void> {
    await this.queue;
    this.closed = true;
    this.dropHandles();
  }
}
