/**
 * The operations behind the sidebar and the palette, through the built
 * server and a real LSP client: what the views show and what the commands do.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, NotificationType, NotificationType0, RequestType } from 'vscode-languageserver-protocol/node';
import { coreRequest, CoreOp, CoreParams, CoreResult, RotationStepNotification } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('Secrets Manager operations over LSP', function () {
  this.timeout(30_000);
  let store: string;
  let root: string;
  let env: NodeJS.ProcessEnv;
  let client: LspTestClient;
  const call = <K extends CoreOp>(op: K, p: CoreParams<K>): Promise<CoreResult<K>> => client.connection.sendRequest(coreRequest(op), p);
  /** A rotation hook: an executable script in the workspace, named relative to it. */
  const hookFile = (name: string, body: string): string => {
    fs.writeFileSync(path.join(root, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return `./${name}`;
  };

  async function start(trusted: boolean): Promise<void> {
    ({ client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: trusted } }));
  }

  beforeEach(async () => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-ops-'));
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-ops-ws-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    await start(true);
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates, lists, describes, reveals and tags secrets', async () => {
    await call('secrets/create', { name: 'myapp/DB_PASSWORD', description: 'prod db', value: 'first-value-1234' });
    await call('secrets/create', { name: 'other', generate: true, tags: { team: 'core' } });
    const list = await call('secrets/list', {});
    assert.deepEqual(list.map((s) => s.name), ['myapp/DB_PASSWORD', 'other']);
    assert.equal(list[0].keyAlias, 'alias/hush/default');
    assert.equal(list[0].keyState, 'Enabled');
    const d = await call('secrets/describe', { secretName: 'myapp/DB_PASSWORD' });
    assert.equal(d.versions.length, 1);
    assert.deepEqual(d.versions[0].versionStages, ['CURRENT']);
    assert.equal((await call('secrets/reveal', { secretName: 'myapp/DB_PASSWORD' })).value, 'first-value-1234');
    assert.equal((await call('secrets/reveal', { secretName: 'other' })).value.length, 32, 'a generated password');
    await call('secrets/tag', { secretName: 'other', tags: { env: 'prod' }, removeKeys: ['team'] });
    assert.deepEqual((await call('secrets/list', { tagKey: 'env' })).map((s) => s.name), ['other']);
  });

  it('moves stage labels with AWS semantics', async () => {
    await call('secrets/create', { name: 's', value: 'v1-aaaaaaaa' });
    const v2 = await client.connection.sendRequest(coreRequest('secrets/describe'), { secretName: 's' });
    const first = v2.versions[0].versionId;
    const { PutValueRequest } = await import('../../shared/protocol');
    const put = await client.connection.sendRequest(PutValueRequest, { secretName: 's', value: 'v2-bbbbbbbb' });
    let versions = (await call('secrets/describe', { secretName: 's' })).versions;
    assert.deepEqual(versions.find((v) => v.versionId === put.versionId)?.versionStages, ['CURRENT']);
    assert.deepEqual(versions.find((v) => v.versionId === first)?.versionStages, ['PREVIOUS']);
    versions = await call('secrets/moveLabel', { secretName: 's', label: 'CURRENT', toVersionId: first, fromVersionId: put.versionId });
    assert.deepEqual(versions.find((v) => v.versionId === first)?.versionStages, ['CURRENT']);
    assert.deepEqual(versions.find((v) => v.versionId === put.versionId)?.versionStages, ['PREVIOUS']);
    await assert.rejects(call('secrets/moveLabel', { secretName: 's', label: 'bad label!', toVersionId: first }), /InvalidArgument/);
  });

  it('rotates through a hook that reads the value on stdin, reporting each step', async () => {
    await call('secrets/create', { name: 'db', value: 'old-password-1' });
    const applied = path.join(root, 'applied');
    const hook = hookFile('rotate.sh', `if [ "$HUSH_ROTATION_STEP" = setSecret ]; then cat > ${applied}; else test -s ${applied}; fi`);
    const info = await call('secrets/setRotation', { secretName: 'db', intervalDays: 30, length: 24, hook });
    assert.equal(info.rotation?.intervalDays, 30);
    assert.equal(info.rotation?.hook, fs.realpathSync(path.join(root, 'rotate.sh')), 'resolved against the workspace folder');
    const steps: string[] = [];
    client.connection.onNotification(RotationStepNotification, (s) => steps.push(`${s.step}:${s.ok}`));
    const r = await call('secrets/rotate', { secretName: 'db' });
    assert.equal(r.ok, true, r.message);
    assert.deepEqual(steps, ['createSecret:true', 'setSecret:true', 'testSecret:true', 'finishSecret:true']);
    const value = (await call('secrets/reveal', { secretName: 'db' })).value;
    assert.equal(value.length, 24);
    assert.equal(fs.readFileSync(applied, 'utf8'), value, 'the hook got the new value on stdin');
    const versions = (await call('secrets/describe', { secretName: 'db' })).versions;
    assert.deepEqual(versions.map((v) => v.versionStages.join()).sort(), ['CURRENT', 'PREVIOUS']);
    const after = (await call('secrets/list', {}))[0];
    assert.equal(after.rotation?.due, false);
    assert.ok(after.rotation?.lastRotatedAt);
  });

  for (const failing of ['setSecret', 'testSecret'] as const) {
    it(`a hook failing at ${failing} leaves CURRENT, keeps PENDING and redacts the value from stderr`, async () => {
      await call('secrets/create', { name: 'db', value: 'old-password-1' });
      const hook = hookFile('rotate.sh', `v=$(cat); printf 'cannot apply %s\\n' "$v" >&2; [ "$HUSH_ROTATION_STEP" != ${failing} ]`);
      await call('secrets/setRotation', { secretName: 'db', intervalDays: 1, hook });
      const r = await call('secrets/rotate', { secretName: 'db' });
      assert.equal(r.ok, false);
      assert.match(r.message ?? '', new RegExp(`failed at ${failing}: the hook exited with 1: cannot apply \\*\\*\\*\\*`));
      assert.equal((await call('secrets/reveal', { secretName: 'db' })).value, 'old-password-1', 'CURRENT did not move');
      const pending = (await call('secrets/describe', { secretName: 'db' })).versions.find((v) => v.versionStages.includes('PENDING'));
      assert.equal(pending?.versionId, r.versionId);
      const pendingValue = (await call('secrets/reveal', { secretName: 'db', versionId: r.versionId })).value;
      assert.ok(!(r.message ?? '').includes(pendingValue), 'the new value is redacted');
    });
  }

  it('does not run a hook in an untrusted workspace, and leaves no PENDING version behind', async () => {
    await client.stop();
    await start(false);
    await call('secrets/create', { name: 'db', value: 'old-password-1' });
    const marker = path.join(root, 'ran');
    await call('secrets/setRotation', { secretName: 'db', intervalDays: 1, hook: hookFile('touch.sh', `cat >/dev/null; touch ${marker}`) });
    await assert.rejects(call('secrets/rotate', { secretName: 'db' }), /UntrustedWorkspace: the rotation of db runs a hook, and hooks do not run in Restricted Mode\. Nothing was changed/);
    assert.equal(fs.existsSync(marker), false);
    const versions = (await call('secrets/describe', { secretName: 'db' })).versions;
    assert.deepEqual(versions.map((v) => v.versionStages), [['CURRENT']], 'no new version, no PENDING label');
    client.connection.sendNotification(new NotificationType0('hush/workspaceTrusted'));
    const again = await call('secrets/rotate', { secretName: 'db' });
    assert.equal(again.ok, true, again.message);
    assert.equal(fs.existsSync(marker), true);
  });

  it('deletes with a recovery window, restores, and force-deletes', async () => {
    await call('secrets/create', { name: 'tmp', value: 'value-12345' });
    const { deletionDate } = await call('secrets/delete', { secretName: 'tmp', recoveryDays: 7 });
    const days = (Date.parse(deletionDate) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `${days}`);
    assert.ok((await call('secrets/list', {}))[0].deletionDate);
    await assert.rejects(call('secrets/reveal', { secretName: 'tmp' }), /SecretScheduledForDeletion/);
    await assert.rejects(call('secrets/delete', { secretName: 'tmp', recoveryDays: 3 }), /7 to 30/);
    await call('secrets/restore', { secretName: 'tmp' });
    assert.equal((await call('secrets/reveal', { secretName: 'tmp' })).value, 'value-12345');
    await call('secrets/delete', { secretName: 'tmp', force: true });
    assert.deepEqual(await call('secrets/list', {}), []);
  });

  it('runs the key lifecycle and refuses the default key', async () => {
    const k = await call('keys/create', { alias: 'alias/payments', description: 'pay' });
    assert.equal(k.state, 'Enabled');
    await call('secrets/create', { name: 'card', value: 'card-secret-1', kmsKeyId: 'alias/payments' });
    assert.equal((await call('keys/disable', { keyId: k.keyId })).state, 'Disabled');
    const listed = (await call('secrets/list', {})).find((s) => s.name === 'card');
    assert.equal(listed?.keyState, 'Disabled', 'the view can flag it');
    await assert.rejects(call('secrets/reveal', { secretName: 'card' }), /KeyDisabled.*alias\/payments/);
    assert.equal((await call('keys/enable', { keyId: k.keyId })).state, 'Enabled');
    assert.equal((await call('keys/scheduleDeletion', { keyId: k.keyId, days: 7 })).state, 'PendingDeletion');
    assert.equal((await call('keys/cancelDeletion', { keyId: k.keyId })).state, 'Disabled');
    const def = (await client.connection.sendRequest(coreRequest('keys/create'), {})) && undefined;
    assert.equal(def, undefined);
    const { ListKeysRequest } = await import('../../shared/protocol');
    const defaultKey = (await client.connection.sendRequest(ListKeysRequest)).find((x) => x.isDefault)!;
    await assert.rejects(call('keys/disable', { keyId: defaultKey.keyId }), /default/i);
  });

  it('lists and verifies the audit trail, which never holds a value', async () => {
    await call('secrets/create', { name: 'audited', value: 'audited-value-987' });
    await call('secrets/reveal', { secretName: 'audited' });
    const rows = await call('audit/list', { secret: 'audited' });
    assert.ok(rows.some((r) => r.action === 'secrets:GetSecretValue' && r.outcome === 'Success'));
    assert.ok(!JSON.stringify(rows).includes('audited-value-987'));
    const v = await call('audit/verify', {});
    assert.equal(v.ok, true);
  });

  it('tells the client when the CLI changed the store', async () => {
    await call('secrets/list', {}); // opens the store and starts watching it
    let changed = 0;
    client.connection.onNotification(new NotificationType0('hush/store/changed'), () => changed++);
    const r = spawnSync(process.execPath, [CLI, 'secrets', 'create', 'from-cli'], { env: { ...process.env, ...env }, input: 'cli-value-123', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const deadline = Date.now() + 5000;
    while (changed === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.ok(changed > 0, 'no hush/store/changed notification');
    assert.ok((await call('secrets/list', {})).some((s) => s.name === 'from-cli'));
  });

  it('asks the client for the passphrase of a passphrase store, retries a wrong one, and reports the state', async () => {
    await client.stop();
    const pstore = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-pass-'));
    try {
      const penv = { ...process.env, HUSH_STORE: pstore, HUSH_PASSPHRASE: 'correct horse battery', HUSH_MASTER_KEY: '' };
      const made = spawnSync(process.execPath, [CLI, 'secrets', 'create', 'locked'], { env: penv, input: 'locked-value-1', encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      ({ client } = await LspTestClient.start({ rootPath: root, env: { HUSH_STORE: pstore, HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' }, initializationOptions: { workspaceTrusted: true, askPassphrase: true } }));
      const asked: { wrong: boolean; creating: boolean }[] = [];
      const answers = ['wrong guess', 'correct horse battery'];
      client.connection.onRequest(new RequestType<{ wrong: boolean; creating: boolean }, { passphrase?: string }, void>('hush/askPassphrase'), (p) => {
        asked.push({ wrong: p.wrong, creating: p.creating });
        return { passphrase: answers.shift() };
      });
      const states: { state: string; rootKeySource?: string }[] = [];
      client.connection.onNotification(new NotificationType<{ state: string; rootKeySource?: string }>('hush/store/state'), (s) => states.push(s));
      assert.equal((await call('secrets/reveal', { secretName: 'locked' })).value, 'locked-value-1');
      assert.deepEqual(asked, [
        { wrong: false, creating: false },
        { wrong: true, creating: false },
      ]);
      const deadline = Date.now() + 5000;
      while (!states.some((s) => s.state === 'open') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(states.find((s) => s.state === 'open')?.rootKeySource, 'typed', 'typed in the editor, not HUSH_PASSPHRASE');
    } finally {
      fs.rmSync(pstore, { recursive: true, force: true });
    }
  });

  it('stays locked, with a clear error, when the user gives no passphrase', async () => {
    await client.stop();
    const pstore = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-pass-'));
    try {
      const penv = { ...process.env, HUSH_STORE: pstore, HUSH_PASSPHRASE: 'another passphrase', HUSH_MASTER_KEY: '' };
      assert.equal(spawnSync(process.execPath, [CLI, 'secrets', 'create', 'x'], { env: penv, input: 'x-value-1', encoding: 'utf8' }).status, 0);
      ({ client } = await LspTestClient.start({ rootPath: root, env: { HUSH_STORE: pstore, HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' }, initializationOptions: { workspaceTrusted: true, askPassphrase: true } }));
      client.connection.onRequest(new RequestType<unknown, { passphrase?: string }, void>('hush/askPassphrase'), () => ({}));
      await assert.rejects(call('secrets/list', {}), /StoreLocked: the store in .* stays locked/);
    } finally {
      fs.rmSync(pstore, { recursive: true, force: true });
    }
  });

  it('opening the store decrypts nothing: stored values are matched by their fingerprints', async () => {
    // Three secrets written by the CLI, then a fresh server that opens the store and indexes them.
    await client.stop();
    const values = [0, 1, 2].map((i) => `Zr${i}-${randomBytes(9).toString('hex')}`);
    for (const [i, v] of values.entries()) {
      assert.equal(spawnSync(process.execPath, [CLI, 'secrets', 'create', `fp/s${i}`], { env: { ...process.env, ...env }, input: v, encoding: 'utf8' }).status, 0);
    }
    const auditLines = () => fs.readFileSync(path.join(store, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; principal: string });
    const before = auditLines().length;
    await start(true);
    assert.equal((await call('secrets/list', {})).length, 3); // what the sidebar asks first; it opens the store
    const uri = `file://${path.join(root, 'fp.sql')}`;
    const text = `ALTER USER app PASSWORD '${values[1]}';\n`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'known-secret'));
    assert.match(p.diagnostics.find((x) => x.code === 'known-secret')!.message, /stored secret fp\/s1/);
    const since = auditLines().slice(before).map((r) => r.action);
    assert.ok(since.includes('secrets:ListFingerprints'), since.join(','));
    assert.deepEqual(since.filter((a) => a === 'kms:Decrypt' || a === 'secrets:GetSecretValue'), []);
  });

  it('flags a literal equal to a stored secret, naming the secret and never the value', async () => {
    const value = `Xk9-${randomBytes(9).toString('hex')}`;
    await call('secrets/create', { name: 'prod/db-password', value });
    const uri = `file://${path.join(root, 'known.sql')}`;
    const text = `-- seed\nALTER USER app PASSWORD '${value}';\n`;
    fs.writeFileSync(path.join(root, 'known.sql'), text);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'known-secret'));
    const d = p.diagnostics.find((x) => x.code === 'known-secret')!;
    assert.match(d.message, /stored secret prod\/db-password/);
    assert.ok(!d.message.includes(value));
    assert.equal(d.range.start.line, 1);
    // After a new CURRENT, the new value is the one recognised.
    const fresh = `Yq7-${randomBytes(9).toString('hex')}`;
    const { PutValueRequest } = await import('../../shared/protocol');
    await client.connection.sendRequest(PutValueRequest, { secretName: 'prod/db-password', value: fresh });
    const uri2 = `file://${path.join(root, 'known2.sql')}`;
    const text2 = `ALTER USER app PASSWORD '${fresh}';\n`;
    fs.writeFileSync(path.join(root, 'known2.sql'), text2);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri2, languageId: 'sql', version: 1, text: text2 } });
    await client.waitForDiagnostics(uri2, (x) => x.diagnostics.some((y) => y.code === 'known-secret'));
  });
});

