/** The store commands of the CLI, in-process through run(). */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../cli/cli';
import { fakeValue, masterKey, tempDir } from './helpers';

describe('hush secrets / keys / audit (CLI)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = join(tempDir(), 'store');
    env = { HUSH_MASTER_KEY: masterKey() };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function hush(args: string[], stdin?: string | Buffer) {
    let out = '';
    let err = '';
    const bytes: Buffer[] = [];
    const code = await run(args, {
      out: (s) => (out += s),
      outBytes: (b) => bytes.push(Buffer.from(b)),
      err: (s) => (err += s),
      cwd: dir,
      env,
      readStdin: async () => (stdin === undefined ? undefined : Buffer.from(stdin)),
      stdoutIsTTY: false,
    });
    // A value (secrets get, random) is written as bytes, exactly; `value` is those bytes as text.
    return { code, out, err, bytes: Buffer.concat(bytes), value: Buffer.concat(bytes).toString('utf8') };
  }

  it('create (stdin) → get prints the value alone; put moves CURRENT', async () => {
    const v = fakeValue();
    const c = await hush(['secrets', 'create', 'db/pw', '--store', dir, '--tag', 'env=dev', '--description', 'the db'], `${v}\n`);
    assert.equal(c.code, 0, c.err);
    assert.equal(c.out, '');
    assert.ok(!c.err.includes(v));
    const g = await hush(['secrets', 'get', 'db/pw', '--store', dir]);
    assert.equal(g.value, v);
    assert.equal(g.out, '', 'the value is bytes, never escaped text');
    const v2 = fakeValue('2');
    const p = await hush(['--store', dir, '--json', 'secrets', 'put', 'db/pw', '--token', 'tok1'], v2);
    assert.equal(p.code, 0, p.err);
    assert.equal(JSON.parse(p.out).versionId, 'tok1');
    assert.ok(!p.out.includes(v2));
    assert.equal((await hush(['secrets', 'get', 'db/pw', '--store', dir, '--stage', 'PREVIOUS'])).value, v);
    assert.equal((await hush(['secrets', 'get', 'db/pw', '--store', dir, '--version-id', 'tok1'])).value, v2);
  });

  it('--value-file and binary values', async () => {
    const f = join(tempDir(), 'value.bin');
    const bin = Buffer.from([0, 1, 2, 255, 10]);
    writeFileSync(f, bin);
    assert.equal((await hush(['secrets', 'create', 'bin', '--store', dir, '--value-file', f, '--binary'])).code, 0);
    assert.deepEqual((await hush(['secrets', 'get', 'bin', '--store', dir])).bytes, bin);
    const j = JSON.parse((await hush(['secrets', 'get', 'bin', '--store', dir, '--json'])).out);
    assert.equal(j.secretBinary, bin.toString('base64'));
  });

  it('put without a value refuses, pointing at stdin/--value-file', async () => {
    await hush(['secrets', 'create', 'x', '--store', dir]);
    const r = await hush(['secrets', 'put', 'x', '--store', dir]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^hush: InvalidArgument: no value: pipe it on stdin or pass --value-file/);
  });

  it('errors are one line `hush: Code: message` with a non-zero exit', async () => {
    await hush(['secrets', 'create', 'x', '--store', dir], 'fake-x');
    const r = await hush(['secrets', 'get', 'nope', '--store', dir]);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^hush: SecretNotFound: [^\n]+\n$/);
    const bad = await hush(['secrets', 'get', 'x', '--store', dir, '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^hush: InvalidArgument: /);
    const wrong = await (async () => {
      env = { HUSH_MASTER_KEY: masterKey() };
      return hush(['secrets', 'list', '--store', dir]);
    })();
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /^hush: WrongRootKey: /);
    const none = await hush(['secrets', 'list', '--store', join(dir, 'nothing-here')]);
    assert.match(none.err, /^hush: StoreNotFound: /);
  });

  it('HUSH_STORE selects the store', async () => {
    env.HUSH_STORE = dir;
    assert.equal((await hush(['secrets', 'create', 'y'], 'fake-y')).code, 0);
    assert.equal((await hush(['secrets', 'get', 'y'])).value, 'fake-y');
  });

  it('list, describe, versions, label, tag, delete, restore', async () => {
    await hush(['secrets', 'create', 'a', '--store', dir], 'fake-1');
    await hush(['secrets', 'put', 'a', '--store', dir, '--stage', 'PENDING'], 'fake-2');
    const vs = JSON.parse((await hush(['secrets', 'versions', 'a', '--store', dir, '--json'])).out) as { versionId: string; versionStages: string[] }[];
    const pending = vs.find((v) => v.versionStages.includes('PENDING'))!.versionId;
    const current = vs.find((v) => v.versionStages.includes('CURRENT'))!.versionId;
    const l = await hush(['secrets', 'label', 'a', 'CURRENT', '--to', pending, '--from', current, '--store', dir]);
    assert.equal(l.code, 0, l.err);
    assert.equal((await hush(['secrets', 'get', 'a', '--store', dir])).value, 'fake-2');
    assert.equal((await hush(['secrets', 'label', 'a', 'PENDING', '--remove-from', pending, '--store', dir])).code, 0);
    assert.equal((await hush(['secrets', 'tag', 'a', 'team=core', '--store', dir])).code, 0);
    const d = JSON.parse((await hush(['secrets', 'describe', 'a', '--store', dir, '--json'])).out);
    assert.deepEqual(d.tags, { team: 'core' });
    assert.match((await hush(['secrets', 'describe', 'a', '--store', dir])).out, /Name: +a\n/);
    assert.match((await hush(['secrets', 'list', '--store', dir])).out, /^NAME +UPDATED +DESCRIPTION\na /);
    assert.equal((await hush(['secrets', 'delete', 'a', '--recovery-days', '7', '--store', dir])).code, 0);
    assert.match((await hush(['secrets', 'get', 'a', '--store', dir])).err, /SecretScheduledForDeletion/);
    assert.equal((await hush(['secrets', 'restore', 'a', '--store', dir])).code, 0);
    assert.equal((await hush(['secrets', 'delete', 'a', '--force', '--store', dir])).code, 0);
    assert.match((await hush(['secrets', 'describe', 'a', '--store', dir])).err, /SecretNotFound/);
  });

  it('keys: create with alias, disable refuses reads, enable, schedule/cancel deletion, rotate, import', async () => {
    const k = JSON.parse((await hush(['keys', 'create', '--alias', 'alias/pay', '--store', dir, '--json'])).out);
    await hush(['secrets', 'create', 'p', '--key', 'alias/pay', '--store', dir], 'fake-p');
    assert.equal((await hush(['keys', 'disable', 'alias/pay', '--store', dir])).code, 0);
    const r = await hush(['secrets', 'get', 'p', '--store', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^hush: KeyDisabled: CMK ${k.keyId} \\(alias/pay\\) is Disabled`));
    await hush(['keys', 'enable', k.keyId, '--store', dir]);
    assert.equal((await hush(['keys', 'schedule-deletion', k.keyId, '--days', '7', '--store', dir])).code, 0);
    assert.match((await hush(['keys', 'describe', k.keyId, '--store', dir])).out, /PendingDeletion/);
    assert.match((await hush(['keys', 'cancel-deletion', k.keyId, '--store', dir])).out, /State: +Disabled/);
    await hush(['keys', 'enable', k.keyId, '--store', dir]);
    assert.match((await hush(['keys', 'rotate', k.keyId, '--store', dir])).out, /v2\*/);
    assert.equal((await hush(['secrets', 'get', 'p', '--store', dir])).value, 'fake-p');
    const ext = JSON.parse((await hush(['keys', 'create', '--origin', 'EXTERNAL', '--store', dir, '--json'])).out);
    const mat = join(tempDir(), 'material');
    writeFileSync(mat, require('node:crypto').randomBytes(32));
    const imp = await hush(['keys', 'import', ext.keyId, '--material-file', mat, '--store', dir]);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /State: +Enabled/);
    assert.match((await hush(['keys', 'list', '--store', dir])).out, /alias\/hush\/default/);
    assert.equal((await hush(['keys', 'alias', 'alias/ext', ext.keyId, '--store', dir])).code, 0);
    assert.match((await hush(['keys', 'alias', '--store', dir])).out, /alias\/ext/);
  });

  it('audit verify and list', async () => {
    await hush(['secrets', 'create', 'a', '--store', dir], 'fake-1');
    await hush(['secrets', 'get', 'a', '--store', dir]);
    const v = await hush(['audit', 'verify', '--store', dir]);
    assert.equal(v.code, 0);
    assert.match(v.out, /intact/);
    const l = JSON.parse((await hush(['audit', 'list', '--secret', 'a', '--action', 'secrets:GetSecretValue', '--store', dir, '--json'])).out);
    assert.equal(l.length, 1);
  });

  it('random prints a password; help texts exist', async () => {
    const r = await hush(['secrets', 'random', '--length', '20', '--no-punctuation']);
    assert.match(r.value, /^[A-Za-z0-9]{20}$/);
    for (const g of ['secrets', 'keys', 'audit']) assert.match((await hush([g, '--help'])).out, new RegExp(`hush ${g}`));
    assert.match((await hush(['--help'])).out, /hush secrets create/);
  });
});
