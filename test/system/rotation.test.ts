/** `hush secrets rotate` and `hush secrets rotation set|off` as a user runs them. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('hush secrets rotate', function () {
  this.timeout(30_000);
  let store: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: 'utf8' });

  beforeEach(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rot-'));
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    assert.equal(hush(['secrets', 'create', 'db/pw'], 'first-value-1').status, 0);
  });
  afterEach(() => fs.rmSync(store, { recursive: true, force: true }));

  it('rotates through the hook: the hook gets the new value on stdin, CURRENT moves, PREVIOUS follows', () => {
    const applied = path.join(store, 'applied.txt');
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '30', '--length', '20', '--hook', `[ "$HUSH_ROTATION_STEP" = setSecret ] && cat > ${applied} || cat > /dev/null`]).status, 0);
    const r = hush(['secrets', 'rotate', 'db/pw']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /setSecret ok\n.*testSecret ok\n.*finishSecret ok/s);
    const now = hush(['secrets', 'get', 'db/pw']).stdout;
    assert.equal(now.length, 20);
    assert.equal(fs.readFileSync(applied, 'utf8'), now);
    assert.equal(hush(['secrets', 'get', 'db/pw', '--stage', 'PREVIOUS']).stdout, 'first-value-1');
  });

  it('a failing hook exits 1, names the step and leaves CURRENT', () => {
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '1', '--hook', 'cat >/dev/null; echo "db refused" >&2; exit 4']).status, 0);
    const r = hush(['secrets', 'rotate', 'db/pw']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /hush: RotationFailed: Rotation of db\/pw failed at setSecret: the hook exited with 4: db refused\. CURRENT did not move/);
    assert.equal(hush(['secrets', 'get', 'db/pw']).stdout, 'first-value-1');
    assert.equal(hush(['secrets', 'rotation', 'off', 'db/pw']).status, 0);
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw']).status, 2, '--every is required');
  });
});
