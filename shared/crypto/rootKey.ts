/**
 * The root of trust: one 256-bit root key per store, never written into the
 * store. Providers, in this order unless one is configured:
 *   1. HUSH_MASTER_KEY  base64 of 32 bytes (CI, headless machines)
 *   2. HUSH_PASSPHRASE  scrypt-derived key-encryption key (N=2^17, r=8, p=1); the store header
 *                       holds the scrypt parameters and the root key sealed
 *                       under that KEK, so a wrong passphrase is reported as
 *                       WrongPassphrase, never as corruption
 *   3. the OS keychain  keytar, service 'hush', account = store id,
 *                       created on first use
 * A store made with (1) or (3) records a key-check value instead, so a wrong
 * HUSH_MASTER_KEY is reported as WrongRootKey.
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { HushError } from '../errors';
import { open, seal } from './aead';

export type RootKeyProvider = 'auto' | 'environment' | 'passphrase' | 'keychain';

export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string; // base64
}

/** What the store header records about its root key (nothing secret). */
export type RootKeyHeader =
  | { kind: 'raw'; check: string }
  | { kind: 'passphrase'; kdf: ScryptParams; wrapped: string };

export interface RootKeyOptions {
  env?: NodeJS.ProcessEnv;
  provider?: RootKeyProvider;
  /** Overrides HUSH_PASSPHRASE (the editor asks once per session). */
  passphrase?: string;
  /** Lower scrypt cost, for tests only. */
  scryptN?: number;
}

export interface UnlockedRootKey {
  key: Buffer;
  /** Where it came from, for messages: 'HUSH_MASTER_KEY', 'HUSH_PASSPHRASE', 'keychain'. */
  source: string;
}

export const KEYCHAIN_SERVICE = 'hush';
/**
 * scrypt cost for new stores and passphrase changes: N = 2^17, r = 8, p = 1
 * (OWASP's floor; 128 MiB and about half a second here). Stores made with a
 * lower N still open, and get this cost at their next passphrase change.
 */
export const DEFAULT_SCRYPT_N = 1 << 17;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * keytar is a native (N-API) module kept external in the bundles: load it
 * only when the keychain is actually the provider, so the CLI and server
 * still work where it cannot load.
 */
const NEW_STORE_HINT = 'set HUSH_PASSPHRASE (or HUSH_MASTER_KEY) instead';
const OLD_STORE_HINT = "set HUSH_MASTER_KEY to this store's root key (base64), or fix the keychain";

export function loadKeytar(hint = NEW_STORE_HINT): Keytar {
  try {
    return require('keytar') as Keytar;
  } catch (e) {
    throw new HushError('KeychainUnavailable', `the OS keychain could not be used (keytar failed to load: ${firstLine(e)}); ${hint}`);
  }
}

async function keychainCall<T>(what: string, hint: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof HushError) throw e;
    throw new HushError(
      'KeychainUnavailable',
      `the OS keychain refused to ${what} (${firstLine(e)}); is a Secret Service running and unlocked? Or ${hint}`,
    );
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);
}

function masterKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const v = env.HUSH_MASTER_KEY;
  if (v === undefined || v === '') return undefined;
  const b = Buffer.from(v.trim(), 'base64');
  if (b.length !== 32 || b.toString('base64') !== v.trim()) {
    throw new HushError('InvalidArgument', 'HUSH_MASTER_KEY must be the base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)');
  }
  return b;
}

function checkValue(key: Uint8Array, storeId: string): string {
  return createHmac('sha256', key).update(`hush/key-check/${storeId}`).digest('base64');
}

function kek(passphrase: string, p: ScryptParams): Buffer {
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(p.salt, 'base64'), 32, {
    N: p.N,
    r: p.r,
    p: p.p,
    maxmem: 256 * p.N * p.r + 1024 * 1024,
  });
}

function pick(o: RootKeyOptions): { provider: RootKeyProvider; env: NodeJS.ProcessEnv } {
  return { provider: o.provider ?? 'auto', env: o.env ?? process.env };
}

function passphraseOf(o: RootKeyOptions, env: NodeJS.ProcessEnv): string | undefined {
  const p = o.passphrase ?? env.HUSH_PASSPHRASE;
  return p === undefined || p === '' ? undefined : p;
}

/** Makes the root key of a new store and the header that describes it. */
export async function createRootKey(storeId: string, o: RootKeyOptions = {}): Promise<UnlockedRootKey & { header: RootKeyHeader }> {
  const { provider, env } = pick(o);
  const master = provider === 'auto' || provider === 'environment' ? masterKeyFromEnv(env) : undefined;
  if (master) return { key: master, source: 'HUSH_MASTER_KEY', header: { kind: 'raw', check: checkValue(master, storeId) } };
  if (provider === 'environment') throw new HushError('RootKeyUnavailable', 'HUSH_MASTER_KEY is not set');

  const pass = provider === 'auto' || provider === 'passphrase' ? passphraseOf(o, env) : undefined;
  if (pass !== undefined) {
    const key = randomBytes(32);
    return { key, source: 'HUSH_PASSPHRASE', header: wrapRootKey(storeId, key, pass, o.scryptN) };
  }
  if (provider === 'passphrase') throw new HushError('RootKeyUnavailable', 'no passphrase: set HUSH_PASSPHRASE');

  const keytar = loadKeytar(NEW_STORE_HINT);
  let existing = await keychainCall('read the root key', NEW_STORE_HINT, () => keytar.getPassword(KEYCHAIN_SERVICE, storeId));
  if (!existing) {
    existing = randomBytes(32).toString('base64');
    const v = existing;
    await keychainCall('store the root key', NEW_STORE_HINT, () => keytar.setPassword(KEYCHAIN_SERVICE, storeId, v));
  }
  const key = Buffer.from(existing, 'base64');
  return { key, source: 'keychain', header: { kind: 'raw', check: checkValue(key, storeId) } };
}

/** The header of a store whose root key is kept raw (HUSH_MASTER_KEY, keychain): a key-check value. */
export function rawRootKeyHeader(storeId: string, key: Uint8Array): RootKeyHeader {
  return { kind: 'raw', check: checkValue(key, storeId) };
}

/**
 * Seals `key` under a new passphrase with the current scrypt cost: the header
 * of a passphrase change (the root key itself, and so every secret, stays).
 */
export function wrapRootKey(storeId: string, key: Uint8Array, passphrase: string, scryptN = DEFAULT_SCRYPT_N): RootKeyHeader {
  if (passphrase === '') throw new HushError('InvalidArgument', 'a passphrase cannot be empty');
  const kdf: ScryptParams = { name: 'scrypt', N: scryptN, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
  return { kind: 'passphrase', kdf, wrapped: seal(kek(passphrase, kdf), key, `hush/root-key/${storeId}`) };
}

/** Finds and checks the root key of an existing store. */
export async function unlockRootKey(storeId: string, header: RootKeyHeader, o: RootKeyOptions = {}): Promise<UnlockedRootKey> {
  const { env } = pick(o);
  if (header.kind === 'passphrase') {
    const pass = passphraseOf(o, env);
    if (pass === undefined) {
      throw new HushError('RootKeyUnavailable', `store ${storeId} is protected by a passphrase; set HUSH_PASSPHRASE`);
    }
    try {
      return { key: open(kek(pass, header.kdf), header.wrapped, `hush/root-key/${storeId}`), source: 'HUSH_PASSPHRASE' };
    } catch {
      throw new HushError('WrongPassphrase', `the passphrase does not unlock store ${storeId}`);
    }
  }
  const found = await findRawRootKey(storeId, o);
  const want = Buffer.from(header.check, 'base64');
  const got = Buffer.from(checkValue(found.key, storeId), 'base64');
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new HushError('WrongRootKey', `the root key from ${found.source} is not the root key of store ${storeId}`);
  }
  return found;
}

/**
 * The root key of a store without a passphrase, from HUSH_MASTER_KEY or the
 * keychain, not yet checked against the header (unlockRootKey checks it).
 */
export async function findRawRootKey(storeId: string, o: RootKeyOptions = {}): Promise<UnlockedRootKey> {
  const { provider, env } = pick(o);
  if (provider !== 'keychain' && provider !== 'passphrase') {
    const master = masterKeyFromEnv(env);
    if (master) return { key: master, source: 'HUSH_MASTER_KEY' };
    if (provider === 'environment') throw new HushError('RootKeyUnavailable', 'HUSH_MASTER_KEY is not set');
  }
  if (provider === 'passphrase') {
    throw new HushError('RootKeyUnavailable', `store ${storeId} is not passphrase-protected; use HUSH_MASTER_KEY or the keychain`);
  }
  const keytar = loadKeytar(OLD_STORE_HINT);
  const v = await keychainCall('read the root key', OLD_STORE_HINT, () => keytar.getPassword(KEYCHAIN_SERVICE, storeId));
  if (!v) {
    throw new HushError(
      'RootKeyUnavailable',
      `the root key of store ${storeId} is neither in HUSH_MASTER_KEY nor in the OS keychain (service '${KEYCHAIN_SERVICE}', account '${storeId}')`,
    );
  }
  return { key: Buffer.from(v, 'base64'), source: 'the keychain' };
}
