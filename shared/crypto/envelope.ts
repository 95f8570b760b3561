/**
 * Envelope encryption: one AWS Encryption SDK message (format v2) per secret
 * version. The ESDK generates a fresh data key per message and wraps it with
 * a raw AES keyring whose wrapping key is one CMK material version. The
 * keyring's namespace/name name the CMK and its material version, so any ESDK
 * implementation holding that material can decrypt (see test/golden/).
 *
 * Suite 0x0478 (key-committing, no signature): a signature adds nothing when
 * the same party holds the key in both directions, and it costs 10x on reads.
 */
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  KeyringNode,
  MultiKeyringNode,
} from '@aws-crypto/material-management-node';
import { HushError } from '../errors';

export const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
export const KEY_NAMESPACE = 'hush-kms';

const { encrypt } = buildEncrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// One encrypted data key per message: we never wrap for more than one CMK.
const { decrypt } = buildDecrypt({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: 1 });

/** One CMK material version, as the keyring sees it. Bytes are copied in. */
export interface WrappingKey {
  keyId: string;
  materialVersion: number;
  material: Uint8Array; // 32 bytes
}

/** `keyId/vN`: the keyring's key name, written into every message. */
export function keyNameOf(keyId: string, materialVersion: number): string {
  return `${keyId}/v${materialVersion}`;
}

function keyringFor(k: WrappingKey): RawAesKeyringNode {
  if (k.material.length !== 32) throw new HushError('Internal', `key material for ${k.keyId} is not 256 bits`);
  return new RawAesKeyringNode({
    keyNamespace: KEY_NAMESPACE,
    keyName: keyNameOf(k.keyId, k.materialVersion),
    // The keyring keeps its own copy; callers may wipe theirs afterwards.
    unencryptedMasterKey: new Uint8Array(k.material),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}

export type EncryptionContext = Record<string, string>;

export async function sealEnvelope(key: WrappingKey, plaintext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
  const { result } = await encrypt(keyringFor(key), plaintext, { suiteId: SUITE, encryptionContext: context });
  return result;
}

/**
 * Decrypts with any of the given material versions of one CMK, then checks
 * that the message belongs where the caller found it: the encryption context
 * must be exactly `expected` (a ciphertext copied to another secret or version
 * fails here), and the suite must be the committing one.
 */
export async function openEnvelope(keys: WrappingKey[], ciphertext: Uint8Array, expected: EncryptionContext): Promise<Buffer> {
  if (keys.length === 0) throw new HushError('DecryptFailed', 'no key material is available to decrypt this value');
  const [first, ...rest] = keys.map(keyringFor);
  const keyring: KeyringNode = rest.length ? new MultiKeyringNode({ children: [first!, ...rest] }) : first!;
  let out;
  try {
    out = await decrypt(keyring, ciphertext);
  } catch (e) {
    throw new HushError(
      'DecryptFailed',
      `the ciphertext could not be decrypted with key ${keys[0]!.keyId} (${describeEsdkError(e)}); it is damaged or was made with another key`,
    );
  }
  const got = out.messageHeader.encryptionContext;
  const mismatch = sameContext(got, expected);
  if (mismatch) {
    out.plaintext.fill(0);
    throw new HushError('DecryptFailed', `the ciphertext belongs elsewhere (${mismatch}); it was moved or copied from another secret or version`);
  }
  if (out.messageHeader.suiteId !== SUITE) {
    out.plaintext.fill(0);
    throw new HushError('DecryptFailed', `the ciphertext uses algorithm suite 0x${out.messageHeader.suiteId.toString(16)}, not the committing suite 0x0478`);
  }
  return out.plaintext;
}

function sameContext(got: EncryptionContext, expected: EncryptionContext): string | undefined {
  const keys = new Set([...Object.keys(got), ...Object.keys(expected)]);
  for (const k of keys) {
    if (got[k] !== expected[k]) return `${k} is '${got[k] ?? '(none)'}', expected '${expected[k] ?? '(none)'}'`;
  }
  return undefined;
}

function describeEsdkError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.slice(0, 120);
}
