/**
 * The team store on a real PostgreSQL (test/support/pgServer.ts): members,
 * cryptographic grants, and a database that holds no value in clear.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { initTeamStore, openTeamStore, OpenedTeamStore } from '../../../shared/compose/teamStore';
import type { Identity } from '../../../shared/team/identity';
import { DEVELOPERS, newIdentity } from '../../support/identities';
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
    // A new member may do nothing until a policy says so (default deny on a team store).
    await assert.rejects(b.manager.getSecretValue('shop/STRIPE_KEY'), (e: Error & { code?: string }) => e.code === 'AccessDenied' && /no statement allows it/.test(e.message));
    await a.policies.putPolicy('Developers', DEVELOPERS);
    await a.policies.attach('Developers', { member: 'bob' });
    // Policy allows it now, but reads are enforced by the key: no grant, no value.
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

  it('policies attach to groups; simulate explains a decision with the statement that made it', async () => {
    const alice = newIdentity();
    const carol = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    opened.push(a);
    await a.manager.createSecret({ name: 'prod/db', value: fakeValue(), tags: { env: 'prod' } });
    await a.manager.createSecret({ name: 'dev/db', value: fakeValue(), tags: { env: 'dev' } });
    await a.team.addMember('carol', carol.publicKey);
    await a.team.grantKey('alias/hush/default', 'carol');
    await a.policies.createGroup('devs');
    await a.policies.addToGroup('devs', 'carol');
    await a.policies.putPolicy('Developers', DEVELOPERS);
    await a.policies.putPolicy('NoProd', { Version: '2012-10-17', Statement: [{ Sid: 'ProdIsOffLimits', Effect: 'Deny', Action: 'secrets:*', Resource: '*', Condition: { StringEquals: { 'hush:ResourceTag/env': 'prod' } } }] });
    await a.policies.attach('Developers', { group: 'devs' });
    await a.policies.attach('NoProd', { group: 'devs' });
    const c = await open(carol);
    assert.ok((await c.manager.getSecretValue('dev/db')).secretString);
    const prodId = (await a.manager.describeSecret('prod/db')).id;
    for (const ref of ['prod/db', prodId]) {
      await assert.rejects(c.manager.getSecretValue(ref), (e: Error & { code?: string }) => e.code === 'AccessDenied' && /denied by policy 'NoProd', statement ProdIsOffLimits/.test(e.message));
    }
    const sim = await a.policies.simulate('carol', 'secrets:GetSecretValue', 'secret:prod/db');
    assert.equal(sim.effect, 'Deny');
    assert.deepEqual(sim.decidedBy, { policy: 'NoProd', sid: 'ProdIsOffLimits' });
    assert.deepEqual(sim.matched.map((m) => `${m.policy}/${m.sid}/${m.effect}`).sort(), ['Developers/UseSecrets/Allow', 'NoProd/ProdIsOffLimits/Deny']);
    assert.equal((await a.policies.simulate('carol', 'secrets:GetSecretValue', 'secret:dev/db')).effect, 'Allow');
    assert.equal((await a.policies.simulate('carol', 'kms:ScheduleKeyDeletion', 'key:alias/hush/default')).reason, 'no statement allows it');
    // Detaching takes effect on the very next operation.
    await a.policies.attach('NoProd', { group: 'devs' }, true);
    assert.ok((await c.manager.getSecretValue('prod/db')).secretString);
    // A document with a bad field is refused whole, naming the field.
    await assert.rejects(a.policies.putPolicy('Bad', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secrets:GetSecret', Resource: '*' }] }), /Statement\[0\]\.Action\[0\] 'secrets:GetSecret' is not a Hush action/);
  });

  it('a database rolled back behind what a member saw is refused for that member, naming how far behind', async () => {
    const alice = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    await a.manager.createSecret({ name: 'app/token', value: fakeValue() });
    const before = Number(execFileSync('psql', ['-X', '-At', '-d', pg.socketUrl, '-c', 'SELECT seq FROM hush_audit_head'], { encoding: 'utf8' }).trim());
    await a.manager.putSecretValue('app/token', fakeValue());
    await a.manager.getSecretValue('app/token');
    await a.manager.close(); // the anchor now records the newest state alice saw
    const seen = Number(execFileSync('psql', ['-X', '-At', '-d', pg.socketUrl, '-c', 'SELECT seq FROM hush_audit_head'], { encoding: 'utf8' }).trim());
    assert.ok(seen > before);
    // An older backup restored: the audit chain is back where it was before the put.
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pg.socketUrl, '-c', `DELETE FROM hush_audit WHERE seq > ${before}; UPDATE hush_audit_head SET seq = ${before}, hash = (SELECT line::jsonb ->> 'hash' FROM hush_audit WHERE seq = ${before})`]);
    await assert.rejects(openTeamStore({ url: pg.url, identity: alice }), (e: Error & { code?: string }) => e.code === 'StoreRolledBack' && new RegExp(`holds ${before} record\\(s\\), you last saw record ${seen}`).test(e.message));
    // A history that was rewritten at the anchored record is refused too.
    execFileSync('psql', ['-X', '-q', '-d', pg.socketUrl, '-c', `UPDATE hush_audit_head SET seq = ${seen}; INSERT INTO hush_audit (seq, line) SELECT g, '{"hash":"forged"}' FROM generate_series(${before + 1}, ${seen}) g`]);
    await assert.rejects(openTeamStore({ url: pg.url, identity: alice }), (e: Error & { code?: string }) => e.code === 'StoreRolledBack' && /not the history you saw/.test(e.message));
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
