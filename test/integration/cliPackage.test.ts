/**
 * `hush` installs as a command from the project's own npm tarball: `npm pack`,
 * then `npm install -g` into a temporary prefix with the network off
 * (`--offline`, an empty npm cache): the bundle needs nothing from a
 * registry. keytar, the optional native module, cannot be had that way and is
 * left out, as on a machine that cannot build it: --version, scan and a store
 * under HUSH_MASTER_KEY work without it, and the keychain says why it cannot.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeAwsAccessKeyId } from '../support/fakes';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('npm pack → npm install -g → hush', function () {
  this.timeout(120_000);
  let tmp: string;
  let bin: string;
  before(function () {
    if (spawnSync('npm', ['--version']).status !== 0) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-pack-'));
    // dist/ is built by the test run; --ignore-scripts skips prepack's rebuild.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
    const files = info!.files.map((f) => f.path);
    assert.ok(files.includes('dist/cli.js'), files.join(' '));
    for (const f of files) assert.ok(/^(dist\/(cli|server|client|commands)\.js|media\/|schemas\/|package\.json$|README\.md$|LICENSE$)/.test(f), `ships ${f}`);
    const prefix = path.join(tmp, 'prefix');
    // An empty cache and --offline: whatever the install needed from a registry would fail it.
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--omit=optional', '--no-audit', '--no-fund', path.join(tmp, info!.filename)], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: path.join(tmp, 'empty-npm-cache') },
    });
    assert.equal(install.status, 0, install.stdout + install.stderr);
    assert.ok(!fs.existsSync(path.join(prefix, 'lib', 'node_modules', 'hush', 'node_modules')), 'no dependency was installed');
    bin = path.join(prefix, 'bin', 'hush');
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it('puts an executable hush on the PATH that prints its version', () => {
    fs.accessSync(bin, fs.constants.X_OK);
    assert.match(fs.readFileSync(fs.realpathSync(bin), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${pkg.version}\n`);
  });

  it('scans from the installed copy: exit 1 on a key, 0 once it is gone', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'project-'));
    fs.writeFileSync(path.join(dir, 'app.py'), `AWS_ACCESS_KEY_ID = "${fakeAwsAccessKeyId()}"\n`);
    const dirty = spawnSync(bin, ['scan', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(dirty.status, 1, dirty.stderr);
    assert.match(dirty.stdout, /^app\.py:1:22 {2}aws-access-key-id /);
    fs.writeFileSync(path.join(dir, 'app.py'), 'import os\nAWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]\n');
    const clean = spawnSync(bin, ['scan', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  });

  it('without keytar, a keychain store says why in one line; HUSH_MASTER_KEY works', () => {
    const store = path.join(tmp, 'store');
    const env: NodeJS.ProcessEnv = { ...process.env, HUSH_STORE: store };
    delete env.HUSH_MASTER_KEY;
    delete env.HUSH_PASSPHRASE;
    const noKey = spawnSync(bin, ['secrets', 'create', 'a/b'], { env, input: 'v', encoding: 'utf8' });
    assert.equal(noKey.status, 1);
    assert.match(noKey.stderr, /^hush: KeychainUnavailable: .*keytar.*\n$/);
    const withKey = spawnSync(bin, ['secrets', 'create', 'a/b'], { env: { ...env, HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }, input: 'v', encoding: 'utf8' });
    assert.equal(withKey.status, 0, withKey.stderr);
  });
});
