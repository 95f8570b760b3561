import assert from 'node:assert/strict';
import { openStore } from '../../../shared/compose/openStore';
import { Policy } from '../../../shared/policy/policy';
import { fakeValue, freshStore } from './helpers';

describe('operation pipeline', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  async function asIntern(statements: ConstructorParameters<typeof Policy>[0]) {
    return openStore({ path: s.dir, env: { HUSH_MASTER_KEY: s.key }, principal: 'intern', policy: new Policy(statements), create: false });
  }

  it('decides on the canonical secret: a Deny on secret:prod/* holds when the secret is named by its id', async () => {
    const made = await s.manager.createSecret({ name: 'prod/db', value: fakeValue() });
    const o = await asIntern([
      { effect: 'Allow', principals: ['*'], actions: ['*'], resources: ['*'] },
      { effect: 'Deny', principals: ['intern'], actions: ['secrets:GetSecretValue'], resources: ['secret:prod/*'] },
    ]);
    try {
      await assert.rejects(o.manager.getSecretValue('prod/db'), { code: 'AccessDenied' });
      await assert.rejects(o.manager.getSecretValue(made.id), (e: Error & { code?: string }) => e.code === 'AccessDenied' && /secret:prod\/db/.test(e.message));
      const denied = (await o.manager.listAudit({ action: 'secrets:GetSecretValue' })).filter((r) => r.outcome === 'Denied');
      assert.equal(denied.length, 2);
      // The audit names the canonical secret both times, whatever the caller typed.
      for (const r of denied) assert.deepEqual([r.resource.secretId, r.resource.secretName], [made.id, 'prod/db']);
    } finally {
      await o.manager.close();
    }
  });

  it('a denied caller learns AccessDenied, not whether a secret exists', async () => {
    const o = await asIntern([{ effect: 'Deny', principals: ['intern'], actions: ['secrets:*'], resources: ['secret:prod/*'] }]);
    try {
      await assert.rejects(o.manager.getSecretValue('prod/never-made'), { code: 'AccessDenied' });
      await assert.rejects(o.manager.describeSecret('prod/never-made'), { code: 'AccessDenied' });
      // Outside the denied pattern the same miss is an honest SecretNotFound.
      await assert.rejects(o.manager.getSecretValue('dev/never-made'), { code: 'SecretNotFound' });
    } finally {
      await o.manager.close();
    }
  });

  it('reading a value needs kms:Decrypt on its key too, decided on the key and audited as its own record', async () => {
    await s.manager.createSecret({ name: 'app/token', value: fakeValue() });
    const o = await asIntern([
      { effect: 'Allow', principals: ['*'], actions: ['*'], resources: ['*'] },
      { effect: 'Deny', principals: ['intern'], actions: ['kms:Decrypt'], resources: ['key:alias/hush/default'] },
    ]);
    try {
      await assert.rejects(o.manager.getSecretValue('app/token'), (e: Error & { code?: string }) => e.code === 'AccessDenied' && /kms:Decrypt on key:/.test(e.message));
      const recs = await o.manager.listAudit({});
      const kms = recs.filter((r) => r.action === 'kms:Decrypt' && r.principal === 'intern');
      assert.equal(kms.at(-1)!.outcome, 'Denied');
      assert.equal(recs.filter((r) => r.action === 'secrets:GetSecretValue' && r.principal === 'intern').at(-1)!.outcome, 'Denied');
      // Writing needs kms:GenerateDataKey, which this policy allows.
      await o.manager.putSecretValue('app/token', fakeValue());
    } finally {
      await o.manager.close();
    }
  });
});

describe('value fingerprints', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  it('are computed when a version is written and listed without decrypting anything', async () => {
    const v = fakeValue();
    await s.manager.createSecret({ name: 'a', value: v });
    const before = (await s.manager.listAudit({})).length;
    const { entries, missing } = await s.manager.listFingerprints();
    assert.equal(missing, 0);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.fingerprint, s.manager.fingerprint(v));
    assert.equal(entries[0]!.valueLength, v.length);
    assert.notEqual(entries[0]!.fingerprint, s.manager.fingerprint(v + 'x'));
    const after = (await s.manager.listAudit({})).slice(before);
    assert.ok(!after.some((r) => r.action === 'kms:Decrypt'), 'listing fingerprints decrypted a value');
  });

  it('depend on the store: the same value fingerprints differently in another store', async () => {
    const v = fakeValue();
    const other = await freshStore();
    try {
      assert.notEqual(s.manager.fingerprint(v), other.manager.fingerprint(v));
    } finally {
      await other.cleanup();
    }
  });

  it('versions from before fingerprints are filled once, by an explicit audited step', async () => {
    const v = fakeValue();
    const made = await s.manager.createSecret({ name: 'old', value: v });
    // Make it look like a version written by an older Hush.
    await s.store.transact(async (tx) => {
      const rec = (await tx.getVersion(made.id, made.versionId!))!;
      const { fingerprint: _f, valueLength: _l, ...legacy } = rec;
      await tx.putVersion(made.id, legacy);
    });
    assert.deepEqual((await s.manager.listFingerprints()).missing, 1);
    const r = await s.manager.fillFingerprints();
    assert.equal(r.filled, 1);
    assert.deepEqual(r.failed, []);
    const { entries, missing } = await s.manager.listFingerprints();
    assert.equal(missing, 0);
    assert.equal(entries[0]!.fingerprint, s.manager.fingerprint(v));
    const recs = await s.manager.listAudit({});
    assert.ok(recs.some((x) => x.action === 'secrets:FillFingerprints' && x.outcome === 'Success'));
    assert.ok(recs.some((x) => x.action === 'kms:Decrypt' && x.resource.secretId === made.id));
    // A second run has nothing to do.
    assert.equal((await s.manager.fillFingerprints()).filled, 0);
  });
});
