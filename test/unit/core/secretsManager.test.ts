import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_VALUE_BYTES } from '../../../shared/secrets/secretsManager';
import { randomPassword } from '../../../shared/secrets/randomPassword';
import { fakeValue, freshStore, TestClock } from './helpers';

describe('Secrets Manager', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    s = await freshStore({ clock: clock.now });
  });
  afterEach(() => s.cleanup());
  const m = () => s.manager;

  it('name rules and uniqueness', async () => {
    await assert.rejects(m().createSecret({ name: 'has space' }), { code: 'InvalidArgument' });
    await assert.rejects(m().createSecret({ name: '' }), { code: 'InvalidArgument' });
    await m().createSecret({ name: 'prod/db_password+x=y.z@w-1' });
    await assert.rejects(m().createSecret({ name: 'prod/db_password+x=y.z@w-1' }), { code: 'SecretExists' });
  });

  it('a secret without a value has no CURRENT until the first put', async () => {
    await m().createSecret({ name: 'empty' });
    await assert.rejects(m().getSecretValue('empty'), { code: 'VersionNotFound' });
    const r = await m().putSecretValue('empty', fakeValue(), { versionStages: ['CUSTOM'] });
    assert.deepEqual(r.versionStages.sort(), ['CURRENT', 'CUSTOM']);
  });

  it('strings and binary, by version id or stage; ids and names both resolve', async () => {
    const bin = randomBytes(100);
    const c = await m().createSecret({ name: 'bin', value: bin });
    const got = await m().getSecretValue(c.id, { versionId: c.versionId! });
    assert.deepEqual(got.secretBinary, bin);
    assert.equal(got.secretString, undefined);
    await assert.rejects(m().getSecretValue('bin', { versionId: 'nope' }), { code: 'VersionNotFound' });
    await assert.rejects(m().getSecretValue('bin', { versionStage: 'NOPE' }), { code: 'VersionNotFound' });
    await assert.rejects(m().getSecretValue('missing'), { code: 'SecretNotFound' });
  });

  it('values are at most 64 KiB, with a clear error', async () => {
    await m().createSecret({ name: 'big', value: 'a'.repeat(MAX_VALUE_BYTES) });
    await assert.rejects(m().putSecretValue('big', 'a'.repeat(MAX_VALUE_BYTES + 1)), (e: Error & { code?: string }) => e.code === 'ValueTooLarge' && /65536/.test(e.message));
    await assert.rejects(m().putSecretValue('big', ''), { code: 'InvalidArgument' });
  });

  it('put moves CURRENT and PREVIOUS; CURRENT is on exactly one version', async () => {
    await m().createSecret({ name: 'x', value: 'fake-1' });
    for (let i = 2; i <= 5; i++) await m().putSecretValue('x', `fake-${i}`);
    const vs = await m().listSecretVersionIds('x');
    assert.equal(vs.length, 5);
    assert.equal(vs.filter((v) => v.versionStages.includes('CURRENT')).length, 1);
    assert.equal(vs.filter((v) => v.versionStages.includes('PREVIOUS')).length, 1);
    assert.equal((await m().getSecretValue('x')).secretString, 'fake-5');
    assert.equal((await m().getSecretValue('x', { versionStage: 'PREVIOUS' })).secretString, 'fake-4');
  });

  it('PENDING and custom labels: a label is on at most one version', async () => {
    const c = await m().createSecret({ name: 'l', value: 'fake-a' });
    const p = await m().putSecretValue('l', 'fake-b', { versionStages: ['PENDING'] });
    assert.deepEqual(p.versionStages, ['PENDING']);
    assert.equal((await m().getSecretValue('l')).secretString, 'fake-a');
    const q = await m().putSecretValue('l', 'fake-c', { versionStages: ['PENDING'] });
    const vs = await m().listSecretVersionIds('l');
    assert.deepEqual(vs.find((v) => v.versionId === p.versionId)!.versionStages, []);
    assert.deepEqual(vs.find((v) => v.versionId === q.versionId)!.versionStages, ['PENDING']);
    // Finish a rotation: move CURRENT to the pending version (PREVIOUS follows), drop PENDING.
    await assert.rejects(m().updateSecretVersionStage('l', 'CURRENT', { moveToVersionId: q.versionId }), /--from/);
    await m().updateSecretVersionStage('l', 'CURRENT', { moveToVersionId: q.versionId, removeFromVersionId: c.versionId! });
    await m().updateSecretVersionStage('l', 'PENDING', { removeFromVersionId: q.versionId });
    const after = await m().listSecretVersionIds('l');
    assert.deepEqual(after.find((v) => v.versionId === q.versionId)!.versionStages, ['CURRENT']);
    assert.deepEqual(after.find((v) => v.versionId === c.versionId)!.versionStages, ['PREVIOUS']);
    await assert.rejects(m().updateSecretVersionStage('l', 'CURRENT', { removeFromVersionId: q.versionId }), /cannot be removed/);
  });

  it('at most 20 labels per version', async () => {
    const c = await m().createSecret({ name: 'many', value: 'fake-a' });
    for (let i = 0; i < 19; i++) await m().updateSecretVersionStage('many', `L${i}`, { moveToVersionId: c.versionId! });
    await assert.rejects(m().updateSecretVersionStage('many', 'L19', { moveToVersionId: c.versionId! }), { code: 'LimitExceeded' });
  });

  it('idempotent puts by client request token', async () => {
    await m().createSecret({ name: 'i', value: 'fake-0' });
    const a = await m().putSecretValue('i', 'fake-1', { clientRequestToken: 'tok-1' });
    const b = await m().putSecretValue('i', 'fake-1', { clientRequestToken: 'tok-1' });
    assert.equal(a.versionId, 'tok-1');
    assert.equal(b.versionId, 'tok-1');
    assert.equal((await m().listSecretVersionIds('i')).length, 2);
    await assert.rejects(m().putSecretValue('i', 'fake-2', { clientRequestToken: 'tok-1' }), { code: 'IdempotencyConflict' });
  });

  it('compare-and-set on CURRENT', async () => {
    const c = await m().createSecret({ name: 'cas', value: 'fake-0' });
    const a = await m().putSecretValue('cas', 'fake-1', { expectCurrentVersionId: c.versionId! });
    await assert.rejects(m().putSecretValue('cas', 'fake-2', { expectCurrentVersionId: c.versionId! }), { code: 'PreconditionFailed' });
    await m().putSecretValue('cas', 'fake-2', { expectCurrentVersionId: a.versionId });
  });

  it('prunes unlabelled versions beyond the newest 100', async () => {
    await m().createSecret({ name: 'p', value: 'fake-first' });
    for (let i = 0; i < 104; i++) {
      clock.t += 1000;
      await m().putSecretValue('p', `fake-${i}`);
    }
    const vs = await m().listSecretVersionIds('p');
    assert.equal(vs.length, 100);
    assert.equal((await m().getSecretValue('p')).secretString, 'fake-103');
  });

  it('delete with a recovery window, restore, force; reads refused meanwhile', async () => {
    await m().createSecret({ name: 'd', value: 'fake-d' });
    await assert.rejects(m().deleteSecret('d', { recoveryWindowInDays: 6 }), /7 to 30/);
    await assert.rejects(m().deleteSecret('d', { recoveryWindowInDays: 7, forceDeleteWithoutRecovery: true }), /not both/);
    const del = await m().deleteSecret('d', { recoveryWindowInDays: 7 });
    assert.equal(Date.parse(del.deletionDate) - clock.t, 7 * 86_400_000);
    await assert.rejects(m().getSecretValue('d'), { code: 'SecretScheduledForDeletion' });
    await assert.rejects(m().putSecretValue('d', 'fake-e'), { code: 'SecretScheduledForDeletion' });
    assert.equal((await m().describeSecret('d')).deletionDate, del.deletionDate);
    assert.equal((await m().listSecrets()).secrets.length, 0);
    assert.equal((await m().listSecrets({ includePlannedDeletion: true })).secrets.length, 1);
    await m().restoreSecret('d');
    assert.equal((await m().getSecretValue('d')).secretString, 'fake-d');
    await m().deleteSecret('d');
    clock.advanceDays(30);
    await assert.rejects(m().describeSecret('d'), { code: 'SecretNotFound' });
    await m().createSecret({ name: 'd', value: 'fake-again' }); // the name is free again
    await m().deleteSecret('d', { forceDeleteWithoutRecovery: true });
    await assert.rejects(m().describeSecret('d'), { code: 'SecretNotFound' });
  });

  it('list: filters, sorting, paging', async () => {
    for (let i = 0; i < 7; i++) {
      clock.t += 1000;
      await m().createSecret({ name: `app/s${i}`, description: i % 2 ? 'Odd one' : 'even', tags: { env: i < 3 ? 'prod' : 'dev' } });
    }
    clock.t += 1000;
    await m().createSecret({ name: 'other' });
    assert.equal((await m().listSecrets({ name: 'app/' })).secrets.length, 7);
    assert.equal((await m().listSecrets({ description: 'odd' })).secrets.length, 3);
    assert.equal((await m().listSecrets({ tagKey: 'env', tagValue: 'prod' })).secrets.length, 3);
    const desc = await m().listSecrets({ sortBy: 'createdAt', sortOrder: 'desc' });
    assert.equal(desc.secrets[0]!.name, 'other');
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await m().listSecrets({ maxResults: 3, ...(token ? { nextToken: token } : {}) });
      names.push(...page.secrets.map((x) => x.name));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(names, [...names].sort());
    assert.equal(names.length, 8);
  });

  it('tags, update (description, key), describe', async () => {
    const k = await m().kms.createKey({ alias: 'alias/other' });
    await m().createSecret({ name: 't', value: 'fake-t', tags: { a: '1' } });
    await m().tagResource('t', { b: '2' });
    await m().untagResource('t', ['a']);
    await m().updateSecret('t', { description: 'now described', kmsKeyId: 'alias/other' });
    await m().putSecretValue('t', 'fake-t2');
    const d = await m().describeSecret('t');
    assert.deepEqual(d.tags, { b: '2' });
    assert.equal(d.description, 'now described');
    assert.equal(d.kmsKeyId, k.keyId);
    assert.deepEqual(d.kmsKeyAliases, ['alias/other']);
    assert.equal(d.versions.find((v) => v.versionStages.includes('CURRENT'))!.kmsKeyId, k.keyId);
    assert.notEqual(d.versions.find((v) => v.versionStages.includes('PREVIOUS'))!.kmsKeyId, k.keyId);
    assert.equal((await m().getSecretValue('t', { versionStage: 'PREVIOUS' })).secretString, 'fake-t');
  });

  it('random passwords honour length and classes', async () => {
    assert.equal((await m().getRandomPassword()).length, 32);
    const p = randomPassword({ length: 40, excludePunctuation: true, excludeCharacters: 'abc' });
    assert.equal(p.length, 40);
    assert.match(p, /^[A-Za-z0-9]+$/);
    assert.ok(!/[abc]/.test(p));
    for (let i = 0; i < 50; i++) {
      const q = randomPassword({ length: 4 });
      assert.ok(/[a-z]/.test(q) && /[A-Z]/.test(q) && /[0-9]/.test(q) && /[^A-Za-z0-9]/.test(q), q);
    }
    assert.throws(() => randomPassword({ excludeLowercase: true, excludeUppercase: true, excludeNumbers: true, excludePunctuation: true }));
  });

  it('audits every operation, failures too, and never a value', async () => {
    const v = fakeValue('audit');
    await m().createSecret({ name: 'a', value: v });
    await m().getSecretValue('a');
    await assert.rejects(m().getSecretValue('nope'));
    const recs = await m().listAudit();
    const actions = recs.map((r) => `${r.action}:${r.outcome}`);
    assert.ok(actions.includes('secrets:CreateSecret:Success'));
    assert.ok(actions.includes('kms:GenerateDataKey:Success'));
    assert.ok(actions.includes('kms:Decrypt:Success'));
    assert.ok(actions.includes('secrets:GetSecretValue:Success'));
    assert.ok(recs.some((r) => r.action === 'secrets:GetSecretValue' && r.outcome === 'Failure' && r.errorCode === 'SecretNotFound'));
    assert.ok(!JSON.stringify(recs).includes(v));
    assert.equal((await m().listAudit({ secret: 'a', action: 'secrets:GetSecretValue' })).length, 1);
  });

  it('policy: a denied call is refused, audited as Denied with its statement, and touches nothing', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    await m().createSecret({ name: 'prod/x', value: fakeValue() });
    mkdirSync(join(s.dir, '.hush'), { recursive: true });
    writeFileSync(
      join(s.dir, '.hush', 'policy.json'),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoProdReads', Effect: 'Deny', Action: ['secrets:GetSecretValue'], Resource: 'secret:prod/*' }] }),
    );
    await assert.rejects(m().getSecretValue('prod/x'), (e: Error & { code?: string }) => e.code === 'AccessDenied' && /statement NoProdReads/.test(e.message));
    const recs = await m().listAudit({ action: 'secrets:GetSecretValue' });
    const last = recs[recs.length - 1]!;
    assert.equal(last.outcome, 'Denied');
    assert.equal(last.context?.decision, 'Deny');
    assert.equal(last.context?.sid, 'NoProdReads');
    assert.ok(!recs.some((r) => r.action === 'kms:Decrypt' && r.context?.requestId === last.context?.requestId), 'nothing was decrypted');
  });
});
