/**
 * The audit log: one record per operation (reads, KMS calls, denied and failed
 * ones too) with time, principal, action, resource ids, outcome and error
 * code. Never a value: AuditEvent has no field that could hold one, and the
 * resource map takes ids and names only.
 *
 * Each record carries the hash of the one before (sha256 over a canonical
 * serialization), so an edit, deletion or reordering breaks the chain at that
 * record. Each record is also signed: an HMAC of its hash under a key derived
 * (HKDF) from the root key, so someone who edits the file and recomputes the
 * hashes still cannot make the signatures match. Truncation of the tail is
 * caught by the anchors: the store's freshness anchor (kept next to the root
 * key, see store/freshnessAnchor.ts) and every data write record the audit
 * head (seq + hash) they committed with, and verify checks the log reaches it.
 *
 * A chain that broke is never healed silently: `hush audit repair` continues
 * it with a signed repair record that declares which records were lost, and
 * verify reports that gap from then on.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type AuditOutcome = 'Success' | 'Failure' | 'Denied';

export interface AuditEvent {
  time: string;
  principal: string;
  action: string;
  /** Ids and names only (secretId, secretName, versionId, keyId, alias…). */
  resource: Record<string, string>;
  outcome: AuditOutcome;
  errorCode?: string;
  /** Who asked how and from where, and what policy said (records since access policy; older ones have none). */
  context?: AuditContext;
}

export interface AuditContext {
  /** editor, cli or serve. */
  source: string;
  host: string;
  /** How the principal proved who they are: root-key, identity, sigv4. */
  auth: string;
  /** The one id of an operation and the records it caused (its dependent KMS calls). */
  requestId: string;
  decision?: 'Allow' | 'Deny';
  /** The policy and statement that decided, when one did. */
  policy?: string;
  sid?: string;
}

export interface AuditRecord extends AuditEvent {
  seq: number;
  prev: string;
  hash: string;
  mac: string;
}

export interface AuditAnchor {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

function sorted(m: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = String((m as Record<string, unknown>)[k]);
  return out;
}

function canonical(r: Omit<AuditRecord, 'hash' | 'mac'>): string {
  const fields: unknown[] = [r.seq, r.prev, r.time, r.principal, r.action, sorted(r.resource), r.outcome, r.errorCode ?? null];
  // Records written before the context existed hash exactly as they did.
  if (r.context !== undefined) fields.push(sorted(r.context));
  return JSON.stringify(fields);
}

function hashOf(r: Omit<AuditRecord, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonical(r)).digest('hex');
}

function macOf(key: Uint8Array, hash: string): string {
  return createHmac('sha256', key).update(`hush/audit/${hash}`).digest('hex');
}

/** The action of the record that continues a chain after a repaired gap (hush audit repair, hush store recover). */
export const REPAIR_ACTION = 'audit:Repair';

/** Serializes events onto the chain; the store calls it under its lock. */
export class AuditChain {
  constructor(private readonly macKey: Uint8Array) {}

  /** `seq` is only given for a repair record, which skips the numbers of the records it declares lost. */
  append(head: AuditAnchor | undefined, e: AuditEvent, seq?: number): { line: string; head: AuditAnchor } {
    const base = {
      seq: seq ?? (head?.seq ?? 0) + 1,
      prev: head?.hash ?? GENESIS_HASH,
      time: e.time,
      principal: e.principal,
      action: e.action,
      resource: { ...e.resource },
      outcome: e.outcome,
      ...(e.errorCode ? { errorCode: e.errorCode } : {}),
      ...(e.context ? { context: { ...e.context } } : {}),
    };
    const hash = hashOf(base);
    const rec: AuditRecord = { ...base, hash, mac: macOf(this.macKey, hash) };
    return { line: JSON.stringify(rec), head: { seq: rec.seq, hash } };
  }

  /**
   * The first record of a chain continued after damage: it follows the last
   * intact record, declares records `from`..`to` lost, and takes number
   * `to + 1`, so no number is ever used twice. Signed like any record, so
   * nobody without the root key can declare a gap to hide a deletion.
   */
  appendGap(head: AuditAnchor | undefined, gap: { from: number; to: number; reason: string; keptAs?: string }, who: { time: string; principal: string }): { line: string; head: AuditAnchor } {
    const resource: Record<string, string> = { gapFrom: String(gap.from), gapTo: String(gap.to), reason: gap.reason };
    if (gap.keptAs) resource.keptAs = gap.keptAs;
    return this.append(head, { time: who.time, principal: who.principal, action: REPAIR_ACTION, resource, outcome: 'Success' }, gap.to + 1);
  }
}

/** A gap in the chain that was repaired: records `from`..`to` were lost; `seq` is the repair record. */
export interface AuditGap {
  from: number;
  to: number;
  seq: number;
  time: string;
  principal: string;
  reason: string;
  keptAs?: string;
}

/** What is wrong with one record on its own (its hash and signature), ignoring the chain; undefined if nothing. */
export function recordProblem(line: string, macKey: Uint8Array): string | undefined {
  let r: AuditRecord;
  try {
    r = JSON.parse(line) as AuditRecord;
  } catch {
    return 'not a well-formed record';
  }
  if (typeof r !== 'object' || r === null || typeof r.hash !== 'string' || typeof r.resource !== 'object' || r.resource === null) return 'not a well-formed record';
  const { hash, mac, ...rest } = r;
  if (hashOf(rest) !== hash) return 'edited: its content does not match its hash';
  const want = Buffer.from(macOf(macKey, hash), 'utf8');
  const got = Buffer.from(String(mac), 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'its signature is invalid';
  return undefined;
}

export type AuditVerdict =
  | { ok: true; records: number; signed: boolean; head?: AuditAnchor; gaps: AuditGap[] }
  | { ok: false; records: number; line: number; seq?: number; reason: string; gaps: AuditGap[] };

/**
 * Checks records one at a time, in order (the store checks each record once,
 * as it reads or appends it). Without a MAC key it checks the chain only.
 */
export class AuditVerifier {
  head: AuditAnchor | undefined;
  readonly gaps: AuditGap[] = [];
  count = 0;
  /** Hashes of the records whose numbers were asked for (the anchored ones). */
  private readonly watched = new Map<number, string | undefined>();

  constructor(private readonly macKey?: Uint8Array) {}

  watch(seq: number): void {
    if (!this.watched.has(seq)) this.watched.set(seq, undefined);
  }

  hashAt(seq: number): string | undefined {
    return this.watched.get(seq);
  }

  /** Whether record `seq` was declared lost by a repair. */
  inGap(seq: number): boolean {
    return this.gaps.some((g) => seq >= g.from && seq <= g.to);
  }

  /** Checks the next line; returns what is wrong with it, or undefined (and then it is the new head). */
  push(line: string): string | undefined {
    let r: AuditRecord;
    try {
      r = JSON.parse(line) as AuditRecord;
    } catch {
      return 'is not a well-formed record (edited or damaged)';
    }
    if (typeof r !== 'object' || r === null || typeof r.seq !== 'number' || typeof r.hash !== 'string' || typeof r.resource !== 'object' || r.resource === null) {
      return 'is not a well-formed record (edited or damaged)';
    }
    const expectSeq = (this.head?.seq ?? 0) + 1;
    let gap: AuditGap | undefined;
    if (r.seq !== expectSeq) {
      const from = Number(r.resource.gapFrom);
      const to = Number(r.resource.gapTo);
      if (r.action !== REPAIR_ACTION || from !== expectSeq || to + 1 !== r.seq || to < from) {
        return `has sequence number ${r.seq} where ${expectSeq} was due (records were deleted, inserted or reordered)`;
      }
      gap = {
        from,
        to,
        seq: r.seq,
        time: String(r.time),
        principal: String(r.principal),
        reason: String(r.resource.reason ?? ''),
        ...(r.resource.keptAs ? { keptAs: String(r.resource.keptAs) } : {}),
      };
    }
    if (r.prev !== (this.head?.hash ?? GENESIS_HASH)) {
      return 'does not follow the record before it (records were deleted, inserted or reordered)';
    }
    const { hash, mac, ...rest } = r;
    if (hashOf(rest) !== hash) return 'was edited: its content does not match its hash';
    if (this.macKey) {
      // Compared as text, so even a change of case in the hex is a change.
      const want = Buffer.from(macOf(this.macKey, hash), 'utf8');
      const got = Buffer.from(String(mac), 'utf8');
      if (want.length !== got.length || !timingSafeEqual(want, got)) {
        return 'has an invalid signature: the chain was rewritten without the root key';
      }
    }
    if (gap) this.gaps.push(gap);
    if (this.watched.has(r.seq)) this.watched.set(r.seq, hash);
    this.head = { seq: r.seq, hash };
    this.count++;
    return undefined;
  }

  /** Takes records this process appended itself (made by AuditChain, so known good). */
  accept(head: AuditAnchor, records: number): void {
    if (this.watched.has(head.seq)) this.watched.set(head.seq, head.hash);
    this.head = head;
    this.count += records;
  }

  /** Whether the log reaches `anchor` with the same record; the problem otherwise. */
  checkAnchor(anchor: AuditAnchor): string | undefined {
    const last = this.head?.seq ?? 0;
    if (last < anchor.seq) {
      return `is missing: the log ends at record ${last} but the store committed with record ${anchor.seq} (the log was truncated or rolled back: ${anchor.seq - last} record(s) behind)`;
    }
    if (this.inGap(anchor.seq)) return undefined;
    const h = this.hashAt(anchor.seq);
    if (h !== undefined && h !== anchor.hash) return 'differs from the one the store committed with (the log was replaced)';
    return undefined;
  }
}

/**
 * Walks the whole log. Reports the first broken record: `line` is 1-based in
 * the log, `seq` the record number it should have had. A repaired gap is not
 * a failure, but it is always reported (`gaps`): the log is never "intact"
 * again. Without a MAC key it checks the chain only (signed: false).
 */
export function verifyAudit(lines: string[], macKey?: Uint8Array, anchor?: AuditAnchor): AuditVerdict {
  const v = new AuditVerifier(macKey);
  if (anchor) v.watch(anchor.seq);
  for (let i = 0; i < lines.length; i++) {
    const problem = v.push(lines[i]!);
    if (problem) return { ok: false, records: i, line: i + 1, seq: (v.head?.seq ?? 0) + 1, reason: problem, gaps: v.gaps };
  }
  if (anchor) {
    const problem = v.checkAnchor(anchor);
    if (problem) {
      const behind = (v.head?.seq ?? 0) < anchor.seq;
      return { ok: false, records: lines.length, line: behind ? lines.length + 1 : anchor.seq, seq: behind ? (v.head?.seq ?? 0) + 1 : anchor.seq, reason: problem, gaps: v.gaps };
    }
  }
  return { ok: true, records: lines.length, signed: macKey !== undefined, ...(v.head ? { head: v.head } : {}), gaps: v.gaps };
}

export interface AuditFilter {
  secret?: string; // id or name
  key?: string;
  action?: string;
  since?: Date;
  until?: Date;
  outcome?: AuditOutcome;
}

export function parseAudit(lines: string[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const l of lines) {
    try {
      out.push(JSON.parse(l) as AuditRecord);
    } catch {
      /* verify reports it; list shows what it can read */
    }
  }
  return out;
}

export function filterAudit(records: AuditRecord[], f: AuditFilter): AuditRecord[] {
  return records.filter((r) => {
    if (f.secret && r.resource.secretId !== f.secret && r.resource.secretName !== f.secret) return false;
    if (f.key && r.resource.keyId !== f.key && r.resource.alias !== f.key) return false;
    if (f.action && r.action.toLowerCase() !== f.action.toLowerCase()) return false;
    if (f.outcome && r.outcome !== f.outcome) return false;
    const t = Date.parse(r.time);
    if (f.since && t < f.since.getTime()) return false;
    if (f.until && t > f.until.getTime()) return false;
    return true;
  });
}
