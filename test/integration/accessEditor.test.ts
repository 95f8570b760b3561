/**
 * Access policy as the editor meets it, through the built server and a real
 * LSP client, on a team store (a real PostgreSQL, two members with their own
 * identities) and on an embedded store with `.hush/policy.json`:
 *
 * - the sidebar's batched decisions (`hush/access/decide`) agree with what
 *   the core does when the command runs — denied exactly when the operation
 *   is refused — and name the refused action and the deciding statement;
 * - an AccessDenied error carries the action, the resource and the reason,
 *   so the editor can offer Explain;
 * - Explain (`hush/access/explain`): the decision, every statement that
 *   matched, the deciding policy and Sid (a team simulation for a member who
 *   may read the policies, their own policies otherwise; the policy file on
 *   an embedded store);
 * - the Audit view's filters (member, action family, resource, outcome) and
 *   each record's context (source, host, decision, policy, Sid).
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { openStore } from '../../shared/compose/openStore';
import { initTeamStore } from '../../shared/compose/teamStore';
import { AccessDeniedData, coreRequest, CoreOp, CoreParams, CoreResult, PutValueRequest, SecretVerb, ServeStatusRequest } from '../../shared/protocol';
import { newIdentity } from '../support/identities';
import { LspTestClient } from '../support/lspClient';
import { startPostgres, type PgServer } from '../support/pgServer';

type Call = <K extends CoreOp>(op: K, p: CoreParams<K>) => Promise<CoreResult<K>>;
const caller = (c: LspTestClient): Call => (op, p) => c.connection.sendRequest(coreRequest(op), p);

/** Bob reads and lists, writes under app/, never reads prod/, tagged-restricted secrets, or the payments key. */
const BOB_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadAndList', Effect: 'Allow', Action: ['secrets:Describe*', 'secrets:List*', 'secrets:GetSecretValue', 'kms:Decrypt', 'kms:List*', 'kms:Describe*', 'audit:List'], Resource: '*' },
    { Sid: 'WriteApp', Effect: 'Allow', Action: ['secrets:PutSecretValue', 'kms:GenerateDataKey'], Resource: ['secret:app/*', 'key:*'] },
    { Sid: 'DenyProdReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:prod/*' },
    { Sid: 'DenyRestrictedReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'hush:ResourceTag/tier': 'restricted' } } },
    { Sid: 'NoPaymentsKey', Effect: 'Deny', Action: 'kms:Decrypt', Resource: 'key:alias/payments' },
  ],
};

/** Runs the command behind a verb as the sidebar would; resolves 'allowed' or 'denied' (AccessDenied), throws otherwise. */
async function attempt(call: Call, client: LspTestClient, verb: SecretVerb, secretName: string): Promise<'allowed' | 'denied'> {
  try {
    switch (verb) {
      case 'describe':
        await call('secrets/describe', { secretName });
        break;
      case 'reveal':
        await call('secrets/reveal', { secretName });
        break;
      case 'putValue':
        await client.connection.sendRequest(PutValueRequest, { secretName, value: `v-${randomBytes(6).toString('hex')}` });
        break;
      case 'tag':
        await call('secrets/tag', { secretName, tags: { checked: 'yes' } });
        break;
      case 'setRotation':
        await call('secrets/setRotation', { secretName, intervalDays: 30 });
        break;
      case 'moveLabel': {
        const d = await call('secrets/describe', { secretName });
        await call('secrets/moveLabel', { secretName, label: 'REVIEWED', toVersionId: d.versions[0]!.versionId });
        break;
      }
      case 'rotate': {
        const r = await call('secrets/rotate', { secretName });
        if (!r.ok) {
          if (/AccessDenied/.test(r.message ?? '')) return 'denied';
          throw new Error(r.message);
        }
        break;
      }
      case 'delete':
        await call('secrets/delete', { secretName, recoveryDays: 7 });
        await call('secrets/restore', { secretName }).catch(() => undefined);
        break;
      case 'restore':
        return 'allowed'; // only for a secret scheduled for deletion: not in this matrix
    }
    return 'allowed';
  } catch (e) {
    if (/^AccessDenied: /.test((e as Error).message)) return 'denied';
    throw e;
  }
}

describe('Access policy in the editor over LSP (team store)', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let bob: LspTestClient;
  let alice: LspTestClient;
  let asBob: Call;
  let asAlice: Call;
  let paymentsKeyId: string;

  before(async () => {
    pg = await startPostgres();
    const a = newIdentity();
    const b = newIdentity();
    const t = await initTeamStore({ url: pg.url, identity: a, memberName: 'alice' });
    try {
      await t.team.addMember('bob', b.publicKey);
      await t.team.grantKey('alias/hush/default', 'bob');
      const payments = await t.manager.kms.createKey({ alias: 'alias/payments' });
      paymentsKeyId = payments.keyId;
      await t.team.grantKey('alias/payments', 'bob');
      await t.policies.putPolicy('BobPolicy', BOB_POLICY);
      await t.policies.attach('BobPolicy', { member: 'bob' });
      await t.manager.createSecret({ name: 'app/api', value: 'api-value-1' });
      await t.manager.createSecret({ name: 'app/restricted', value: 'restricted-value-1', tags: { tier: 'restricted' } });
      await t.manager.createSecret({ name: 'app/pay', value: 'pay-value-1', kmsKeyId: 'alias/payments' });
      await t.manager.createSecret({ name: 'prod/db', value: 'prod-value-1' });
    } finally {
      await t.manager.close();
    }
    const env = (id: ReturnType<typeof newIdentity>) => ({ HUSH_STORE: pg.url, HUSH_IDENTITY: id.privateKey.toString('base64'), HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' });
    ({ client: bob } = await LspTestClient.start({ env: env(b) }));
    ({ client: alice } = await LspTestClient.start({ env: env(a) }));
    asBob = caller(bob);
    asAlice = caller(alice);
  });

  after(async () => {
    await bob?.stop();
    await alice?.stop();
    await pg?.stop();
  });

  it('decides the sidebar commands in one batch, naming the refused action and the deciding statement', async () => {
    const page = await asBob('secrets/page', {});
    const names = page.secrets.map((s) => s.name);
    assert.deepEqual(names, ['app/api', 'app/pay', 'app/restricted', 'prod/db']);
    const d = await asBob('access/decide', { secrets: names, keys: [paymentsKeyId] });
    assert.equal(d.principal, 'bob');
    // Bob may describe, read and put a new value under app/; nothing else.
    assert.deepEqual(Object.keys(d.secrets['app/api']!).sort(), ['delete', 'moveLabel', 'restore', 'rotate', 'setRotation', 'tag']);
    assert.equal(d.secrets['app/api']!.tag!.reason, 'no statement allows it');
    assert.equal(d.secrets['app/api']!.tag!.action, 'secrets:TagResource');
    assert.equal(d.secrets['app/api']!.rotate!.action, 'secrets:GetRandomPassword', 'the first action of the rotation that policy refuses');
    assert.deepEqual(d.secrets['prod/db']!.reveal, {
      action: 'secrets:GetSecretValue',
      resource: 'secret:prod/db',
      reason: "denied by policy 'BobPolicy', statement DenyProdReads",
      policy: 'BobPolicy',
      sid: 'DenyProdReads',
    });
    assert.equal(d.secrets['prod/db']!.putValue!.reason, 'no statement allows it');
    // A tag condition: only the canonical target carries the secret's tags.
    assert.equal(d.secrets['app/restricted']!.reveal!.sid, 'DenyRestrictedReads');
    // Reading needs kms:Decrypt on the secret's key too.
    assert.equal(d.secrets['app/pay']!.reveal!.action, 'kms:Decrypt');
    assert.equal(d.secrets['app/pay']!.reveal!.sid, 'NoPaymentsKey');
    assert.equal(d.secrets['app/pay']!.reveal!.resource, `key:${paymentsKeyId}`);
    assert.deepEqual(Object.keys(d.keys[paymentsKeyId]!).sort(), ['cancelDeletion', 'disable', 'enable', 'import', 'rotate', 'scheduleDeletion']);
    assert.equal(d.keys[paymentsKeyId]!.disable!.action, 'kms:DisableKey');
    // Alice administers the store: nothing is denied.
    const all = await asAlice('access/decide', { secrets: names, keys: [paymentsKeyId] });
    assert.equal(all.principal, 'alice');
    assert.ok(Object.values(all.secrets).every((x) => Object.keys(x).length === 0), JSON.stringify(all.secrets));
    assert.deepEqual(all.keys[paymentsKeyId], {});
  });

  it('agrees with the core: a command is denied exactly when running it is refused', async () => {
    const names = ['app/api', 'app/pay', 'app/restricted', 'prod/db'];
    const verbs: SecretVerb[] = ['describe', 'reveal', 'putValue', 'tag', 'setRotation', 'moveLabel', 'rotate', 'delete'];
    const d = await asBob('access/decide', { secrets: names });
    const mismatches: string[] = [];
    for (const name of names) {
      for (const verb of verbs) {
        const said = d.secrets[name]![verb] ? 'denied' : 'allowed';
        const did = await attempt(asBob, bob, verb, name);
        if (said !== did) mismatches.push(`${verb} ${name}: decided ${said}, the core ${did}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('an AccessDenied error carries the action, the resource and the reason for Explain', async () => {
    const err = await asBob('secrets/reveal', { secretName: 'prod/db' }).then(
      () => assert.fail('bob may not read prod/db'),
      (e: unknown) => e as ResponseError<AccessDeniedData>,
    );
    assert.equal(err.message, "AccessDenied: bob may not secrets:GetSecretValue on secret:prod/db: denied by policy 'BobPolicy', statement DenyProdReads");
    assert.deepEqual(err.data, { code: 'AccessDenied', principal: 'bob', action: 'secrets:GetSecretValue', resource: 'secret:prod/db', reason: "denied by policy 'BobPolicy', statement DenyProdReads" });
    const key = await asBob('secrets/reveal', { secretName: 'app/pay' }).then(
      () => assert.fail('bob may not decrypt with the payments key'),
      (e: unknown) => e as ResponseError<AccessDeniedData>,
    );
    assert.equal(key.data?.action, 'kms:Decrypt');
    assert.equal(key.data?.resource, `key:${paymentsKeyId}`);
  });

  it('explains a denial: every statement that matched, the deciding policy and Sid', async () => {
    const e = await asBob('access/explain', { action: 'secrets:GetSecretValue', resource: 'secret:prod/db' });
    assert.equal(e.basis, 'own-policies', 'bob may not read every policy (team:ListPolicies): his own decision');
    assert.equal(e.store, 'team');
    assert.equal(e.principal, 'bob');
    assert.equal(e.effect, 'Deny');
    assert.deepEqual(e.decidedBy, { policy: 'BobPolicy', sid: 'DenyProdReads' });
    assert.deepEqual(e.matched, [
      { policy: 'BobPolicy', sid: 'ReadAndList', effect: 'Allow' },
      { policy: 'BobPolicy', sid: 'DenyProdReads', effect: 'Deny' },
    ]);
    assert.equal(e.names[0], 'secret:prod/db');
    assert.match(e.names[1]!, /^secret:[0-9a-f-]{36}$/, 'the canonical names: by name and by id');
    const tagged = await asBob('access/explain', { action: 'secrets:GetSecretValue', resource: 'secret:app/restricted' });
    assert.deepEqual(tagged.tags, { tier: 'restricted' });
    assert.equal(tagged.decidedBy?.sid, 'DenyRestrictedReads');
    const none = await asBob('access/explain', { action: 'secrets:DeleteSecret', resource: 'secret:app/api' });
    assert.equal(none.effect, 'Deny');
    assert.equal(none.reason, 'no statement allows it');
    assert.deepEqual(none.matched, []);
    // Alice may read the policies: the team store's simulation.
    const sim = await asAlice('access/explain', { action: 'secrets:GetSecretValue', resource: 'secret:prod/db' });
    assert.equal(sim.basis, 'team-simulation');
    assert.equal(sim.effect, 'Allow');
    assert.deepEqual(sim.decidedBy, { policy: 'TeamAdmin', sid: 'AdministerTheStore' });
    await assert.rejects(asBob('access/explain', { action: '', resource: 'secret:x' }), /InvalidArgument: give the action and the resource/);
    // Explaining does not try the simulation bob may not run: no denial of team:ListPolicies in the audit.
    assert.deepEqual(await asAlice('audit/list', { principal: 'bob', action: 'team:ListPolicies' }), []);
  });

  it('the status bar’s poll of hush serve adds nothing to the team’s audit', async () => {
    const count = async (): Promise<number> => (await asAlice('audit/list', { action: 'serve:*', limit: 10_000 })).length;
    const before = await count();
    for (let i = 0; i < 3; i++) assert.equal((await bob.connection.sendRequest(ServeStatusRequest, {})).running, false);
    assert.equal(await count(), before);
  });

  it('filters the audit by member, action family, resource and outcome; records carry source, host and the deciding statement', async () => {
    const denied = await asAlice('audit/list', { principal: 'bob', outcome: 'Denied', limit: 1000 });
    assert.ok(denied.length >= 3, `bob's denials: ${denied.length}`);
    assert.ok(denied.every((r) => r.principal === 'bob' && r.outcome === 'Denied'));
    const prod = denied.find((r) => r.action === 'secrets:GetSecretValue' && r.resource.secretName === 'prod/db');
    assert.ok(prod, JSON.stringify(denied.map((r) => [r.action, r.resource])));
    assert.equal(prod.context?.source, 'editor');
    assert.equal(prod.context?.host, os.hostname());
    assert.equal(prod.context?.auth, 'identity');
    assert.equal(prod.context?.decision, 'Deny');
    assert.equal(prod.context?.policy, 'BobPolicy');
    assert.equal(prod.context?.sid, 'DenyProdReads');
    const kms = await asAlice('audit/list', { action: 'kms:*', limit: 1000 });
    assert.ok(kms.length > 0 && kms.every((r) => r.action.startsWith('kms:')));
    assert.ok(kms.some((r) => r.action === 'kms:Decrypt' && r.outcome === 'Denied' && r.principal === 'bob' && r.context?.sid === 'NoPaymentsKey'));
    const exact = await asAlice('audit/list', { action: 'secrets:GetSecretValue', principal: 'alice' });
    assert.ok(exact.every((r) => r.action === 'secrets:GetSecretValue' && r.principal === 'alice'));
    const byResource = await asAlice('audit/list', { resource: 'PROD/', limit: 1000 });
    assert.ok(byResource.length > 0 && byResource.every((r) => Object.values(r.resource).some((v) => v.toLowerCase().includes('prod/'))));
    const newestFirst = await asAlice('audit/list', { limit: 5 });
    assert.equal(newestFirst.length, 5);
    assert.ok(newestFirst[0]!.seq > newestFirst[4]!.seq);
    await assert.rejects(asAlice('audit/list', { outcome: 'Bogus' as 'Denied' }), /InvalidArgument: the outcome filter is Success, Denied or Failure/);
  });
});

describe('Access policy in the editor over LSP (embedded store with .hush/policy.json)', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspTestClient;
  let call: Call;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-policy-editor-'));
    const env = { HUSH_STORE: dir, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_PASSPHRASE: '' };
    const o = await openStore({ path: dir, env });
    await o.manager.createSecret({ name: 'locked/a', value: 'locked-value-1' });
    await o.manager.createSecret({ name: 'open/b', value: 'open-value-1' });
    await o.manager.close();
    ({ client } = await LspTestClient.start({ env }));
    call = caller(client);
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without a policy file everything is allowed, and Explain says why', async () => {
    await call('secrets/page', {});
    const d = await call('access/decide', { secrets: ['locked/a', 'open/b'] });
    assert.deepEqual(d.secrets, { 'locked/a': {}, 'open/b': {} });
    const e = await call('access/explain', { action: 'secrets:GetSecretValue', resource: 'secret:locked/a' });
    assert.equal(e.basis, 'no-policy-file');
    assert.equal(e.effect, 'Allow');
    assert.equal(e.policyFile, path.join(dir, '.hush', 'policy.json'));
  });

  it('with one, decides and explains from it', async () => {
    fs.mkdirSync(path.join(dir, '.hush'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      path.join(dir, '.hush', 'policy.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'NoLockedReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:locked/*' },
        ],
      }),
    );
    await call('secrets/page', {}); // the next operation reads the file again, as every one does
    const d = await call('access/decide', { secrets: ['locked/a', 'open/b'] });
    assert.deepEqual(Object.keys(d.secrets['locked/a']!), ['reveal']);
    assert.equal(d.secrets['locked/a']!.reveal!.reason, "denied by policy '.hush/policy.json', statement NoLockedReads");
    assert.deepEqual(d.secrets['open/b'], {});
    await assert.rejects(call('secrets/reveal', { secretName: 'locked/a' }), /AccessDenied: .* may not secrets:GetSecretValue on secret:locked\/a: denied by policy '\.hush\/policy\.json', statement NoLockedReads/);
    const e = await call('access/explain', { action: 'secrets:GetSecretValue', resource: 'secret:locked/a' });
    assert.equal(e.basis, 'policy-file');
    assert.equal(e.effect, 'Deny');
    assert.deepEqual(e.decidedBy, { policy: '.hush/policy.json', sid: 'NoLockedReads' });
    assert.deepEqual(e.matched.map((m) => `${m.sid}:${m.effect}`), ['Everything:Allow', 'NoLockedReads:Deny']);
  });
});
