/**
 * Policy documents and their evaluation: validation with the path of the bad
 * field, and the decision matrix (allow, explicit deny, no match, tag
 * conditions, NotAction, NotResource, principal and group and source
 * conditions) with the statement that decided.
 */
import assert from 'node:assert/strict';
import { parsePolicyDocument, parsePolicyText } from '../../../shared/policy/document';
import { evaluate, PrincipalPolicies, wildcard } from '../../../shared/policy/engine';
import type { Caller, Source } from '../../../shared/policy/access';

const doc = (...Statement: object[]) => parsePolicyDocument({ Version: '2012-10-17', Statement });
const caller = (principal = 'alice', source: Source = 'cli'): Caller => ({ principal, groups: [], source, auth: 'identity', host: 'h' });
const secret = (name: string, tags: Record<string, string> = {}) => ({ names: [`secret:${name}`, `secret:0b6f5d3c-1111-4222-8333-944445555666`], tags });

function decide(p: PrincipalPolicies, action: string, resource: { names: string[]; tags?: Record<string, string> }, who = caller()) {
  return evaluate(p, { caller: who, action, resource });
}

describe('policy documents', () => {
  it('accepts the IAM shape, single values or lists, and normalizes to lists', () => {
    const d = parsePolicyText(JSON.stringify({ Version: '2012-10-17', Statement: { Sid: 'A', Effect: 'Allow', Action: 'secrets:Get*', Resource: 'secret:prod/*' } }));
    assert.deepEqual(d.Statement[0]!.Action, ['secrets:Get*']);
    assert.deepEqual(d.Statement[0]!.Resource, ['secret:prod/*']);
  });

  const refused: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['a wrong version', { Version: '2008-10-17', Statement: [] }, /Version must be/],
    ['no statements', { Version: '2012-10-17', Statement: [] }, /Statement must be/],
    ['a bad effect', { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }, /Statement\[0\]\.Effect must be "Allow" or "Deny"/],
    ['Action and NotAction', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', NotAction: '*', Resource: '*' }] }, /Statement\[0\] needs exactly one of Action and NotAction/],
    ['no Resource', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }, /needs exactly one of Resource and NotResource/],
    ['a misspelt action', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'secrets:GetSecretVaule'], Resource: '*' }] }, /Statement\[0\]\.Action\[1\] 'secrets:GetSecretVaule' is not a Hush action \(did you mean secrets:GetSecretValue\?\)/],
    ['an unknown service', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, /is not an action: write SERVICE:NAME/],
    ['a bad resource', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:secretsmanager:*' }] }, /Statement\[0\]\.Resource\[0\] 'arn:aws:secretsmanager:\*' is not a resource/],
    ['an unknown operator', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericEquals: {} } }] }, /Condition\.NumericEquals is not a supported operator/],
    ['an unknown condition key', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:username': 'x' } } }] }, /Condition\.StringEquals\["aws:username"\] is not a condition key/],
    ['a non-boolean Bool', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'hush:ViaEditor': 'yes' } } }] }, /must be 'true' or 'false'/],
    ['a duplicate Sid', { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }, /Statement\[1\]\.Sid 'A' is used twice/],
    ['an unknown field', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }] }, /Statement\[0\]\.Principal is not a statement field/],
  ];
  for (const [what, raw, message] of refused) {
    it(`refuses ${what}, naming the field`, () => {
      assert.throws(() => (typeof raw === 'string' ? parsePolicyText(raw) : parsePolicyDocument(raw)), (e: Error & { code?: string }) => e.code === 'InvalidArgument' && message.test(e.message));
    });
  }

  it('IAM wildcards: * and ?, actions case-insensitive', () => {
    assert.ok(wildcard('secret:prod/*', 'secret:prod/db/password'));
    assert.ok(!wildcard('secret:prod/*', 'secret:dev/db'));
    assert.ok(wildcard('secret:app?/x', 'secret:app1/x'));
    assert.ok(!wildcard('secret:app?/x', 'secret:app12/x'));
    assert.ok(wildcard('secrets:get*', 'secrets:GetSecretValue', true));
    assert.ok(!wildcard('secret:a.b', 'secret:aXb'), 'regex metacharacters are literal');
  });
});

describe('policy evaluation matrix', () => {
  const team = (policies: { name: string; document: ReturnType<typeof doc> }[], groups: string[] = []): PrincipalPolicies => ({ policies, groups, defaultEffect: 'Deny' });

  it('no statement matching: deny on a team store, saying so', () => {
    const d = decide(team([]), 'secrets:GetSecretValue', secret('prod/db'));
    assert.equal(d.effect, 'Deny');
    assert.equal(d.reason, 'no statement allows it');
    assert.equal(d.decidedBy, undefined);
  });

  it('an Allow allows, and names its policy and Sid', () => {
    const d = decide(team([{ name: 'readers', document: doc({ Sid: 'ReadProd', Effect: 'Allow', Action: 'secrets:GetSecretValue', Resource: 'secret:prod/*' }) }]), 'secrets:GetSecretValue', secret('prod/db'));
    assert.equal(d.effect, 'Allow');
    assert.deepEqual(d.decidedBy, { policy: 'readers', sid: 'ReadProd' });
  });

  it('an explicit Deny wins over any Allow, in any policy, in any order', () => {
    const allow = { name: 'all', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
    const deny = { name: 'no-prod', document: doc({ Sid: 'NoProd', Effect: 'Deny', Action: 'secrets:*', Resource: 'secret:prod/*' }) };
    for (const order of [[allow, deny], [deny, allow]]) {
      const d = decide(team(order), 'secrets:PutSecretValue', secret('prod/db'));
      assert.equal(d.effect, 'Deny');
      assert.deepEqual(d.decidedBy, { policy: 'no-prod', sid: 'NoProd' });
      assert.equal(d.matched.length, 2, 'both statements are listed as matching');
    }
    assert.equal(decide(team([allow, deny]), 'secrets:PutSecretValue', secret('dev/db')).effect, 'Allow');
  });

  it('decides on any canonical name: a pattern on the name holds when the request names the id', () => {
    const p = team([{ name: 'd', document: doc({ Effect: 'Deny', Action: '*', Resource: 'secret:prod/*' }) }, { name: 'a', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }]);
    assert.equal(decide(p, 'secrets:GetSecretValue', secret('prod/db')).effect, 'Deny');
  });

  it('NotAction: everything but the listed actions', () => {
    const p = team([{ name: 'p', document: doc({ Effect: 'Allow', NotAction: ['secrets:DeleteSecret', 'kms:*'], Resource: '*' }) }]);
    assert.equal(decide(p, 'secrets:GetSecretValue', secret('x')).effect, 'Allow');
    assert.equal(decide(p, 'secrets:DeleteSecret', secret('x')).effect, 'Deny');
    assert.equal(decide(p, 'kms:Decrypt', { names: ['key:k1'] }).effect, 'Deny');
  });

  it('NotResource: everywhere but the listed resources', () => {
    const p = team([{ name: 'p', document: doc({ Effect: 'Allow', Action: 'secrets:*', NotResource: 'secret:prod/*' }) }]);
    assert.equal(decide(p, 'secrets:GetSecretValue', secret('dev/x')).effect, 'Allow');
    assert.equal(decide(p, 'secrets:GetSecretValue', secret('prod/x')).effect, 'Deny');
  });

  it('tag conditions: StringEquals, StringLike, StringNotEquals (an absent tag is not equal)', () => {
    const p = (Condition: object) => team([{ name: 'p', document: doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition }) }]);
    const eq = p({ StringEquals: { 'hush:ResourceTag/env': ['staging', 'dev'] } });
    assert.equal(decide(eq, 'secrets:GetSecretValue', secret('a', { env: 'dev' })).effect, 'Allow');
    assert.equal(decide(eq, 'secrets:GetSecretValue', secret('a', { env: 'prod' })).effect, 'Deny');
    assert.equal(decide(eq, 'secrets:GetSecretValue', secret('a')).effect, 'Deny');
    const like = p({ StringLike: { 'hush:ResourceTag/team': 'pay*' } });
    assert.equal(decide(like, 'secrets:GetSecretValue', secret('a', { team: 'payments' })).effect, 'Allow');
    const not = p({ StringNotEquals: { 'hush:ResourceTag/env': 'prod' } });
    assert.equal(decide(not, 'secrets:GetSecretValue', secret('a', { env: 'prod' })).effect, 'Deny');
    assert.equal(decide(not, 'secrets:GetSecretValue', secret('a')).effect, 'Allow');
  });

  it('principal, group and source conditions', () => {
    const p = team(
      [
        { name: 'g', document: doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'hush:PrincipalGroup': 'oncall' } } }) },
        { name: 'n', document: doc({ Sid: 'NotFromServe', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: '*', Condition: { Bool: { 'hush:ViaServe': 'true' } } }) },
      ],
      ['devs', 'oncall'],
    );
    assert.equal(decide(p, 'secrets:GetSecretValue', secret('a'), caller('bob', 'editor')).effect, 'Allow');
    const viaServe = decide(p, 'secrets:GetSecretValue', secret('a'), caller('bob', 'serve'));
    assert.equal(viaServe.effect, 'Deny');
    assert.equal(viaServe.decidedBy?.sid, 'NotFromServe');
    const named = team([{ name: 'n', document: doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'hush:PrincipalName': 'ci-*' } } }) }]);
    assert.equal(decide(named, 'secrets:GetSecretValue', secret('a'), caller('ci-staging')).effect, 'Allow');
    assert.equal(decide(named, 'secrets:GetSecretValue', secret('a'), caller('bob')).effect, 'Deny');
  });

  it('a broken policy source denies everything and says why', () => {
    const d = evaluate({ policies: [], groups: [], defaultEffect: 'Allow', broken: 'the policy file is invalid' }, { caller: caller(), action: 'secrets:ListSecrets', resource: { names: ['*'] } });
    assert.equal(d.effect, 'Deny');
    assert.match(d.reason, /policy file is invalid/);
  });
});
