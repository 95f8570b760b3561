import assert from 'node:assert/strict';
import { Policy } from '../../../shared/policy/policy';

describe('access policy', () => {
  const p = new Policy([
    { effect: 'Allow', principals: ['dev-*'], actions: ['secrets:*'], resources: ['secret:app/*'] },
    { effect: 'Deny', principals: ['*'], actions: ['secrets:GetSecretValue'], resources: ['secret:app/prod/*'] },
  ], 'Deny');

  it('allows what a statement allows', () => {
    assert.equal(p.explain('dev-ann', 'secrets:GetSecretValue', { secretName: 'app/dev/db' }).effect, 'Allow');
  });
  it('deny wins over allow, and says which statement decided', () => {
    const d = p.explain('dev-ann', 'secrets:GetSecretValue', { secretName: 'app/prod/db' });
    assert.equal(d.effect, 'Deny');
    assert.equal(d.statement?.effect, 'Deny');
    assert.throws(() => p.authorize('dev-ann', 'secrets:GetSecretValue', { secretName: 'app/prod/db' }), { code: 'AccessDenied' });
  });
  it('falls back to the default when nothing matches', () => {
    assert.equal(p.explain('ops', 'secrets:ListSecrets', {}).effect, 'Deny');
    assert.equal(new Policy([]).explain('anyone', 'kms:CreateKey', {}).effect, 'Allow');
  });
  it('treats regex characters in patterns literally', () => {
    const q = new Policy([{ effect: 'Allow', principals: ['a.b'], actions: ['*'], resources: ['*'] }], 'Deny');
    assert.equal(q.explain('axb', 'x', {}).effect, 'Deny');
    assert.equal(q.explain('a.b', 'x', {}).effect, 'Allow');
  });
});
