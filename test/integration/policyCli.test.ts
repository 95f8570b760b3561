/**
 * Access policy from the command line (dist/cli.js as a process), on an
 * embedded store with `.hush/policy.json`: a denied call names the action,
 * the canonical resource and the deciding statement whether the secret is
 * named by name or by id; `policy check` refuses a bad document naming the
 * field; `policy simulate` prints every matching statement and the one that
 * decided; an invalid policy file denies everything and says why.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('access policy from the CLI (embedded store, .hush/policy.json)', function () {
  this.timeout(60_000);
  let store: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  const policy = (doc: unknown) => {
    fs.mkdirSync(path.join(store, '.hush'), { recursive: true });
    fs.writeFileSync(path.join(store, '.hush', 'policy.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  };

  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-policy-cli-'));
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'hush-policy-cfg-')) };
    assert.equal(hush(['secrets', 'create', 'prod/db', '--tag', 'env=prod'], 'pv-1-secret').status, 0);
    assert.equal(hush(['secrets', 'create', 'dev/db', '--tag', 'env=dev'], 'dv-1-secret').status, 0);
  });
  after(() => fs.rmSync(store, { recursive: true, force: true }));

  it('without a policy file a single-user store allows everything', () => {
    assert.equal(hush(['secrets', 'get', 'prod/db']).stdout, 'pv-1-secret');
  });

  it('a Deny on a tag holds by name and by id, and the error names action, resource and statement', () => {
    policy({ Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoProdReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'hush:ResourceTag/env': 'prod' } } }] });
    const id = (JSON.parse(hush(['secrets', 'describe', 'prod/db', '--json']).stdout) as { id: string }).id;
    for (const ref of ['prod/db', id]) {
      const r = hush(['secrets', 'get', ref]);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^hush: AccessDenied: .* may not secrets:GetSecretValue on secret:prod\/db: denied by policy '\.hush\/policy\.json', statement NoProdReads\n$/);
    }
    assert.equal(hush(['secrets', 'get', 'dev/db']).stdout, 'dv-1-secret');
  });

  it('NotAction and NotResource: a policy of what is allowed, everything else denied with "no statement allows it"', () => {
    policy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['secrets:DeleteSecret', 'kms:*'], NotResource: 'secret:prod/*' }, { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Describe*', 'kms:List*'], Resource: '*' }] });
    assert.equal(hush(['secrets', 'get', 'dev/db']).status, 0);
    const del = hush(['secrets', 'delete', 'dev/db']);
    assert.equal(del.status, 1);
    assert.match(del.stderr, /may not secrets:DeleteSecret on secret:dev\/db: no statement allows it/);
    assert.match(hush(['secrets', 'get', 'prod/db']).stderr, /no statement allows it/);
  });

  it('policy simulate prints the decision and the matching statements; policy check names a bad field', () => {
    policy({ Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoProd', Effect: 'Deny', Action: 'secrets:*', Resource: 'secret:prod/*' }] });
    const sim = hush(['policy', 'simulate', '--action', 'secrets:GetSecretValue', '--resource', 'secret:prod/db']);
    assert.equal(sim.status, 1);
    assert.match(sim.stdout, /^DENIED: .* secrets:GetSecretValue on secret:prod\/db\n  denied by policy '\.hush\/policy\.json', statement NoProd\n/);
    assert.match(sim.stdout, /Allow .*All\n/);
    assert.match(sim.stdout, /Deny  .*NoProd   <- decided\n/);
    const file = path.join(store, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secrets:GetSecretValue', 'kms:Decrpyt'], Resource: '*' }] }));
    const check = hush(['policy', 'check', file]);
    assert.equal(check.status, 2);
    assert.match(check.stderr, /Statement\[0\]\.Action\[1\] 'kms:Decrpyt' is not a Hush action \(did you mean kms:Decrypt\?\)/);
  });

  it('an invalid policy file denies everything and says why, until it is fixed', () => {
    policy('{ "Version": "2012-10-17", "Statement": [ ');
    const r = hush(['secrets', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /AccessDenied: .*the policy file .*policy\.json cannot be used \(.*not valid JSON.*\); every operation is refused until it is fixed or removed/);
    fs.rmSync(path.join(store, '.hush'), { recursive: true });
    assert.equal(hush(['secrets', 'list']).status, 0);
  });
});
