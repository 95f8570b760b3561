import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { KEY_NAMESPACE, keyNameOf, openEnvelope, sealEnvelope, WrappingKey } from '../../../shared/crypto/envelope';
import { keyHintOf } from '../../../shared/kms/kms';

const ctx = { store: 's1', secret: 'sec1', version: 'v1' };
const key = (v = 1, material: Uint8Array = randomBytes(32)): WrappingKey => ({ keyId: 'k-1', materialVersion: v, material });

describe('envelope (ESDK v2, suite 0x0478)', () => {
  it('round-trips and uses a fresh data key per message', async () => {
    const k = key();
    const a = await sealEnvelope(k, Buffer.from('value-one'), ctx);
    const b = await sealEnvelope(k, Buffer.from('value-one'), ctx);
    assert.notDeepEqual(a, b);
    assert.equal((await openEnvelope([k], a, ctx)).toString(), 'value-one');
  });

  it('is decryptable by a plain ESDK keyring with the same namespace/name', async () => {
    const material = randomBytes(32);
    const ct = await sealEnvelope(key(4, material), Buffer.from('interop'), ctx);
    const { decrypt } = buildDecrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const kr = new RawAesKeyringNode({
      keyNamespace: KEY_NAMESPACE,
      keyName: keyNameOf('k-1', 4),
      unencryptedMasterKey: new Uint8Array(material),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    const { plaintext, messageHeader } = await decrypt(kr, ct);
    assert.equal(plaintext.toString(), 'interop');
    assert.equal(messageHeader.suiteId, 0x0478);
    assert.deepEqual(keyHintOf(ct), { keyId: 'k-1', version: 4 });
  });

  it('refuses a ciphertext moved to another secret or version', async () => {
    const k = key();
    const ct = await sealEnvelope(k, Buffer.from('v'), ctx);
    await assert.rejects(openEnvelope([k], ct, { ...ctx, secret: 'sec2' }), (e: Error) => /DecryptFailed|belongs elsewhere/.test(String(e)) && /secret/.test(e.message));
    await assert.rejects(openEnvelope([k], ct, { ...ctx, version: 'v2' }), { code: 'DecryptFailed' });
  });

  it('refuses flipped bits anywhere in the message', async () => {
    const k = key();
    const ct = await sealEnvelope(k, Buffer.from('a value of some length'), ctx);
    for (const at of [10, Math.floor(ct.length / 2), ct.length - 5]) {
      const bad = Buffer.from(ct);
      bad[at]! ^= 0x01;
      await assert.rejects(openEnvelope([k], bad, ctx), { code: 'DecryptFailed' });
    }
  });

  it('finds the right material version among several (rotation)', async () => {
    const v1 = key(1);
    const v2 = key(2);
    const old = await sealEnvelope(v1, Buffer.from('old'), ctx);
    const neu = await sealEnvelope(v2, Buffer.from('new'), ctx);
    assert.equal((await openEnvelope([v1, v2], old, ctx)).toString(), 'old');
    assert.equal((await openEnvelope([v1, v2], neu, ctx)).toString(), 'new');
    await assert.rejects(openEnvelope([v2], old, ctx), { code: 'DecryptFailed' });
  });

  it('the golden vectors also open through Hush', async () => {
    const file = join(__dirname, '..', '..', '..', '..', 'test', 'golden', 'esdk-v2-0478.json');
    const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: { keyName: string; wrappingKeyIsSha256Of: string; encryptionContext: Record<string, string>; plaintextSha256: string; ciphertext: string }[] };
    for (const v of vectors) {
      const m = /^(.+)\/v(\d+)$/.exec(v.keyName)!;
      const material = createHash('sha256').update(v.wrappingKeyIsSha256Of).digest();
      const pt = await openEnvelope([{ keyId: m[1]!, materialVersion: Number(m[2]), material }], Buffer.from(v.ciphertext, 'base64'), v.encryptionContext);
      assert.equal(createHash('sha256').update(pt).digest('hex'), v.plaintextSha256);
    }
  });
});
