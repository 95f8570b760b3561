/**
 * The committed golden vectors decrypt with the ESDK packages alone: no Hush
 * code in the path, so the message format can never drift silently.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { AlgorithmSuiteIdentifier, CommitmentPolicy } from '@aws-crypto/material-management-node';

interface Vector {
  description: string;
  keyNamespace: string;
  keyName: string;
  wrappingKeyIsSha256Of: string;
  encryptionContext: Record<string, string>;
  plaintextSha256: string;
  plaintextBase64?: string;
  plaintextLength: number;
  ciphertext: string;
}

// out/test/unit/core → repo root
const FILE = join(__dirname, '..', '..', '..', '..', 'test', 'golden', 'esdk-v2-0478.json');
const { vectors } = JSON.parse(readFileSync(FILE, 'utf8')) as { vectors: Vector[] };
const { decrypt } = buildDecrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

function keyring(v: Vector, material = createHash('sha256').update(v.wrappingKeyIsSha256Of).digest()) {
  return new RawAesKeyringNode({
    keyNamespace: v.keyNamespace,
    keyName: v.keyName,
    unencryptedMasterKey: new Uint8Array(material),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}

describe('golden vectors (ESDK packages only)', () => {
  it('has vectors', () => assert.ok(vectors.length >= 3));
  for (const v of vectors) {
    it(`decrypts: ${v.description}`, async () => {
      const { plaintext, messageHeader } = await decrypt(keyring(v), Buffer.from(v.ciphertext, 'base64'));
      assert.equal(messageHeader.suiteId, AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY);
      assert.equal(messageHeader.version, 2);
      assert.deepEqual({ ...messageHeader.encryptionContext }, v.encryptionContext);
      assert.equal(plaintext.length, v.plaintextLength);
      assert.equal(createHash('sha256').update(plaintext).digest('hex'), v.plaintextSha256);
      if (v.plaintextBase64) assert.equal(plaintext.toString('base64'), v.plaintextBase64);
    });
  }
  it('refuses a vector under the wrong material or the wrong key name', async () => {
    const v = vectors[0]!;
    await assert.rejects(decrypt(keyring(v, createHash('sha256').update('not it').digest()), Buffer.from(v.ciphertext, 'base64')));
    await assert.rejects(decrypt(keyring({ ...v, keyName: v.keyName.replace(/v\d+$/, 'v9') }), Buffer.from(v.ciphertext, 'base64')));
  });
});
