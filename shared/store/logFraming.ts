/**
 * store.log's format: one line `HUSHLOG1 <storeId> <generation>\n`, then frames
 *   u32be len | u32be ~len | 32-byte HMAC-SHA256 | len bytes of JSON
 * The HMAC is chained (over the previous frame's HMAC and this payload, the
 * first one over the header line) under a key derived from the root key: a
 * flipped bit, an edited, dropped or reordered record fails its check, and a
 * log from another store or root key fails at the first frame. The
 * complemented length makes a damaged length field damage too, so only a
 * frame that runs past the end of the file can be a torn write.
 *
 * Each transaction frame carries its number `n` (1, 2, …); a snapshot frame
 * (compaction) carries the `n` and chain `head` of the transaction it sums
 * up, so (n, head) names a point in the store's history whatever was
 * compacted since. That pair is what the freshness anchor keeps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuditAnchor } from '../audit/auditLog';
import type { Op, Snapshot } from './storeState';

export const MAGIC = 'HUSHLOG1';
export const FRAME_HEAD = 40;
export const MAX_FRAME = 64 * 1024 * 1024;

/** `audit`: the audit head the transaction committed with (`anchor` in logs written before 2026-12). */
export interface TxPayload {
  n?: number;
  ops: Op[];
  audit?: AuditAnchor;
  anchor?: AuditAnchor;
}
export interface SnapshotPayload {
  snapshot: Snapshot;
  n?: number;
  head?: string;
  audit?: AuditAnchor;
  anchor?: AuditAnchor;
}
export type Payload = TxPayload | SnapshotPayload;

export function isSnapshot(p: Payload): p is SnapshotPayload {
  return 'snapshot' in p;
}

export class LogMac {
  constructor(private readonly key: Buffer) {}
  over(prev: Buffer, payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(prev).update(payload).digest();
  }
  /** The chain's start: the MAC of the header line. */
  seed(headerLine: Buffer): Buffer {
    return this.over(Buffer.alloc(0), headerLine);
  }
}

export function headerLine(storeId: string, generation: string): Buffer {
  return Buffer.from(`${MAGIC} ${storeId} ${generation}\n`, 'utf8');
}

/** The header line at the start of `head`: its length, or what is wrong with it. */
export function parseHeaderLine(head: Buffer, storeId: string): { length: number; line: Buffer } | { problem: string } {
  const nl = head.indexOf(0x0a);
  if (nl < 0 || nl > 200) return { problem: 'does not start with a Hush store log header' };
  const [magic, id, gen] = head.subarray(0, nl).toString('utf8').split(' ');
  if (magic !== MAGIC || !gen) return { problem: 'does not start with a Hush store log header' };
  if (id !== storeId) return { problem: `belongs to store ${id}, not ${storeId}` };
  return { length: nl + 1, line: head.subarray(0, nl + 1) };
}

/** The store id named by a log's header line, if it can be read. */
export function storeIdFromLog(path: string): string | undefined {
  try {
    const head = readFileSync(path).subarray(0, 256);
    const [magic, id] = head.subarray(0, Math.max(0, head.indexOf(0x0a))).toString('utf8').split(' ');
    return magic === MAGIC && id ? id : undefined;
  } catch {
    return undefined;
  }
}

export function encodeFrame(mac: LogMac, prev: Buffer, payload: Payload): { bytes: Buffer; mac: Buffer } | undefined {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  if (body.length > MAX_FRAME) return undefined;
  const m = mac.over(prev, body);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32BE(body.length, 0);
  head.writeUInt32BE(~body.length >>> 0, 4);
  return { bytes: Buffer.concat([head, m, body]), mac: m };
}

export interface Frame {
  /** Byte offset in the file. */
  at: number;
  /** Bytes on disk, head included. */
  size: number;
  mac: Buffer;
  payload: Payload;
}

/**
 * Where a scan stopped early. `torn`: the last frame is incomplete (a write
 * cut short, or a file cut short: only the freshness anchor can tell which).
 * `damaged`: a frame that is complete but fails its length or integrity check.
 */
export interface ScanStop {
  at: number;
  kind: 'torn' | 'damaged';
  reason: string;
}

/** Reads the length fields of a frame at `pos`: the payload length, or undefined when they disagree. */
export function frameLength(buf: Buffer, pos: number): number | undefined {
  if (buf.length - pos < 8) return undefined;
  const len = buf.readUInt32BE(pos);
  if ((len ^ buf.readUInt32BE(pos + 4)) >>> 0 !== 0xffffffff || len > MAX_FRAME) return undefined;
  return len;
}

/**
 * Verifies and parses the frames in `buf` (which starts at file offset
 * `base`), chaining from `prev`. Stops at the first frame that is torn or
 * damaged; everything before it is intact.
 */
export function scanFrames(buf: Buffer, base: number, prev: Buffer, mac: LogMac): { frames: Frame[]; end: number; last: Buffer; stop?: ScanStop } {
  const frames: Frame[] = [];
  let pos = 0;
  let last = prev;
  while (pos < buf.length) {
    const at = base + pos;
    if (buf.length - pos < FRAME_HEAD) {
      const lenOk = buf.length - pos < 8 || frameLength(buf, pos) !== undefined;
      if (lenOk) return { frames, end: at, last, stop: { at, kind: 'torn', reason: `the file ends ${buf.length - pos} bytes into a record header` } };
    }
    const len = frameLength(buf, pos);
    if (len === undefined) return { frames, end: at, last, stop: { at, kind: 'damaged', reason: 'the record header is damaged' } };
    if (buf.length - pos < FRAME_HEAD + len) {
      return { frames, end: at, last, stop: { at, kind: 'torn', reason: `the record runs ${FRAME_HEAD + len - (buf.length - pos)} bytes past the end of the file` } };
    }
    const got = buf.subarray(pos + 8, pos + FRAME_HEAD);
    const body = buf.subarray(pos + FRAME_HEAD, pos + FRAME_HEAD + len);
    const want = mac.over(last, body);
    if (!timingSafeEqual(got, want)) {
      const isLast = pos + FRAME_HEAD + len === buf.length;
      if (isLast && body.every((b) => b === 0)) {
        return { frames, end: at, last, stop: { at, kind: 'torn', reason: 'the last record is zero-filled (space allocated, data never written)' } };
      }
      return {
        frames,
        end: at,
        last,
        stop: { at, kind: 'damaged', reason: 'the record fails its integrity check (edited, damaged, reordered, or from another root key)' },
      };
    }
    let payload: Payload;
    try {
      payload = JSON.parse(body.toString('utf8')) as Payload;
    } catch {
      return { frames, end: at, last, stop: { at, kind: 'damaged', reason: 'the record is not readable' } };
    }
    frames.push({ at, size: FRAME_HEAD + len, mac: want, payload });
    last = want;
    pos += FRAME_HEAD + len;
  }
  return { frames, end: base + pos, last };
}
