/**
 * Access policy enforced by PostgreSQL for writes (issue 13): a member who
 * connects with their own database role and is denied a write by policy
 * cannot make it through Hush, nor with hand-written SQL; the audit chain
 * cannot be rewritten; and the SQL evaluator decides exactly as the core's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { initTeamStore, openTeamStore, OpenedTeamStore } from '../../../shared/compose/teamStore';
import { parsePolicyDocument } from '../../../shared/policy/document';
import { evaluate } from '../../../shared/policy/engine';
import type { Source } from '../../../shared/policy/access';
import { newIdentity } from '../../support/identities';
import { startPostgres, type PgServer } from '../../support/pgServer';

const fake = () => ['db', 'enf', randomBytes(8).toString('hex')].join('-');

describe('team store: the database enforces policy for writes', function () {
  this.timeout(120_000);
  let pg: PgServer;
  const opened: OpenedTeamStore[] = [];
  before(async () => {
    pg = await startPostgres();
  });
  after(async () => {
    for (const o of opened) await o.manager.close();
    await pg.stop();
  });

  it('a member denied a write by policy succeeds neither through Hush nor with SQL as their own role', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    opened.push(a);
    await a.manager.createSecret({ name: 'prod/db', value: fake() });
    await a.manager.createSecret({ name: 'dev/db', value: fake() });
    const role = `bob_${randomBytes(3).toString('hex')}`;
    const added = await a.team.addMember('bob', bob.publicKey, { dbRole: role });
    assert.ok(added.dbPassword, 'the new role gets a password, shown once');
    await a.team.grantKey('alias/hush/default', 'bob');
    await a.policies.putPolicy('DevOnly', {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadAll', Effect: 'Allow', Action: ['secrets:GetSecretValue', 'secrets:Describe*', 'secrets:List*', 'kms:Decrypt', 'kms:Describe*', 'kms:List*', 'team:List*'], Resource: '*' },
        { Sid: 'WriteDev', Effect: 'Allow', Action: ['secrets:*', 'kms:GenerateDataKey'], Resource: ['secret:dev/*', 'key:*'] },
      ],
    });
    await a.policies.attach('DevOnly', { member: 'bob' });

    const u = new URL(pg.url);
    u.username = role;
    u.password = added.dbPassword!;
    const bobUrl = u.toString();
    const b = await openTeamStore({ url: bobUrl, identity: bob });
    opened.push(b);
    // Through Hush: the client refuses, the allowed write goes through the database's checks.
    await assert.rejects(b.manager.putSecretValue('prod/db', fake()), { code: 'AccessDenied' });
    await b.manager.putSecretValue('dev/db', fake());
    assert.ok((await b.manager.getSecretValue('prod/db')).secretString, 'reading prod is allowed');

    // Hand-written SQL as bob's own role.
    const sql = new Client({ connectionString: bobUrl });
    await sql.connect();
    const prodId = (await a.manager.describeSecret('prod/db')).id;
    const refused = async (text: string, values: unknown[] = []) => {
      await assert.rejects(sql.query(text, values), (e: Error & { code?: string }) => e.code === '42501', `not refused: ${text}`);
    };
    try {
      await refused(`UPDATE hush_secrets SET description = 'pwned' WHERE name = 'prod/db'`);
      await refused(`DELETE FROM hush_secrets WHERE name = 'prod/db'`);
      await refused(`UPDATE hush_versions SET labels = '{}' WHERE secret_id = $1`, [prodId]);
      await refused(`DELETE FROM hush_versions WHERE secret_id = $1`, [prodId]);
      await refused(`UPDATE hush_secrets SET deletion_date = '2000-01-01T00:00:00.000Z' WHERE name = 'prod/db'`);
      // Privilege escalation and history rewriting.
      await refused(`INSERT INTO hush_policy_attachments (policy, member_id) SELECT 'TeamAdmin', id FROM hush_members WHERE name = 'bob'`);
      await refused(`UPDATE hush_policies SET document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"]}]}' WHERE name = 'DevOnly'`);
      await refused(`DELETE FROM hush_audit`);
      await refused(`UPDATE hush_audit SET line = 'x'`);
      await refused(`UPDATE hush_meta SET v = 'x'`);
      await refused(`DELETE FROM hush_members WHERE name = 'alice'`);
      // What policy allows works with SQL too: the checks are the policy's, not a blanket refusal.
      await sql.query(`UPDATE hush_secrets SET description = 'changed by hand' WHERE name = 'dev/db'`);
    } finally {
      await sql.end();
    }
    assert.equal((await a.manager.describeSecret('prod/db')).description, '');
    assert.equal((await a.manager.describeSecret('dev/db')).description, 'changed by hand');
    assert.equal((await a.manager.verifyAudit()).ok, true);
  });

  it('the SQL evaluator decides exactly as the core engine over a matrix of statements and requests', async () => {
    const admin = newIdentity();
    const a = opened[0] ?? (await initTeamStore({ url: pg.url, identity: admin, memberName: 'alice' }));
    const carol = newIdentity();
    await a.team.addMember('carol', carol.publicKey);
    await a.policies.createGroup('oncall');
    await a.policies.addToGroup('oncall', 'carol');
    const statements = [
      { Sid: 'A', Effect: 'Allow', Action: ['secrets:Get*', 'kms:Decrypt'], Resource: ['secret:prod/*', 'key:*'] },
      { Sid: 'B', Effect: 'Deny', Action: ['secrets:GetSecretValue'], Resource: ['secret:prod/pay?ents*'] },
      { Sid: 'C', Effect: 'Allow', NotAction: ['secrets:DeleteSecret'], Resource: ['secret:dev/*'] },
      { Sid: 'D', Effect: 'Allow', Action: ['secrets:PutSecretValue'], NotResource: ['secret:prod/*'] },
      { Sid: 'E', Effect: 'Allow', Action: ['secrets:TagResource'], Resource: ['*'], Condition: { StringEquals: { 'hush:ResourceTag/env': ['staging'] } } },
      { Sid: 'F', Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { StringLike: { 'hush:ResourceTag/team': 'sec*' } } },
      { Sid: 'G', Effect: 'Allow', Action: ['secrets:RotateSecret'], Resource: ['*'], Condition: { StringEquals: { 'hush:PrincipalGroup': 'oncall' } } },
      { Sid: 'H', Effect: 'Allow', Action: ['secrets:UpdateSecret'], Resource: ['*'], Condition: { StringNotEquals: { 'hush:ResourceTag/env': 'prod' } } },
      { Sid: 'I', Effect: 'Allow', Action: ['secrets:DescribeSecret'], Resource: ['*'], Condition: { StringLike: { 'hush:PrincipalName': 'car*' } } },
    ];
    const doc = { Version: '2012-10-17', Statement: statements };
    await a.policies.putPolicy('Matrix', doc);
    await a.policies.attach('Matrix', { group: 'oncall' });
    const parsed = parsePolicyDocument(doc);
    const actions = ['secrets:GetSecretValue', 'secrets:DeleteSecret', 'secrets:PutSecretValue', 'secrets:TagResource', 'secrets:RotateSecret', 'secrets:UpdateSecret', 'secrets:DescribeSecret', 'kms:Decrypt', 'kms:EnableKey'];
    const resources: { names: string[]; tags: Record<string, string> }[] = [
      { names: ['secret:prod/db', 'secret:11111111-2222-4333-8444-555555555555'], tags: {} },
      { names: ['secret:prod/payments/key', 'secret:x'], tags: { env: 'prod' } },
      { names: ['secret:prod/paysents'], tags: {} },
      { names: ['secret:dev/db'], tags: { env: 'staging' } },
      { names: ['secret:dev/x'], tags: { team: 'security' } },
      { names: ['key:k1', 'key:alias/pay'], tags: {} },
      { names: ['secret:other/a.b'], tags: { env: 'dev' } },
    ];
    const sql = new Client({ connectionString: pg.url });
    await sql.connect();
    try {
      const carolId = (await sql.query(`SELECT id FROM hush_members WHERE name = 'carol'`)).rows[0].id as string;
      let n = 0;
      for (const action of actions) {
        for (const r of resources) {
          const source: Source = 'cli';
          const core = evaluate({ policies: [{ name: 'Matrix', document: parsed }], groups: ['oncall'], defaultEffect: 'Deny' }, { caller: { principal: 'carol', groups: [], source, auth: 'x', host: '' }, action, resource: r });
          const db = (await sql.query('SELECT hush_decide($1, $2, $3, $4) AS d', [carolId, action, r.names, JSON.stringify(r.tags)])).rows[0].d as string;
          assert.equal(db === 'Allow' ? 'Allow' : 'Deny', core.effect, `${action} on ${r.names[0]} ${JSON.stringify(r.tags)}: SQL ${db}, core ${core.effect} (${core.reason})`);
          n++;
        }
      }
      process.stdout.write(`      ${n} decisions, SQL and core agree\n`);
    } finally {
      await sql.end();
    }
  });
});
