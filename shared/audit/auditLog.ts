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
 * caught by the anchor: every data write in the store records the audit head
 * (seq + hash) it committed with, and verify checks the log reaches it.
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

function canonical(r: Omit<AuditRecord, 'hash' | 'mac'>): string {
  const resource: Record<string, string> = {};
  for (const k of Object.keys(r.resource).sort()) resource[k] = String(r.resource[k]);
  return JSON.stringify([r.seq, r.prev, r.time, r.principal, r.action, resource, r.outcome, r.errorCode ?? null]);
}

function hashOf(r: Omit<AuditRecord, 'hash' | 'mac'>): string {
  return createHash('sha256').update(canonical(r)).digest('hex');
}

function macOf(key: Uint8Array, hash: string): string {
  return createHmac('sha256', key).update(`hush/audit/${hash}`).digest('hex');
}

/** Serializes events onto the chain; the store calls it under its lock. */
export class AuditChain {
  constructor(private readonly macKey: Uint8Array) {}

  append(head: AuditAnchor | undefined, e: AuditEvent): { line: string; head: AuditAnchor } {
    const base = {
      seq: (head?.seq ?? 0) + 1,
      prev: head?.hash ?? GENESIS_HASH,
      time: e.time,
      principal: e.principal,
      action: e.action,
      resource: { ...e.resource },
      outcome: e.outcome,
      ...(e.errorCode ? { errorCode: e.errorCode } : {}),
    };
    const hash = hashOf(base);
    const rec: AuditRecord = { ...base, hash, mac: macOf(this.macKey, hash) };
    return { line: JSON.stringify(rec), head: { seq: rec.seq, hash } };
  }
}

export type AuditVerdict =
  | { ok: true; records: number; signed: boolean; head?: AuditAnchor }
  | { ok: false; records: number; line: number; seq?: number; reason: string };

/**
 * Walks the whole log. Reports the first broken record: `line` is 1-based in
 * the log, `seq` the record number it should have had. Without a MAC key it
 * checks the chain only (signed: false).
 */
export function verifyAudit(lines: string[], macKey?: Uint8Array, anchor?: AuditAnchor): AuditVerdict {
  let prev: AuditAnchor | undefined;
  const bad = (i: number, reason: string): AuditVerdict => ({ ok: false, records: i, line: i + 1, seq: (prev?.seq ?? 0) + 1, reason });
  for (let i = 0; i < lines.length; i++) {
    let r: AuditRecord;
    try {
      r = JSON.parse(lines[i]!) as AuditRecord;
    } catch {
      return bad(i, 'is not a well-formed record (edited or damaged)');
    }
    if (typeof r !== 'object' || r === null || typeof r.seq !== 'number' || typeof r.hash !== 'string' || typeof r.resource !== 'object' || r.resource === null) {
      return bad(i, 'is not a well-formed record (edited or damaged)');
    }
    const expectSeq = (prev?.seq ?? 0) + 1;
    if (r.seq !== expectSeq) {
      return bad(i, `has sequence number ${r.seq} where ${expectSeq} was due (records were deleted, inserted or reordered)`);
    }
    if (r.prev !== (prev?.hash ?? GENESIS_HASH)) {
      return bad(i, `does not follow the record before it (records were deleted, inserted or reordered)`);
    }
    const { hash, mac, ...rest } = r;
    if (hashOf(rest) !== hash) return bad(i, 'was edited: its content does not match its hash');
    if (macKey) {
      const want = Buffer.from(macOf(macKey, hash), 'hex');
      const got = Buffer.from(String(mac), 'hex');
      if (want.length !== got.length || !timingSafeEqual(want, got)) {
        return bad(i, 'has an invalid signature: the chain was rewritten without the root key');
      }
    }
    prev = { seq: r.seq, hash };
  }
  if (anchor) {
    if ((prev?.seq ?? 0) < anchor.seq) {
      return {
        ok: false,
        records: lines.length,
        line: lines.length + 1,
        seq: (prev?.seq ?? 0) + 1,
        reason: `is missing: the log ends at record ${prev?.seq ?? 0} but the store committed with record ${anchor.seq} (the log was truncated)`,
      };
    }
    const at = JSON.parse(lines[anchor.seq - 1]!) as AuditRecord;
    if (at.hash !== anchor.hash) {
      return { ok: false, records: lines.length, line: anchor.seq, seq: anchor.seq, reason: 'differs from the one the store committed with (the log was replaced)' };
    }
  }
  return { ok: true, records: lines.length, signed: macKey !== undefined, ...(prev ? { head: prev } : {}) };
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
