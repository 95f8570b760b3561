/**
 * A team member's identity: an X25519 key pair. The private key lives in the
 * OS keychain (keytar, service 'hush-identity'), created on first use, or
 * comes from HUSH_IDENTITY (base64 of the 32-byte private key) on CI and
 * servers. The public key (base64 of 32 bytes) is what `hush member whoami`
 * prints and what a teammate passes to `hush member add`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { HushError } from '../errors';
import { loadKeytar } from '../crypto/rootKey';

export const IDENTITY_SERVICE = 'hush-identity';
const ACCOUNT = 'default';
// PKCS#8 prefix of an X25519 private key (RFC 8410): the 32 raw bytes follow.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

export interface Identity {
  /** 32 bytes; wipe with fill(0) when done. */
  readonly privateKey: Buffer;
  /** base64 of the 32-byte public key. */
  readonly publicKey: string;
  /** Where it came from: HUSH_IDENTITY or the keychain. */
  readonly source: string;
}

function privateKeyObject(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

/** base64 of the public key that belongs to a raw X25519 private key. */
export function publicKeyOf(raw: Uint8Array): string {
  const jwk = createPublicKey(privateKeyObject(raw)).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

/** A fresh raw X25519 private key (32 bytes). */
export function newPrivateKey(): Buffer {
  const { privateKey } = generateKeyPairSync('x25519');
  return Buffer.from(String(privateKey.export({ format: 'jwk' }).d), 'base64url');
}

/** Checks and decodes a public key given by a user (base64 of 32 bytes). */
export function parsePublicKey(b64: string): Buffer {
  const b = Buffer.from(b64.trim(), 'base64');
  if (b.length !== 32 || b.toString('base64') !== b64.trim()) {
    throw new HushError('InvalidArgument', `'${b64.slice(0, 60)}' is not a member public key (the base64 of 32 bytes that 'hush member whoami' prints)`);
  }
  return b;
}

function fromEnv(v: string): Identity {
  const raw = Buffer.from(v.trim(), 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== v.trim()) {
    throw new HushError('InvalidArgument', 'HUSH_IDENTITY must be the base64 of a 32-byte X25519 private key');
  }
  return { privateKey: raw, publicKey: publicKeyOf(raw), source: 'HUSH_IDENTITY' };
}

/** My identity: HUSH_IDENTITY, else the keychain's (created there on first use when `create`). */
export async function loadIdentity(env: NodeJS.ProcessEnv = process.env, create = true): Promise<Identity> {
  if (env.HUSH_IDENTITY) return fromEnv(env.HUSH_IDENTITY);
  const hint = 'set HUSH_IDENTITY to the base64 of a 32-byte X25519 private key instead';
  const keytar = loadKeytar(hint);
  const call = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw new HushError('KeychainUnavailable', `the OS keychain refused to ${what} (${(e as Error).message.split('\n')[0]}); is a Secret Service running and unlocked? Or ${hint}`);
    }
  };
  let stored = await call('read your Hush identity', () => keytar.getPassword(IDENTITY_SERVICE, ACCOUNT));
  if (!stored) {
    if (!create) throw new HushError('RootKeyUnavailable', `you have no Hush identity yet: run 'hush member whoami' to create one, or ${hint}`);
    const raw = newPrivateKey();
    stored = raw.toString('base64');
    raw.fill(0);
    const v = stored;
    await call('store your new Hush identity', () => keytar.setPassword(IDENTITY_SERVICE, ACCOUNT, v));
  }
  const raw = Buffer.from(stored, 'base64');
  return { privateKey: raw, publicKey: publicKeyOf(raw), source: 'keychain' };
}
