/**
 * AES-256-GCM for the few things the store keeps sealed under the root key
 * (CMK material, BYOK private keys, the passphrase-wrapped root key), and
 * HKDF for the sub-keys derived from the root key. node:crypto only.
 *
 * Sealed form: base64(iv 12 | ciphertext | tag 16). The associated data names
 * what the blob is (store, key id, version), so a blob moved elsewhere fails.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { HushError } from '../errors';

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
}

/** Throws DecryptFailed (callers turn it into a sharper code where they can). */
export function open(key: Uint8Array, sealed: string, aad: string): Buffer {
  const b = Buffer.from(sealed, 'base64');
  if (b.length < 28) throw new HushError('DecryptFailed', `sealed blob for ${aad} is truncated`);
  const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(b.subarray(b.length - 16));
  try {
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
  } catch {
    throw new HushError('DecryptFailed', `sealed blob for ${aad} failed authentication`);
  }
}

/** A 256-bit sub-key of the root key for one purpose. */
export function deriveKey(root: Uint8Array, storeId: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.from(storeId, 'utf8'), Buffer.from(`hush/${purpose}`, 'utf8'), 32));
}
