/**
 * The team store on a real PostgreSQL (test/support/pgServer.ts): members,
 * cryptographic grants, and a database that holds no value in clear.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { initTeamStore, openTeamStore, OpenedTeamStore } from '../../../shared/compose/teamStore';
import type { Identity } from '../../../shared/team/identity';
import { newIdentity } from '../../support/identities';
import { startPostgres, type PgServer } from '../../support/pgServer';

function fakeValue(): string {
  return ['team', 'value', randomBytes(9).toString('hex')].join('-');
}

describe('team store on PostgreSQL: members and grants', function () {
  this.timeout(60_000);
  let pg: PgServer;
  const opened: OpenedTeamStore[] = [];
  const open = async (identity: Identity): Promise<OpenedTeamStore> => {
    const o = await openTeamStore({ url: pg.url, identity });
    opened.push(o);
    return o;
  };

  beforeEach(async () => {
    pg = await startPostgres();
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.manager.close();
    await pg.stop();
  });

  it('A creates a secret; B is refused until added, then until granted; A revokes and B cannot read what is written afterwards', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    opened.push(a);
    const v1 = fakeValue();
    await a.manager.createSecret({ name: 'shop/STRIPE_KEY', value: v1 });

    await assert.rejects(openTeamStore({ url: pg.url, identity: bob }), (e: Error & { code?: string }) => e.code === 'NotAMember' && e.message.includes(bob.publicKey));

    await a.team.addMember('bob', bob.publicKey);
    const b = await open(bob);
    await assert.rejects(b.manager.getSecretValue('shop/STRIPE_KEY'), (e: Error & { code?: string }) => e.code === 'NoGrant' && /you \(bob\) have no grant/.test(e.message) && /alice/.test(e.message));

    const g = await a.team.grantKey('alias/hush/default', 'bob');
    assert.equal(g.member, 'bob');
    assert.equal((await b.manager.getSecretValue('shop/STRIPE_KEY')).secretString, v1);

    const r = await a.team.revokeKey('alias/hush/default', 'bob');
    assert.deepEqual(r.secretsToRotate, ['shop/STRIPE_KEY']);
    assert.equal(r.rotatedTo, 2);
    const v2 = fakeValue();
    await a.manager.putSecretValue('shop/STRIPE_KEY', v2);
    assert.equal((await a.manager.getSecretValue('shop/STRIPE_KEY')).secretString, v2);
    await assert.rejects(b.manager.getSecretValue('shop/STRIPE_KEY'), { code: 'NoGrant' });

    // Both members verify the one team audit chain.
    assert.equal((await a.manager.verifyAudit()).ok, true);
    assert.equal((await b.manager.verifyAudit()).ok, true);
    const actions = (await a.manager.listAudit({})).map((x) => `${x.principal} ${x.action} ${x.outcome}`);
    assert.ok(actions.includes('bob secrets:GetSecretValue Denied') || actions.includes('bob secrets:GetSecretValue Failure'), actions.join('\n'));
    assert.ok(actions.includes('alice kms:CreateGrant Success'));
    assert.ok(actions.includes('alice kms:RevokeGrant Success'));
  });

  it('the database holds ciphertext and metadata only: a full dump contains no value and no key material', async () => {
    const alice = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    opened.push(a);
    const values = [fakeValue(), fakeValue()];
    await a.manager.createSecret({ name: 'one', value: values[0] });
    await a.manager.createSecret({ name: 'two', value: values[1] });
    await a.manager.kms.createKey({ alias: 'alias/payments' });
    const dump = execFileSync('pg_dump', ['--data-only', '-d', pg.socketUrl], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(dump.includes('one') && dump.includes('alias/payments'), 'the dump should show names');
    for (const v of values) {
      assert.ok(!dump.includes(v), 'a value is in the dump in clear');
      assert.ok(!dump.includes(Buffer.from(v).toString('base64')), 'a value is in the dump as base64');
      assert.ok(!dump.includes(Buffer.from(v).toString('hex')), 'a value is in the dump as hex');
    }
    assert.ok(!dump.includes(alice.privateKey.toString('base64')), 'the identity is in the dump');
  });

  it('a second init on the same database is refused, and a non-store database says how to create one', async () => {
    const alice = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    opened.push(a);
    await assert.rejects(initTeamStore({ url: pg.url, identity: alice }), { code: 'StoreExists' });
    const other = await startPostgres();
    try {
      await assert.rejects(openTeamStore({ url: other.url, identity: alice }), (e: Error & { code?: string }) => e.code === 'StoreNotFound' && /hush store init/.test(e.message));
    } finally {
      await other.stop();
    }
  });
});
