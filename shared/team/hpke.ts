/**
 * HPKE (RFC 9180) for sealing key material to a team member's identity:
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, base mode, one-shot
 * (a fresh ephemeral key per message). The implementation is @hpke/core
 * (hpke-js), checked against the RFC's published vectors in the tests; Hush
 * only frames its output.
 *
 * Sealed form: base64(enc 32 | ciphertext+tag). `info` names what the blob
 * is for (store, key, version, member), so a copy moved elsewhere fails.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { HushError } from '../errors';

export const SUITE_NAME = 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM';
const ENC_BYTES = 32;

let suite: CipherSuite | undefined;
function theSuite(): CipherSuite {
  suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
  return suite;
}

function bytes(s: string): ArrayBuffer {
  const b = Buffer.from(s, 'utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
}

function view(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Seals `plaintext` to the holder of the X25519 private key matching `recipientPublicKey` (32 bytes). */
export async function sealTo(recipientPublicKey: Uint8Array, info: string, plaintext: Uint8Array): Promise<string> {
  const s = theSuite();
  const pk = await s.kem.deserializePublicKey(view(recipientPublicKey));
  const { enc, ct } = await s.seal({ recipientPublicKey: pk, info: bytes(info) }, view(plaintext));
  return Buffer.concat([Buffer.from(enc), Buffer.from(ct)]).toString('base64');
}

/** Opens a blob sealed with sealTo; DecryptFailed when it is not for this key or `info`. */
export async function openWith(recipientPrivateKey: Uint8Array, info: string, sealed: string): Promise<Buffer> {
  const s = theSuite();
  const b = Buffer.from(sealed, 'base64');
  if (b.length <= ENC_BYTES + 16) throw new HushError('DecryptFailed', `sealed blob for ${info} is truncated`);
  const sk = await s.kem.deserializePrivateKey(view(recipientPrivateKey));
  try {
    const pt = await s.open({ recipientKey: sk, enc: view(b.subarray(0, ENC_BYTES)), info: bytes(info) }, view(b.subarray(ENC_BYTES)));
    return Buffer.from(pt);
  } catch {
    throw new HushError('DecryptFailed', `sealed blob for ${info} did not open with this identity`);
  }
}
