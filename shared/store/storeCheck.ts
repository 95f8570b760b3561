/**
 * `hush store check`: reads a store folder, changes nothing, and reports every
 * damaged record in store.log and audit.log (byte offset or line, what the
 * record held when that can still be read), the header, and how the store
 * compares with its freshness anchor. Unlike opening, it does not stop at the
 * first damaged record: each frame is checked against the MAC chain on its
 * own (a frame's predecessor is the MAC stored before it), so one damaged
 * record does not hide the intact ones after it. The same salvage is what
 * `hush store recover` copies from.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AuditAnchor, AuditGap, AuditRecord, AuditVerifier, recordProblem } from '../audit/auditLog';
import { deriveKey } from '../crypto/aead';
import { FRAME_HEAD, frameLength, isSnapshot, LogMac, Payload, parseHeaderLine } from './logFraming';
import { Op, State } from './storeState';
import type { FreshnessAnchor, StoreHead } from './freshnessAnchor';
import { readWhole, realDisk } from './disk';
import { headerDigest, StoreHeader } from './storeHeader';
import { storeFiles } from './storeFolder';

export interface DamagedRecord {
  file: string;
  /** Byte offset (store.log) or line number (audit.log). */
  at: number;
  unit: 'byte' | 'line';
  size?: number;
  problem: string;
  /** What the record held, when it can still be read (names and ids only). */
  held?: string;
}

export interface LogSalvage {
  state: State;
  /** Transactions seen (intact or not). */
  n: number;
  head: string;
  intact: number;
  damaged: DamagedRecord[];
  /** The audit head named by the last intact frame. */
  audit?: AuditAnchor;
}

export interface AuditSalvage {
  /** The verified prefix, as stored. */
  lines: string[];
  head?: AuditAnchor;
  records: number;
  damaged: DamagedRecord[];
  gaps: AuditGap[];
  /** The highest record number seen anywhere in the file. */
  highest: number;
}

export interface StoreCheckReport {
  path: string;
  storeId: string;
  ok: boolean;
  header: { problem?: string };
  log: { bytes: number; transactions: number; intact: number; damaged: DamagedRecord[] };
  audit: { records: number; intact: number; damaged: DamagedRecord[]; gaps: AuditGap[] };
  anchor: { where: string; state: 'none' | 'current' | 'store ahead' | 'behind' | 'unreadable'; detail?: string };
}

function describeOps(ops: Op[], names: (id: string) => string | undefined): string {
  const parts = new Set<string>();
  const sec = (id: string) => `secret ${names(id) ?? id}`;
  for (const op of ops) {
    if (op.t === 'version') parts.add(`version ${op.v.id} of ${sec(op.s)}`);
    else if (op.t === '-version') parts.add(`removal of version ${op.id} of ${sec(op.s)}`);
    else if (op.t === 'secret') parts.add(`secret ${op.v.name} (${op.v.id}) metadata`);
    else if (op.t === '-secret') parts.add(`deletion of ${sec(op.id)}`);
    else if (op.t === 'key') parts.add(`CMK ${op.v.id}`);
    else if (op.t === 'alias' || op.t === '-alias') parts.add(`alias ${'v' in op ? op.v.name : op.name}`);
    else if (op.t === 'import' || op.t === '-import') parts.add('BYOK import parameters');
    else if (op.t === 'credential') parts.add(`hush serve access key ${op.v.accessKeyId} (${op.v.name})`);
    else parts.add(`a change of an unknown kind (${String((op as { t?: unknown }).t).slice(0, 20)})`);
  }
  return [...parts].join('; ');
}

function describe(body: Buffer, st: State): string | undefined {
  try {
    const p = JSON.parse(body.toString('utf8')) as Payload;
    if (isSnapshot(p)) return `a snapshot of ${p.snapshot.secrets.length} secret(s)`;
    if (Array.isArray(p.ops)) return describeOps(p.ops, (id) => st.secrets.get(id)?.name);
  } catch {
    /* not readable */
  }
  return undefined;
}

function applyPayload(st: { state: State; n: number; head: string; audit?: AuditAnchor }, p: Payload, mac: Buffer): void {
  if (isSnapshot(p)) {
    st.state = State.from(p.snapshot);
    st.n = p.n ?? st.n;
    st.head = p.head ?? mac.toString('hex');
  } else {
    for (const op of p.ops) st.state.apply(op);
    st.n = p.n ?? st.n + 1;
    st.head = mac.toString('hex');
  }
  st.audit = p.audit ?? p.anchor ?? st.audit;
}

/** Every frame of store.log checked on its own; the state rebuilt from the intact ones. */
export function salvageLog(file: string, bytes: Buffer, storeId: string, rootKey: Uint8Array): LogSalvage {
  const mac = new LogMac(deriveKey(rootKey, storeId, 'store-log-mac'));
  const acc: { state: State; n: number; head: string; audit?: AuditAnchor } = { state: new State(), n: 0, head: '' };
  const damaged: DamagedRecord[] = [];
  let intact = 0;
  let pos = 0;
  let prevs: Buffer[] = [];
  const h = parseHeaderLine(bytes.subarray(0, 256), storeId);
  if ('problem' in h) {
    damaged.push({ file, at: 0, unit: 'byte', problem: `the header line ${h.problem}` });
    const nl = bytes.indexOf(0x0a);
    pos = nl >= 0 && nl < 200 ? nl + 1 : 0;
  } else {
    pos = h.length;
    prevs = [mac.seed(h.line)];
  }
  while (pos < bytes.length) {
    const len = frameLength(bytes, pos);
    if (len !== undefined && pos + FRAME_HEAD + len <= bytes.length) {
      const stored = bytes.subarray(pos + 8, pos + FRAME_HEAD);
      const body = bytes.subarray(pos + FRAME_HEAD, pos + FRAME_HEAD + len);
      const ok = prevs.some((p) => timingSafeEqual(mac.over(p, body), stored));
      let payload: Payload | undefined;
      if (ok) {
        try {
          payload = JSON.parse(body.toString('utf8')) as Payload;
        } catch {
          payload = undefined;
        }
      }
      if (payload) {
        const want = acc.n + 1;
        if (!isSnapshot(payload) && payload.n !== undefined && payload.n > want) {
          damaged.push({ file, at: pos, unit: 'byte', problem: `transaction(s) ${want}–${payload.n - 1} are missing before this record` });
        }
        applyPayload(acc, payload, Buffer.from(stored));
        intact++;
        prevs = [Buffer.from(stored)];
      } else {
        const held = describe(body, acc.state);
        damaged.push({ file, at: pos, unit: 'byte', size: FRAME_HEAD + len, problem: 'fails its integrity check (edited, damaged, reordered, or from another root key)', ...(held ? { held } : {}) });
        // The next frame chains on this one's stored MAC, or on the MAC its intact payload would have had.
        prevs = [Buffer.from(stored), ...prevs.map((p) => mac.over(p, body))];
        acc.n++;
      }
      pos += FRAME_HEAD + len;
      continue;
    }
    if (len !== undefined || bytes.length - pos < FRAME_HEAD) {
      damaged.push({ file, at: pos, unit: 'byte', size: bytes.length - pos, problem: 'a partial record at the end of the file (a write cut short, or the file was cut)' });
      break;
    }
    // A damaged record header: find the next position that starts a readable frame.
    let next = -1;
    for (let p = pos + 1; p + FRAME_HEAD <= bytes.length; p++) {
      const l = frameLength(bytes, p);
      if (l === undefined || p + FRAME_HEAD + l > bytes.length) continue;
      const c = bytes[p + FRAME_HEAD];
      if (c === 0x7b /* { */) {
        next = p;
        break;
      }
    }
    const end = next < 0 ? bytes.length : next;
    damaged.push({ file, at: pos, unit: 'byte', size: end - pos, problem: 'unreadable: the record header is damaged' });
    if (next < 0) break;
    prevs = []; // unknown predecessor: the next frame can only be checked by the one after it
    const l = frameLength(bytes, next)!;
    prevs.push(bytes.subarray(next + 8, next + FRAME_HEAD));
    const body = bytes.subarray(next + FRAME_HEAD, next + FRAME_HEAD + l);
    const held = describe(body, acc.state);
    damaged.push({ file, at: next, unit: 'byte', size: FRAME_HEAD + l, problem: 'cannot be checked: the record before it is unreadable', ...(held ? { held } : {}) });
    acc.n++;
    pos = next + FRAME_HEAD + l;
  }
  return { state: acc.state, n: acc.n, head: acc.head, intact, damaged, ...(acc.audit ? { audit: acc.audit } : {}) };
}

/** The verified prefix of audit.log, and every record after the first bad one, each checked on its own. */
export function salvageAudit(file: string, text: string, rootKey: Uint8Array, storeId: string): AuditSalvage {
  const key = deriveKey(rootKey, storeId, 'audit-mac');
  const v = new AuditVerifier(key);
  const all = text.split('\n');
  const torn = all.pop() ?? '';
  const lines: string[] = [];
  const damaged: DamagedRecord[] = [];
  let highest = 0;
  let broken = false;
  all.forEach((line, i) => {
    const m = /"seq":\s*(\d+)/.exec(line);
    if (m) highest = Math.max(highest, Number(m[1]));
    if (!broken) {
      const problem = v.push(line);
      if (!problem) return void lines.push(line);
      broken = true;
      damaged.push({ file, at: i + 1, unit: 'line', problem: `record ${(v.head?.seq ?? 0) + 1} ${problem}`, ...held(line) });
      return;
    }
    const own = recordProblem(line, key);
    damaged.push({ file, at: i + 1, unit: 'line', problem: own ? `after the break, and ${own}` : 'intact on its own, but after the break in the chain', ...held(line) });
  });
  if (torn) damaged.push({ file, at: all.length + 1, unit: 'line', problem: 'a partial record at the end of the file' });
  return { lines, ...(v.head ? { head: v.head } : {}), records: all.length, damaged, gaps: v.gaps, highest };
}

function held(line: string): { held?: string } {
  try {
    const r = JSON.parse(line) as AuditRecord;
    const res = Object.entries(r.resource ?? {})
      .map(([k, x]) => `${k}=${x}`)
      .join(' ');
    return { held: `#${r.seq} ${r.time} ${r.principal} ${r.action} ${r.outcome}${res ? ' ' + res : ''}` };
  } catch {
    return {};
  }
}

function readOr(path: string): Buffer | undefined {
  if (!existsSync(path)) return undefined;
  return readWhole(realDisk, path);
}

/** The read-only report. `headerProblem`: why store.json could not be used, if so. */
export async function checkStore(dir: string, header: StoreHeader, rootKey: Uint8Array, anchor: FreshnessAnchor | undefined, headerProblem?: string): Promise<StoreCheckReport> {
  const f = storeFiles(dir);
  const logBytes = readOr(f.log) ?? Buffer.alloc(0);
  const log = salvageLog(f.log, logBytes, header.storeId, rootKey);
  const audit = salvageAudit(f.audit, (readOr(f.audit) ?? Buffer.alloc(0)).toString('utf8'), rootKey, header.storeId);
  const report: StoreCheckReport = {
    path: dir,
    storeId: header.storeId,
    ok: false,
    header: headerProblem ? { problem: headerProblem } : {},
    log: { bytes: logBytes.length, transactions: log.n, intact: log.intact, damaged: log.damaged },
    audit: { records: audit.records, intact: audit.lines.length, damaged: audit.damaged, gaps: audit.gaps },
    anchor: { where: anchor?.where ?? '(none)', state: 'none' },
  };
  let a: StoreHead | undefined;
  try {
    a = await anchor?.load();
  } catch (e) {
    report.anchor = { where: anchor!.where, state: 'unreadable', detail: (e as Error).message };
  }
  if (a) {
    const lacks: string[] = [];
    if (log.n < a.n) lacks.push(`store.log holds ${log.n} transaction(s), the anchor records ${a.n} (${a.n - log.n} missing)`);
    else if (log.n === a.n && log.head && a.data && log.head !== a.data && log.damaged.length === 0) lacks.push(`store.log's transaction ${a.n} is not the one the anchor records`);
    const auditHave = audit.head?.seq ?? 0;
    if (a.audit && auditHave < a.audit.seq) lacks.push(`audit.log's intact records end at ${auditHave}, the anchor records ${a.audit.seq} (${a.audit.seq - auditHave} missing or damaged)`);
    if (a.header?.length && !a.header.includes(headerDigest(header))) lacks.push('store.json is not the header the anchor records');
    const ahead = log.n > a.n || auditHave > (a.audit?.seq ?? 0);
    report.anchor = lacks.length
      ? { where: anchor!.where, state: 'behind', detail: lacks.join('; ') }
      : { where: anchor!.where, state: ahead ? 'store ahead' : 'current' };
  }
  report.ok = !headerProblem && log.damaged.length === 0 && audit.damaged.length === 0 && (report.anchor.state === 'current' || report.anchor.state === 'store ahead' || report.anchor.state === 'none');
  return report;
}
