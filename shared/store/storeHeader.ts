/**
 * store.json, the store's header: store id, format, and how the root key is
 * found (scrypt parameters + the sealed root key, or a key-check value).
 * Nothing secret. Written at creation, replaced only by a passphrase change.
 *
 * The header carries a digest of itself, so damage to it is reported as
 * damage (CorruptStore naming store.json) and not as a wrong key or a wrong
 * passphrase; every field is also checked for its shape. The same digest is
 * kept in the freshness anchor, so an older store.json (say, one an old,
 * leaked passphrase still opens) cannot be put back unnoticed.
 */
import { createHash } from 'node:crypto';
import { HushError } from '../errors';
import type { RootKeyHeader } from '../crypto/rootKey';
import { acquireLock } from './lockFile';
import { createFileOnce, Disk, mkdirPrivate, readWhole, realDisk, replaceFile } from './disk';
import { checkStoreFile, checkStoreFolder, storeFiles } from './storeFolder';

export const FORMAT = 'hush-store/1';

export interface StoreHeader {
  format: typeof FORMAT;
  storeId: string;
  createdAt: string;
  rootKey: RootKeyHeader;
  /** sha256 (hex) of the header without this field; absent in stores made before it existed. */
  digest?: string;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The header's digest: the same before and after the `digest` field is added. */
export function headerDigest(h: StoreHeader): string {
  return createHash('sha256').update(canonical({ ...h, digest: undefined })).digest('hex');
}

export function withDigest(h: StoreHeader): StoreHeader {
  return { ...h, digest: headerDigest(h) };
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const b64Bytes = (s: unknown): number => (typeof s === 'string' && B64.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64').length : -1);

/** What is wrong with a parsed header, or undefined. */
function shapeProblem(h: Record<string, unknown>): string | undefined {
  if (h.format !== FORMAT) return `its format is ${JSON.stringify(h.format)}, not ${FORMAT}`;
  if (typeof h.storeId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(h.storeId)) return 'its store id is missing or malformed';
  if (typeof h.createdAt !== 'string' || Number.isNaN(Date.parse(h.createdAt))) return 'its creation date is malformed';
  const rk = h.rootKey as Record<string, unknown> | undefined;
  if (!rk || typeof rk !== 'object') return 'it has no root key description';
  if (rk.kind === 'raw') {
    if (b64Bytes(rk.check) !== 32) return 'its key-check value is malformed';
  } else if (rk.kind === 'passphrase') {
    const k = rk.kdf as Record<string, unknown> | undefined;
    const N = Number(k?.N);
    if (!k || k.name !== 'scrypt' || !Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 1 << 24) return 'its scrypt parameters are malformed';
    if (!Number.isInteger(k.r) || (k.r as number) < 1 || (k.r as number) > 64 || !Number.isInteger(k.p) || (k.p as number) < 1 || (k.p as number) > 64) {
      return 'its scrypt parameters are malformed';
    }
    if (b64Bytes(k.salt) < 16) return 'its scrypt salt is malformed';
    if (b64Bytes(rk.wrapped) !== 60) return 'its sealed root key is malformed';
  } else {
    return `its root key kind ${JSON.stringify(rk.kind)} is unknown`;
  }
  if (h.digest !== undefined && (typeof h.digest !== 'string' || h.digest !== headerDigest(h as unknown as StoreHeader))) {
    return 'its content does not match its digest';
  }
  return undefined;
}

const RESTORE = 'restore it from a backup of this store (store.json holds no secret; any copy made since the last passphrase change will do)';

/** The header of the store in `dir`, or undefined when there is none. Damage is CorruptStore, never a wrong key. */
export function readHeader(dir: string, disk: Disk = realDisk): StoreHeader | undefined {
  const p = storeFiles(dir).header;
  if (!checkStoreFile(p)) return undefined;
  let h: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(readWhole(disk, p).toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    h = v as Record<string, unknown>;
  } catch (e) {
    throw new HushError('CorruptStore', `the store header ${p} is damaged (not readable JSON: ${(e as Error).message}); ${RESTORE}`);
  }
  const problem = shapeProblem(h);
  if (problem) throw new HushError('CorruptStore', `the store header ${p} is damaged: ${problem}; ${RESTORE}`);
  return h as unknown as StoreHeader;
}

function serialize(h: StoreHeader): Buffer {
  return Buffer.from(JSON.stringify(withDigest(h), null, 2) + '\n', 'utf8');
}

/**
 * Creates the store folder (0700) and its header once, even when several
 * processes race to do it: the header appears by link(2), which fails if
 * another won. `make` is called under the store lock and only when there is
 * no header.
 */
export async function ensureHeader(
  dir: string,
  make: () => Promise<StoreHeader>,
  disk: Disk = realDisk,
): Promise<{ header: StoreHeader; created: boolean }> {
  mkdirPrivate(disk, dir);
  checkStoreFolder(dir);
  const existing = readHeader(dir, disk);
  if (existing) return { header: existing, created: false };
  const release = await acquireLock(storeFiles(dir).lock);
  try {
    const again = readHeader(dir, disk);
    if (again) return { header: again, created: false };
    const header = withDigest(await make());
    if (!createFileOnce(disk, storeFiles(dir).header, serialize(header))) return { header: readHeader(dir, disk)!, created: false };
    return { header, created: true };
  } finally {
    release();
  }
}

/** Replaces the header (passphrase change), durably. Call under the store lock. */
export function replaceHeader(dir: string, header: StoreHeader, disk: Disk = realDisk): StoreHeader {
  const h = withDigest(header);
  replaceFile(disk, storeFiles(dir).header, serialize(h));
  return h;
}

/** Writes the header of a new store folder (recovery), durably. */
export function writeNewHeader(dir: string, header: StoreHeader, disk: Disk = realDisk): void {
  if (!createFileOnce(disk, storeFiles(dir).header, serialize(header))) {
    throw new HushError('InvalidArgument', `${storeFiles(dir).header} already exists`);
  }
}
