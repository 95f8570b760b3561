/**
 * Bring your own key: GetParametersForImport hands out an RSA-3072 public key
 * and a token valid for 24 hours; the caller wraps 32 bytes of key material
 * with RSA-OAEP-SHA256 under it; ImportKeyMaterial unwraps it with the private
 * key, which never leaves the store except sealed under the root key.
 */
import { constants, createPrivateKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomUUID, createPublicKey } from 'node:crypto';
import { HushError } from '../errors';
import type { ImportParametersRecord } from '../store/store';

export const IMPORT_TOKEN_TTL_MS = 24 * 3_600_000;

export interface ImportParameters {
  keyId: string;
  importToken: string;
  /** SPKI DER, base64: the RSA-3072 wrapping key. */
  publicKey: string;
  wrappingAlgorithm: 'RSAES_OAEP_SHA_256';
  validTo: string;
}

export async function newImportParameters(
  keyId: string,
  now: Date,
  sealPrivate: (pkcs8Der: Buffer) => Promise<string>,
): Promise<{ params: ImportParameters; record: ImportParametersRecord }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const token = randomUUID();
  const validTo = new Date(now.getTime() + IMPORT_TOKEN_TTL_MS).toISOString();
  let sealedPrivateKey: string;
  try {
    sealedPrivateKey = await sealPrivate(der);
  } finally {
    der.fill(0);
  }
  const record: ImportParametersRecord = { token, keyId, sealedPrivateKey, publicKey: pub, expiresAt: validTo };
  return { params: { keyId, importToken: token, publicKey: pub, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', validTo }, record };
}

export function unwrapImportedMaterial(pkcs8Der: Buffer, encrypted: Uint8Array): Buffer {
  let material: Buffer;
  try {
    const key = createPrivateKey({ key: pkcs8Der, format: 'der', type: 'pkcs8' });
    material = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, encrypted);
  } catch {
    throw new HushError('KeyMaterialInvalid', 'the encrypted key material could not be unwrapped; wrap it with RSA-OAEP-SHA256 under the public key of this import token');
  }
  if (material.length !== 32) {
    material.fill(0);
    throw new HushError('KeyMaterialInvalid', `imported key material must be 32 bytes (256 bits), not ${material.length}`);
  }
  return material;
}

/** What a BYOK user does on their side (also used by tests and `hush keys import --generate`). */
export function wrapForImport(publicKeyB64: string, material: Uint8Array): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
}
