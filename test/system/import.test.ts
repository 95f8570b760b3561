/**
 * `hush import` never loses or leaks a value: the bundled CLI moves a
 * dotenv file whose entries span lines, and refuses, writing nothing, a
 * file it cannot read exactly. `hush run --env-file-compat` reads the same way.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../shared/compose/openStore';
import { fakePrivateKeyPem } from '../support/fakePem';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const sha = (v: string): string => createHash('sha256').update(v).digest('hex');

describe('hush import', function () {
  this.timeout(60_000);
  let app: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: app, env, encoding: 'utf8' });

  async function read<T>(f: (m: Awaited<ReturnType<typeof openStore>>['manager']) => Promise<T>): Promise<T> {
    const o = await openStore({ path: store, env });
    try {
      return await f(o.manager);
    } finally {
      await o.manager.close();
    }
  }

  beforeEach(() => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-import-'));
    store = path.join(app, '..', `${path.basename(app)}-store`);
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    delete env.HUSH_PASSPHRASE;
  });
  afterEach(() => {
    fs.rmSync(app, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  it('a quoted multi-line PEM is stored whole and no line of it stays in the file', async () => {
    const pem = fakePrivateKeyPem();
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const text = `# service settings\r\nexport TLS_KEY="${pem.replace(/\n/g, '\r\n')}"\r\nAPI_TOKEN=\`${token}\` # backticks\r\nDEBUG=\r\n`;
    fs.writeFileSync(path.join(app, '.env'), text);
    const r = hush(['import', '.env', '--prefix', 'svc/']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await read(async (m) => (await m.getSecretValue('svc/TLS_KEY')).secretString), pem);
    assert.equal(await read(async (m) => (await m.getSecretValue('svc/API_TOKEN')).secretString), token);
    const after = fs.readFileSync(path.join(app, '.env'), 'utf8');
    for (const line of pem.split('\n')) assert.ok(!after.includes(line), `left in the file: ${line}`);
    assert.ok(!after.includes(token));
    assert.equal(
      after,
      '# service settings\r\n' +
        '# TLS_KEY: moved to the Hush secret svc/TLS_KEY (see .hush.json; hush run sets it)\r\n' +
        '# API_TOKEN: moved to the Hush secret svc/API_TOKEN (see .hush.json; hush run sets it)\r\n' +
        'DEBUG=\r\n',
    );
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(app, '.hush.json'), 'utf8')).env, { TLS_KEY: 'svc/TLS_KEY', API_TOKEN: 'svc/API_TOKEN' });
    assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token));
  });

  it('a line it cannot read exactly stops everything: no secret, no manifest, the file untouched', () => {
    const value = `v-${randomBytes(8).toString('hex')}`;
    const text = `GOOD=${value}\nBROKEN="${value}\nLATER=1\n`;
    fs.writeFileSync(path.join(app, '.env'), text);
    const r = hush(['import', '.env']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `hush: InvalidArgument: .env line 2: the value of BROKEN opens a " quote that never closes. Nothing was taken from the file; fix the line and try again.\n`);
    assert.equal(fs.readFileSync(path.join(app, '.env'), 'utf8'), text);
    assert.ok(!fs.existsSync(path.join(app, '.hush.json')));
    assert.ok(!fs.existsSync(store), 'the store was not even opened');
  });

  it('a key set twice: warned, the last value is CURRENT, an earlier different one is PREVIOUS, both lines go', async () => {
    const [a, b] = [`a-${randomBytes(6).toString('hex')}`, `b-${randomBytes(6).toString('hex')}`];
    fs.writeFileSync(path.join(app, '.env'), `PW=${a}\nOTHER=1\nPW="${b}"\n`);
    const r = hush(['import', '.env', '--prefix', 'x/']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /PW is set on lines 1, 3; line 3 counts/);
    assert.equal(await read(async (m) => (await m.getSecretValue('x/PW')).secretString), b);
    assert.equal(await read(async (m) => (await m.getSecretValue('x/PW', { versionStage: 'PREVIOUS' })).secretString), a);
    const after = fs.readFileSync(path.join(app, '.env'), 'utf8');
    assert.ok(!after.includes(a) && !after.includes(b), after);
  });

  it('hush run --env-file-compat gives the child the same multi-line value', async () => {
    const pem = fakePrivateKeyPem();
    await read((m) => m.createSecret({ name: 'app/DB', value: 'db' }));
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB: 'app/DB' } }));
    fs.writeFileSync(path.join(app, '.env'), `TLS_KEY="${pem}"\n`);
    const print = `console.log(require('crypto').createHash('sha256').update(process.env.TLS_KEY||'').digest('hex'))`;
    const r = hush(['run', '--yes', '--env-file-compat', '--', process.execPath, '-e', print]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), sha(pem));
  });
});
