import assert from 'node:assert/strict';
import { openStore } from '../../../shared/compose/openStore';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeValue, freshStore, testEnv } from './helpers';

describe('operation pipeline', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  /** Writes the store's policy file (it applies to whoever opens the store) and opens it as 'intern'. */
  async function asIntern(...statements: object[]) {
    mkdirSync(join(s.dir, '.hush'), { recursive: true });
    writeFileSync(join(s.dir, '.hush', 'policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: statements }));
    return openStore({ path: s.dir, env: testEnv(s.key), principal: 'intern', create: false });
  }

  it('decides on the canonical secret: a Deny on secret:prod/* holds when the secret is named by its id', async () => {
    const made = await s.manager.createSecret({ name: 'prod/db', value: fakeValue() });
    const o = await asIntern({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:prod/*' });
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
    const o = await asIntern({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'secrets:*', Resource: 'secret:prod/*' });
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
    const o = await asIntern({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'kms:Decrypt', Resource: 'key:alias/hush/default' });
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

  const nameOf = (index: { names: ReadonlyMap<string, string>; fingerprints(v: string): string[] }, v: string) =>
    index.fingerprints(v).map((fp) => index.names.get(fp)).find((n) => n !== undefined);

  it('are computed when a version is written and listed without decrypting anything', async () => {
    const v = fakeValue();
    await s.manager.createSecret({ name: 'a', value: v });
    const before = (await s.manager.listAudit({})).length;
    const { index, missing } = await s.manager.listFingerprints();
    assert.equal(missing, 0);
    assert.equal(index.names.size, 1);
    assert.equal(nameOf(index, v), 'a');
    assert.equal(nameOf(index, v + 'x'), undefined);
    assert.ok(index.lengths.has(v.length));
    const after = (await s.manager.listAudit({})).slice(before);
    assert.ok(!after.some((r) => r.action === 'kms:Decrypt'), 'listing fingerprints decrypted a value');
  });

  it('are keyed by the CMK: the same value under two keys, or in another store, fingerprints differently', async () => {
    const v = fakeValue();
    const k = await s.manager.kms.createKey({ alias: 'alias/other' });
    await s.manager.createSecret({ name: 'one', value: v });
    await s.manager.createSecret({ name: 'two', value: v, kmsKeyId: k.keyId });
    const { index } = await s.manager.listFingerprints();
    assert.equal(index.names.size, 2);
    assert.deepEqual(new Set(index.fingerprints(v).map((fp) => index.names.get(fp))), new Set(['one', 'two']));
    const other = await freshStore();
    try {
      await other.manager.createSecret({ name: 'one', value: v });
      const o = (await other.manager.listFingerprints()).index;
      assert.ok(!o.fingerprints(v).some((fp) => index.names.has(fp)));
    } finally {
      await other.cleanup();
    }
  });

  it('cannot be matched by a caller who may not use the CMK', async () => {
    const v = fakeValue();
    await s.manager.createSecret({ name: 'a', value: v });
    mkdirSync(join(s.dir, '.hush'), { recursive: true });
    writeFileSync(
      join(s.dir, '.hush', 'policy.json'),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'kms:Decrypt', Resource: 'key:*', Condition: { StringEquals: { 'hush:PrincipalName': 'intern' } } }] }),
    );
    const o = await openStore({ path: s.dir, env: testEnv(s.key), principal: 'intern', create: false });
    try {
      const { index } = await o.manager.listFingerprints();
      assert.equal(nameOf(index, v), undefined);
      assert.equal(index.names.size, 0);
    } finally {
      await o.manager.close();
    }
  });

  it('versions from before fingerprints are filled once, by an explicit audited step', async () => {
    const v = fakeValue();
    const made = await s.manager.createSecret({ name: 'old', value: v });
    // Make it look like a version written by an older Hush.
    await s.store.transact(async (tx) => {
      const rec = (await tx.getVersion(made.id, made.versionId!))!;
      const { fingerprint: _f, valueLength: _l, fingerprintMaterial: _m, ...legacy } = rec;
      await tx.putVersion(made.id, legacy);
    });
    const legacy = await s.manager.listFingerprints();
    assert.equal(legacy.missing, 1);
    assert.equal(nameOf(legacy.index, v), undefined);
    const r = await s.manager.fillFingerprints();
    assert.equal(r.filled, 1);
    assert.deepEqual(r.failed, []);
    const { index, missing } = await s.manager.listFingerprints();
    assert.equal(missing, 0);
    assert.equal(nameOf(index, v), 'old');
    const recs = await s.manager.listAudit({});
    assert.ok(recs.some((x) => x.action === 'secrets:FillFingerprints' && x.outcome === 'Success'));
    assert.ok(recs.some((x) => x.action === 'kms:Decrypt' && x.resource.secretId === made.id));
    // A second run has nothing to do.
    assert.equal((await s.manager.fillFingerprints()).filled, 0);
  });
});
