/**
 * `hush store copy`: an embedded store's secrets (every version, its labels,
 * tags, rotation settings) and keys move into a team store, and back into a
 * new folder for a backup; every value arrives intact and no value is ever
 * written in clear (the process that copies holds them in memory only). And
 * compare-and-set across two members of a team store adds up exactly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../shared/compose/openStore';
import { initTeamStore, openTeamStore } from '../../../shared/compose/teamStore';
import { copyStore } from '../../../shared/compose/storeCopy';
import { isHushError } from '../../../shared/errors';
import { DEVELOPERS, newIdentity } from '../../support/identities';
import { startPostgres, type PgServer } from '../../support/pgServer';

const fake = () => ['copy', randomBytes(8).toString('hex')].join('-');

describe('team store: copying stores, and compare-and-set across members', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let tmp: string;
  before(async () => {
    pg = await startPostgres();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-copy-'));
  });
  after(async () => {
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('copies a folder into a team store and back, versions, labels, tags, rotation and keys included', async () => {
    const env = { ...process.env, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_IDENTITY: newIdentity().privateKey.toString('base64') };
    const folder = path.join(tmp, 'embedded');
    const src = await openStore({ path: folder, env });
    const v1 = fake();
    const v2 = fake();
    const v3 = fake();
    const payments = await src.manager.kms.createKey({ alias: 'alias/payments' });
    const made = await src.manager.createSecret({ name: 'shop/STRIPE', value: v1, tags: { team: 'pay' }, kmsKeyId: 'alias/payments', description: 'stripe' });
    const second = await src.manager.putSecretValue('shop/STRIPE', v2);
    await src.manager.putSecretValue('shop/STRIPE', v3, { versionStages: ['CANARY'] });
    await src.manager.createSecret({ name: 'shop/DB', value: Buffer.from([0, 1, 2, 250]) });
    await src.manager.setRotation('shop/STRIPE', { intervalDays: 30, length: 40, excludePunctuation: true });
    await src.manager.close();

    await initTeamStore({ url: pg.url, env, memberName: 'copier' }).then((t) => t.manager.close());
    const toTeam = await copyStore({ from: folder, to: pg.url, env });
    assert.deepEqual([toTeam.secrets, toTeam.versions, toTeam.keys, toTeam.skipped], [2, 4, 1, []]);
    const t = await openTeamStore({ url: pg.url, env });
    try {
      const d = await t.manager.describeSecret('shop/STRIPE');
      assert.equal(d.id, made.id, 'the secret keeps its id');
      assert.equal(d.kmsKeyId, payments.keyId, 'and its key, by id');
      assert.deepEqual(d.kmsKeyAliases, ['alias/payments']);
      assert.deepEqual(d.tags, { team: 'pay' });
      assert.equal(d.rotation?.intervalDays, 30);
      assert.deepEqual(d.versions.map((v) => [v.versionId, v.versionStages.sort().join()]).sort(), [
        [made.versionId, 'PREVIOUS'],
        [second.versionId, 'CURRENT'],
        [d.versions.find((v) => v.versionStages.includes('CANARY'))!.versionId, 'CANARY'],
      ].sort());
      assert.equal((await t.manager.getSecretValue('shop/STRIPE')).secretString, v2);
      assert.equal((await t.manager.getSecretValue('shop/STRIPE', { versionStage: 'CANARY' })).secretString, v3);
      assert.equal((await t.manager.getSecretValue('shop/STRIPE', { versionId: made.versionId! })).secretString, v1);
      assert.deepEqual([...(await t.manager.getSecretValue('shop/DB')).secretBinary!], [0, 1, 2, 250]);
    } finally {
      await t.manager.close();
    }
    const dump = execFileSync('pg_dump', ['--data-only', '-d', pg.socketUrl], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const v of [v1, v2, v3]) assert.ok(!dump.includes(v), 'a value in clear in the team store');

    // Back, for a backup: a new folder, the same values.
    const backup = path.join(tmp, 'backup');
    const back = await copyStore({ from: pg.url, to: backup, env });
    assert.equal(back.secrets, 2);
    const b = await openStore({ path: backup, env, create: false });
    try {
      assert.equal((await b.manager.getSecretValue('shop/STRIPE')).secretString, v2);
      assert.equal((await b.manager.getSecretValue('shop/STRIPE', { versionStage: 'PREVIOUS' })).secretString, v1);
    } finally {
      await b.manager.close();
    }
    for (const f of fs.readdirSync(backup)) {
      const bytes = fs.readFileSync(path.join(backup, f));
      for (const v of [v1, v2, v3]) assert.ok(!bytes.includes(Buffer.from(v)), `a value in clear in ${f}`);
    }
    // Run again: what is there already is skipped, nothing is duplicated.
    const again = await copyStore({ from: folder, to: pg.url, env });
    assert.equal(again.secrets, 0);
    assert.equal(again.skipped.length, 2);
  });

  it('compare-and-set increments from two members racing add up exactly', async () => {
    const db = await startPostgres();
    try {
      const alice = newIdentity();
      const bob = newIdentity();
      const a = await initTeamStore({ url: db.url, identity: alice, memberName: 'alice' });
      await a.team.addMember('bob', bob.publicKey);
      await a.team.grantKey('alias/hush/default', 'bob');
      await a.policies.putPolicy('Developers', DEVELOPERS);
      await a.policies.attach('Developers', { member: 'bob' });
      await a.manager.createSecret({ name: 'counter', value: '0' });
      const b = await openTeamStore({ url: db.url, identity: bob });
      let conflicts = 0;
      const increment = async (m: typeof a.manager, n: number) => {
        for (let done = 0; done < n; ) {
          const cur = await m.getSecretValue('counter');
          try {
            await m.putSecretValue('counter', String(Number(cur.secretString) + 1), { expectCurrentVersionId: cur.versionId });
            done++;
          } catch (e) {
            if (!isHushError(e) || e.code !== 'PreconditionFailed') throw e;
            conflicts++;
          }
        }
      };
      await Promise.all([increment(a.manager, 15), increment(b.manager, 15)]);
      assert.equal((await a.manager.getSecretValue('counter')).secretString, '30');
      process.stdout.write(`      30 increments from 2 members, ${conflicts} compare-and-set conflicts retried, sum exact\n`);
      await a.manager.close();
      await b.manager.close();
    } finally {
      await db.stop();
    }
  });
});
