/**
 * `hush run` as a user runs it: the bundled CLI starting a real child
 * process, with the store written by another process.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../shared/compose/openStore';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
/** The child prints a hash of its variable, never the value. */
const PRINT_HASH = `const h=require('crypto').createHash('sha256').update(process.env.DB_PASSWORD||'').digest('hex');console.log('hash',h);`;
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

describe('hush run', function () {
  this.timeout(60_000);
  let app: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  const v1 = `pw-${randomBytes(12).toString('hex')}`;
  const v2 = `pw-${randomBytes(12).toString('hex')}`;

  async function withManager<T>(f: (m: Awaited<ReturnType<typeof openStore>>['manager']) => Promise<T>): Promise<T> {
    const o = await openStore({ path: store, env });
    try {
      return await f(o.manager);
    } finally {
      await o.manager.close();
    }
  }

  beforeEach(async () => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-app-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-run-store-'));
    // The consent file (allowed secrets per folder) goes to a throwaway config folder.
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'hush-run-config-')) };
    delete env.HUSH_PASSPHRASE;
    await withManager((m) => m.createSecret({ name: 'app/DB_PASSWORD', value: v1 }));
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD' } }));
    fs.mkdirSync(path.join(app, 'sub'));
  });

  afterEach(() => {
    fs.rmSync(app, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  it('starts the command with the secret in its environment, from a subfolder too, and passes the exit code', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', process.execPath, '-e', `${PRINT_HASH}process.exit(7)`], {
      cwd: path.join(app, 'sub'),
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 7, r.stderr);
    assert.equal(r.stdout.trim(), `hash ${sha(v1)}`);
    assert.ok(!r.stdout.includes(v1) && !r.stderr.includes(v1));
  });

  it('fails before starting anything when a secret is missing, naming it', () => {
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD', API_TOKEN: 'app/missing' } }));
    const marker = path.join(app, 'started');
    const r = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`], {
      cwd: app,
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hush: SecretNotFound: API_TOKEN \(secret app\/missing\)/);
    assert.equal(fs.existsSync(marker), false, 'the command was not started');
  });

  it('reports a child that died of a signal as 128+N', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', process.execPath, '-e', `process.kill(process.pid, 'SIGTERM')`], { cwd: app, env });
    assert.equal(r.status, 128 + os.constants.signals.SIGTERM);
  });

  it('--watch restarts the command with the new value after a put from another process', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [CLI, 'run', '--yes', '--watch', '--grace', '2', '--', process.execPath, '-e', `${PRINT_HASH}setInterval(()=>{},1000)`],
      { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (needle: string): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${needle}; stdout: ${out}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(sha(v1));
      await withManager((m) => m.putSecretValue('app/DB_PASSWORD', v2));
      await waitFor(sha(v2));
      assert.match(err, /a secret changed \(DB_PASSWORD\); restarting/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    assert.ok(!out.includes(v1) && !out.includes(v2) && !err.includes(v2));
  });

  it('hush env prints the values for tools that cannot be wrapped, with a warning on stderr', () => {
    const refused = spawnSync(process.execPath, [CLI, 'env'], { cwd: app, env, encoding: 'utf8' });
    assert.equal(refused.status, 1, 'a manifest not yet allowed prints nothing without --yes');
    assert.equal(refused.stdout, '');
    const r = spawnSync(process.execPath, [CLI, 'env', '--yes', '--format', 'dotenv'], { cwd: app, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `DB_PASSWORD=${v1}\n`);
    assert.match(r.stderr, /clear text on stdout; prefer 'hush run/);
    const ex = spawnSync(process.execPath, [CLI, 'env'], { cwd: app, env, encoding: 'utf8' });
    assert.equal(ex.stdout, `export DB_PASSWORD='${v1}'\n`);
  });

  it('hush import .env moves the values, maps them and empties the file', async () => {
    const dotenv = path.join(app, '.env');
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: {} }));
    fs.writeFileSync(dotenv, `# settings\nAPI_TOKEN="tok en-${v2}"\nPORT=8080\n`);
    const r = spawnSync(process.execPath, [CLI, 'import', '.env', '--prefix', 'shop/'], { cwd: app, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const manifest = JSON.parse(fs.readFileSync(path.join(app, '.hush.json'), 'utf8'));
    assert.deepEqual(manifest.env, { API_TOKEN: 'shop/API_TOKEN', PORT: 'shop/PORT' });
    const rewritten = fs.readFileSync(dotenv, 'utf8');
    assert.ok(!rewritten.includes(v2), 'the value left the dotenv file');
    assert.match(rewritten, /^# settings\n# API_TOKEN: moved to the Hush secret shop\/API_TOKEN/);
    assert.equal(await withManager(async (m) => (await m.getSecretValue('shop/API_TOKEN')).secretString), `tok en-${v2}`);
    // A second import refuses before writing anything.
    fs.writeFileSync(dotenv, 'PORT=9090\n');
    const again = spawnSync(process.execPath, [CLI, 'import', '.env', '--prefix', 'shop/'], { cwd: app, env, encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /SecretExists: these secrets exist already: shop\/PORT; pass --overwrite/);
    assert.equal(fs.readFileSync(dotenv, 'utf8'), 'PORT=9090\n');
  });
});

