/**
 * The access keys of `hush serve` in both stores: sealed (never in clear on
 * disk or in the database), bound to their key id, kept across reopening and
 * compaction of the embedded store, revoked by id or by application name,
 * audited; and the team store's schema version 2, which an older team store
 * reaches with `hush store migrate` (opening never migrates).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { openStore } from '../../shared/compose/openStore';
import { initTeamStore, migrateTeamStore, openTeamStore } from '../../shared/compose/teamStore';
import { SCHEMA_VERSION } from '../../shared/store/postgres/migrations';
import { parseAudit } from '../../shared/audit/auditLog';
import { newIdentity } from '../support/identities';
import { psql, startPostgres } from '../support/pgServer';

describe('hush serve access keys in the embedded store', function () {
  this.timeout(60_000);
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hush-serve-store-'));
    env = { HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('are sealed on disk, survive reopening and compaction, and revoke by id or by name', async () => {
    const path = join(root, 'store');
    const s = await openStore({ path, env, fileStore: { compactBytes: 1 } });
    const a = await s.credentials.create('billing');
    const b = await s.credentials.create('billing');
    const c = await s.credentials.create('reports');
    assert.match(a.accessKeyId, /^HUSH[A-Z2-7]{16}$/);
    assert.equal(a.secretAccessKey.length, 40);
    await s.manager.createSecret({ name: 'pad', value: 'x'.repeat(100) }); // more writes: the log compacts into a snapshot
    await s.manager.close();
    for (const f of readdirSync(path)) {
      const bytes = readFileSync(join(path, f));
      for (const k of [a, b, c]) assert.ok(!bytes.includes(Buffer.from(k.secretAccessKey)), `${f} holds a secret access key in clear`);
    }

    const again = await openStore({ path, env });
    const opened = await again.credentials.open(a.accessKeyId);
    assert.equal(opened?.secret.toString(), a.secretAccessKey);
    assert.equal(opened?.credential.name, 'billing');
    assert.deepEqual((await again.credentials.list()).map((x) => [x.name, x.accessKeyId]).sort(), [['billing', a.accessKeyId], ['billing', b.accessKeyId], ['reports', c.accessKeyId]].sort());

    const byName = await again.credentials.revoke('billing');
    assert.deepEqual(byName.map((x) => x.accessKeyId).sort(), [a.accessKeyId, b.accessKeyId].sort());
    assert.equal(await again.credentials.open(a.accessKeyId), undefined);
    assert.ok(await again.credentials.open(c.accessKeyId));
    await assert.rejects(again.credentials.revoke('billing'), { code: 'InvalidArgument' });
    await assert.rejects(again.credentials.revoke('nobody'), { code: 'NotFound' });
    await assert.rejects(again.credentials.create('bad name!'), { code: 'InvalidArgument' });
    await again.credentials.revoke(c.accessKeyId);
    assert.ok((await again.credentials.list()).every((x) => x.revokedAt));

    const actions = parseAudit(await again.store.readAudit()).map((r) => r.action);
    for (const x of ['serve:CreateCredential', 'serve:OpenCredential', 'serve:RevokeCredential', 'serve:ListCredentials']) assert.ok(actions.includes(x), x);
    await again.manager.close();
  });

  it("a sealed secret moved onto another key id's record does not open (the encryption context names the key id)", async () => {
    const s = await openStore({ path: join(root, 'store'), env });
    const a = await s.credentials.create('one');
    const b = await s.credentials.create('two');
    await s.store.transact(async (tx) => {
      const ra = (await tx.getCredential(a.accessKeyId))!;
      const rb = (await tx.getCredential(b.accessKeyId))!;
      await tx.putCredential({ ...rb, sealedSecret: ra.sealedSecret });
    });
    await assert.rejects(s.credentials.open(b.accessKeyId), { code: 'DecryptFailed' });
    await s.manager.close();
  });
});

describe('hush serve access keys in the team store', function () {
  this.timeout(120_000);

  it('the team schema holds them sealed; a store from before them is refused until migrated, then works', async () => {
    const pg = await startPostgres();
    try {
      const alice = newIdentity();
      const t = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
      const k = await t.credentials.create('billing');
      const dump = psql(pg, 'SELECT access_key_id, name, created_by, sealed_secret FROM hush_credentials', pg.database);
      assert.match(dump, new RegExp(`^${k.accessKeyId}\\|billing\\|alice\\|`));
      assert.ok(!dump.includes(k.secretAccessKey), 'the database holds the secret access key in clear');
      await t.manager.close();

      // Back to version 3, as a store made by an older Hush (before access keys).
      psql(pg, "DROP TABLE hush_credentials; DROP FUNCTION hush_guard_credentials(); UPDATE hush_meta SET v = '3' WHERE k = 'schema_version'", pg.database);
      await assert.rejects(
        openTeamStore({ url: pg.url, identity: alice }),
        (e: Error & { code?: string }) => e.code === 'SchemaMismatch' && new RegExp(`schema version 3; this Hush needs ${SCHEMA_VERSION}`).test(e.message) && /hush store migrate/.test(e.message),
      );
      assert.deepEqual(await migrateTeamStore(pg.url), { from: 3, to: SCHEMA_VERSION });
      const m = await openTeamStore({ url: pg.url, identity: alice });
      const k2 = await m.credentials.create('billing');
      assert.equal((await m.credentials.open(k2.accessKeyId))?.secret.toString(), k2.secretAccessKey);
      assert.deepEqual((await m.credentials.list()).map((c) => c.accessKeyId), [k2.accessKeyId]);
      await m.manager.close();
    } finally {
      await pg.stop();
    }
  });
});
