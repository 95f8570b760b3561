/**
 * Children never get the root key: `hush run`'s command and a rotation hook,
 * started by the bundled CLI with both HUSH_MASTER_KEY and HUSH_PASSPHRASE in
 * its own environment, print their environment's names; neither is there.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
/** A child that prints the names of its environment variables, one a line. */
const PRINT_NAMES = `console.log(Object.keys(process.env).sort().join('\\n'))`;

describe('child processes never get the root key', function () {
  this.timeout(60_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, input, encoding: 'utf8' });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-childenv-'));
    env = {
      ...process.env,
      HUSH_STORE: path.join(dir, 'store'),
      HUSH_MASTER_KEY: randomBytes(32).toString('base64'),
      HUSH_PASSPHRASE: 'an unused passphrase that must not leak',
      XDG_CONFIG_HOME: path.join(dir, 'config'),
    };
    assert.equal(hush(['secrets', 'create', 'app/DB_PASSWORD'], 'db-value-1').status, 0);
    fs.writeFileSync(path.join(dir, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD' } }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hush run: the command sees the manifest variable, not HUSH_MASTER_KEY or HUSH_PASSPHRASE', () => {
    const r = hush(['run', '--yes', '--', process.execPath, '-e', PRINT_NAMES]);
    assert.equal(r.status, 0, r.stderr);
    const names = r.stdout.trim().split('\n');
    assert.ok(names.includes('DB_PASSWORD'), 'the manifest variable is set');
    assert.ok(names.includes('HUSH_STORE') && names.includes('PATH'), 'the rest of the environment is passed on');
    assert.ok(!names.includes('HUSH_MASTER_KEY'), 'no HUSH_MASTER_KEY');
    assert.ok(!names.includes('HUSH_PASSPHRASE'), 'no HUSH_PASSPHRASE');
  });

  it('hush run refuses a manifest that maps a root-key variable, and starts nothing', () => {
    fs.writeFileSync(path.join(dir, '.hush.json'), JSON.stringify({ env: { HUSH_PASSPHRASE: 'app/DB_PASSWORD' } }));
    const marker = path.join(dir, 'started');
    const r = hush(['run', '--yes', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    assert.equal(r.status, 2, 'an input error');
    assert.match(r.stderr, /HUSH_PASSPHRASE is one of Hush's root-key variables/);
    assert.equal(fs.existsSync(marker), false);
  });

  it('a rotation hook sees its step and secret, not HUSH_MASTER_KEY or HUSH_PASSPHRASE', () => {
    const out = path.join(dir, 'hook-env.txt');
    // A hook is an executable file (stored as its absolute path).
    const hook = path.join(dir, 'print-env.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ncat >/dev/null; [ "$HUSH_ROTATION_STEP" = setSecret ] && env | cut -d= -f1 | sort > ${out}; true\n`, { mode: 0o755 });
    const set = hush(['secrets', 'rotation', 'set', 'app/DB_PASSWORD', '--every', '30', '--hook', hook]);
    assert.equal(set.status, 0, set.stderr);
    const r = hush(['secrets', 'rotate', 'app/DB_PASSWORD']);
    assert.equal(r.status, 0, r.stderr);
    const names = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.ok(names.includes('HUSH_ROTATION_STEP') && names.includes('HUSH_SECRET_NAME'), names.join(','));
    assert.ok(!names.includes('HUSH_MASTER_KEY'), 'no HUSH_MASTER_KEY');
    assert.ok(!names.includes('HUSH_PASSPHRASE'), 'no HUSH_PASSPHRASE');
  });
});
