import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { wrapForImport } from '../../../shared/kms/byok';
import { DEFAULT_ALIAS } from '../../../shared/kms/kms';
import { fakeValue, freshStore, TestClock } from './helpers';

describe('KMS: key states', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    s = await freshStore({ clock: clock.now });
  });
  afterEach(() => s.cleanup());

  it('creates a default key that cannot be disabled, deleted or imported into', async () => {
    const d = await s.manager.kms.describeKey(DEFAULT_ALIAS);
    assert.equal(d.state, 'Enabled');
    assert.ok(d.isDefault);
    await assert.rejects(s.manager.kms.disableKey(DEFAULT_ALIAS), /cannot be disabled/);
    await assert.rejects(s.manager.kms.scheduleKeyDeletion(d.keyId, 7), /cannot be scheduled/);
    await assert.rejects(s.manager.kms.getParametersForImport(d.keyId), /cannot be given imported/);
  });

  it('a disabled key refuses encrypt and decrypt with an error naming key, alias and state', async () => {
    const k = await s.manager.kms.createKey({ alias: 'alias/payments', description: 'pay' });
    const v = fakeValue();
    await s.manager.createSecret({ name: 'pay/api', kmsKeyId: 'alias/payments', value: v });
    await s.manager.kms.disableKey('alias/payments');
    await assert.rejects(s.manager.getSecretValue('pay/api'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'KeyDisabled');
      assert.match(e.message, new RegExp(k.keyId));
      assert.match(e.message, /alias\/payments/);
      assert.match(e.message, /Disabled/);
      assert.match(e.message, /enable/);
      assert.ok(!e.message.includes(v));
      return true;
    });
    await assert.rejects(s.manager.putSecretValue('pay/api', fakeValue()), { code: 'KeyDisabled' });
    await s.manager.kms.enableKey(k.keyId);
    assert.equal((await s.manager.getSecretValue('pay/api')).secretString, v);
  });

  it('pending deletion refuses use; the window is 7–30 days; cancel returns Disabled', async () => {
    const k = await s.manager.kms.createKey({ alias: 'alias/tmp' });
    await s.manager.createSecret({ name: 't', kmsKeyId: k.keyId, value: fakeValue() });
    await assert.rejects(s.manager.kms.scheduleKeyDeletion(k.keyId, 6), /7 to 30/);
    await assert.rejects(s.manager.kms.scheduleKeyDeletion(k.keyId, 31), /7 to 30/);
    const d = await s.manager.kms.scheduleKeyDeletion(k.keyId);
    assert.equal(d.state, 'PendingDeletion');
    assert.equal(Date.parse(d.deletionDate!) - clock.t, 30 * 86_400_000);
    await assert.rejects(s.manager.getSecretValue('t'), { code: 'KeyPendingDeletion' });
    await assert.rejects(s.manager.kms.enableKey(k.keyId), { code: 'KeyPendingDeletion' });
    const c = await s.manager.kms.cancelKeyDeletion(k.keyId);
    assert.equal(c.state, 'Disabled');
    assert.equal(c.deletionDate, undefined);
    await s.manager.kms.enableKey(k.keyId);
    await s.manager.getSecretValue('t');
  });

  it('a key past its deletion date is deleted for good and its secrets say so', async () => {
    const k = await s.manager.kms.createKey({ alias: 'alias/gone' });
    await s.manager.createSecret({ name: 'g', kmsKeyId: k.keyId, value: fakeValue() });
    await s.manager.kms.scheduleKeyDeletion(k.keyId, 7);
    clock.advanceDays(6);
    await assert.rejects(s.manager.getSecretValue('g'), { code: 'KeyPendingDeletion' });
    clock.advanceDays(1);
    await assert.rejects(s.manager.getSecretValue('g'), (e: Error & { code?: string }) => e.code === 'KeyDeleted' && /cannot be recovered/.test(e.message));
    // A write purges the material and the alias.
    await s.manager.createSecret({ name: 'other', value: fakeValue() });
    const all = await s.manager.kms.listKeys({ includeDeleted: true });
    const gone = all.find((x) => x.keyId === k.keyId)!;
    assert.equal(gone.state, 'Deleted');
    assert.equal(gone.materials.length, 0);
    assert.deepEqual(gone.aliases, []);
    assert.ok(!(await s.manager.kms.listKeys()).some((x) => x.keyId === k.keyId));
    await assert.rejects(s.manager.kms.cancelKeyDeletion(k.keyId), { code: 'KeyDeleted' });
  });

  it('rotation adds a material version; older versions still decrypt', async () => {
    const k = await s.manager.kms.createKey();
    const v1 = fakeValue('1');
    await s.manager.createSecret({ name: 'r', kmsKeyId: k.keyId, value: v1 });
    const rotated = await s.manager.kms.rotateKey(k.keyId);
    assert.equal(rotated.currentMaterialVersion, 2);
    const v2 = fakeValue('2');
    await s.manager.putSecretValue('r', v2);
    assert.equal((await s.manager.getSecretValue('r', { versionStage: 'PREVIOUS' })).secretString, v1);
    assert.equal((await s.manager.getSecretValue('r')).secretString, v2);
    await s.manager.kms.rotateKey(k.keyId);
    assert.equal((await s.manager.getSecretValue('r', { versionStage: 'PREVIOUS' })).secretString, v1);
  });

  it('BYOK: import, expiry to PendingImport, re-import the same material only', async () => {
    const k = await s.manager.kms.createKey({ origin: 'EXTERNAL', alias: 'alias/byok' });
    assert.equal(k.state, 'PendingImport');
    await assert.rejects(s.manager.createSecret({ name: 'b', kmsKeyId: k.keyId, value: fakeValue() }), { code: 'KeyPendingImport' });
    const material = randomBytes(32);
    const p = await s.manager.kms.getParametersForImport(k.keyId);
    assert.equal(p.wrappingAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.equal(Date.parse(p.validTo) - clock.t, 24 * 3_600_000);
    await assert.rejects(s.manager.kms.importKeyMaterial(k.keyId, p.importToken, wrapForImport(p.publicKey, randomBytes(16))), { code: 'KeyMaterialInvalid' });
    const expires = new Date(clock.t + 10 * 86_400_000);
    const d = await s.manager.kms.importKeyMaterial(k.keyId, p.importToken, wrapForImport(p.publicKey, material), expires);
    assert.equal(d.state, 'Enabled');
    const v = fakeValue();
    await s.manager.createSecret({ name: 'b', kmsKeyId: 'alias/byok', value: v });
    assert.equal((await s.manager.getSecretValue('b')).secretString, v);
    await assert.rejects(s.manager.kms.rotateKey(k.keyId), /imported material/);

    clock.advanceDays(10);
    assert.equal((await s.manager.kms.describeKey(k.keyId)).state, 'PendingImport');
    await assert.rejects(s.manager.getSecretValue('b'), { code: 'KeyPendingImport' });

    const p2 = await s.manager.kms.getParametersForImport(k.keyId);
    await assert.rejects(s.manager.kms.importKeyMaterial(k.keyId, p2.importToken, wrapForImport(p2.publicKey, randomBytes(32))), /different material/);
    const p3 = await s.manager.kms.getParametersForImport(k.keyId);
    await s.manager.kms.importKeyMaterial(k.keyId, p3.importToken, wrapForImport(p3.publicKey, material));
    assert.equal((await s.manager.getSecretValue('b')).secretString, v);

    await s.manager.kms.deleteImportedKeyMaterial(k.keyId);
    await assert.rejects(s.manager.getSecretValue('b'), { code: 'KeyPendingImport' });
  });

  it('an import token expires after 24 hours', async () => {
    const k = await s.manager.kms.createKey({ origin: 'EXTERNAL' });
    const p = await s.manager.kms.getParametersForImport(k.keyId);
    clock.advanceDays(1.01);
    await assert.rejects(s.manager.kms.importKeyMaterial(k.keyId, p.importToken, wrapForImport(p.publicKey, randomBytes(32))), { code: 'ImportTokenExpired' });
  });

  it('aliases: create, update, delete; reserved names refused', async () => {
    const a = await s.manager.kms.createKey({ alias: 'alias/a' });
    const b = await s.manager.kms.createKey();
    await assert.rejects(s.manager.kms.createAlias('alias/a', b.keyId), { code: 'AliasExists' });
    await assert.rejects(s.manager.kms.createAlias('alias/hush/mine', b.keyId), /reserved/);
    await assert.rejects(s.manager.kms.createAlias('nope', b.keyId), { code: 'InvalidArgument' });
    await s.manager.kms.updateAlias('alias/a', b.keyId);
    assert.equal((await s.manager.kms.describeKey('alias/a')).keyId, b.keyId);
    assert.deepEqual((await s.manager.kms.describeKey(a.keyId)).aliases, []);
    await s.manager.kms.deleteAlias('alias/a');
    await assert.rejects(s.manager.kms.describeKey('alias/a'), { code: 'KeyNotFound' });
  });

  it('GenerateDataKey / Decrypt / ReEncrypt, bound to the encryption context', async () => {
    const k2 = await s.manager.kms.createKey();
    const ctx = { purpose: 'test' };
    const dk = await s.manager.kms.generateDataKey(DEFAULT_ALIAS, ctx);
    assert.equal(dk.plaintext.length, 32);
    const back = await s.manager.kms.decrypt(dk.ciphertextBlob, ctx);
    assert.deepEqual(back.plaintext, dk.plaintext);
    await assert.rejects(s.manager.kms.decrypt(dk.ciphertextBlob, { purpose: 'other' }), { code: 'DecryptFailed' });
    const re = await s.manager.kms.reEncrypt(dk.ciphertextBlob, ctx, k2.keyId, { purpose: 'moved' });
    assert.equal(re.keyId, k2.keyId);
    assert.deepEqual((await s.manager.kms.decrypt(re.ciphertextBlob, { purpose: 'moved' })).plaintext, dk.plaintext);
    await s.manager.kms.disableKey(k2.keyId);
    await assert.rejects(s.manager.kms.decrypt(re.ciphertextBlob, { purpose: 'moved' }), { code: 'KeyDisabled' });
  });
});
