/** `hush secrets rotate` and `hush secrets rotation set|off` with a hook, as a user runs them. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('hush secrets rotate (hooks)', function () {
  this.timeout(30_000);
  let store: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], o: { input?: string; cwd?: string } = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { env, input: o.input, cwd: o.cwd ?? project, encoding: 'utf8' });
  const script = (name: string, body: string): string => {
    const file = path.join(project, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };

  beforeEach(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rot-'));
    project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rot-project-')));
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    assert.equal(hush(['secrets', 'create', 'db/pw'], { input: 'first-value-1' }).status, 0);
  });
  afterEach(() => {
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(project, { recursive: true, force: true });
  });

  it('rotates through the hook: the hook gets the new value on stdin, CURRENT moves, PREVIOUS follows', () => {
    const applied = path.join(project, 'applied.txt');
    script('rotate-db.sh', `if [ "$HUSH_ROTATION_STEP" = setSecret ]; then cat > ${applied}; else cat > /dev/null; fi`);
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '30', '--length', '20', '--hook', './rotate-db.sh']).status, 0);
    const r = hush(['secrets', 'rotate', 'db/pw']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^db\/pw: createSecret ok\ndb\/pw: setSecret ok\ndb\/pw: testSecret ok\ndb\/pw: finishSecret ok\n/);
    const now = hush(['secrets', 'get', 'db/pw']).stdout;
    assert.equal(now.length, 20);
    assert.equal(fs.readFileSync(applied, 'utf8'), now);
    assert.equal(hush(['secrets', 'get', 'db/pw', '--stage', 'PREVIOUS']).stdout, 'first-value-1');
  });

  it('a relative hook is resolved when the rotation is set: describe shows the path, and a rotation run elsewhere runs that file', () => {
    const marker = path.join(project, 'ran-by');
    script('rotate-db.sh', `cat >/dev/null; echo project >> ${marker}`);
    // The same name in another folder must never be what runs.
    const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rot-elsewhere-')));
    fs.writeFileSync(path.join(elsewhere, 'rotate-db.sh'), `#!/bin/sh\ncat >/dev/null; echo elsewhere >> ${marker}\n`, { mode: 0o755 });
    try {
      const set = hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '30', '--hook', './rotate-db.sh']);
      assert.equal(set.status, 0, set.stderr);
      assert.match(set.stderr, new RegExp(`applied by: hook ${path.join(project, 'rotate-db.sh')}`));
      assert.match(hush(['secrets', 'describe', 'db/pw']).stdout, new RegExp(`Rotator: +hook ${path.join(project, 'rotate-db.sh')}\n`));
      const json = JSON.parse(hush(['secrets', 'describe', 'db/pw', '--json']).stdout);
      assert.equal(json.rotation.hook, path.join(project, 'rotate-db.sh'));
      const r = hush(['secrets', 'rotate', 'db/pw'], { cwd: elsewhere });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(fs.readFileSync(marker, 'utf8'), 'project\nproject\n', 'setSecret and testSecret ran the project hook');
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a hook that is not a regular executable file, and a shell command', () => {
    fs.mkdirSync(path.join(project, 'hooks'));
    fs.writeFileSync(path.join(project, 'notexec.sh'), '#!/bin/sh\n', { mode: 0o644 });
    const cases: [string, RegExp][] = [
      ['./hooks', /the rotation hook .*hooks is not a regular file/],
      ['./notexec.sh', /is not executable; chmod \+x it/],
      ['echo hi > /tmp/x', /there is no file .* for the rotation hook\. A rotation hook is the path of an executable file/],
    ];
    for (const [hook, re] of cases) {
      const r = hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '30', '--hook', hook]);
      assert.equal(r.status, 2, hook);
      assert.match(r.stderr, re);
    }
    assert.doesNotMatch(hush(['secrets', 'describe', 'db/pw']).stdout, /hook/, 'nothing was set');
  });

  it('a hook replaced by something else since it was set is not run, and nothing is stored', () => {
    const hook = script('rotate-db.sh', 'cat >/dev/null');
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '1', '--hook', hook]).status, 0);
    fs.rmSync(hook);
    fs.mkdirSync(hook);
    const r = hush(['secrets', 'rotate', 'db/pw']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /failed at createSecret: the rotation hook .* is no longer a regular file; set the rotation again\. Nothing changed\./);
    assert.doesNotMatch(hush(['secrets', 'versions', 'db/pw']).stdout, /PENDING/);
  });

  it('a failing hook exits 1, names the step and leaves CURRENT; a rerun resumes with the same PENDING version', () => {
    const flag = path.join(project, 'fail');
    fs.writeFileSync(flag, '');
    script('rotate-db.sh', `cat >/dev/null; if [ -e ${flag} ]; then echo "db refused" >&2; exit 4; fi`);
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '1', '--hook', 'rotate-db.sh']).status, 0);
    const r = hush(['secrets', 'rotate', 'db/pw', '--json']);
    assert.equal(r.status, 1);
    const failed = JSON.parse(r.stdout);
    assert.match(failed.message, /Rotation of db\/pw failed at setSecret: the hook exited with 4: db refused\. CURRENT did not move; the new version \w{8} keeps the PENDING label, and rotating again resumes from it\./);
    assert.equal(hush(['secrets', 'get', 'db/pw']).stdout, 'first-value-1');
    fs.rmSync(flag);
    const again = JSON.parse(hush(['secrets', 'rotate', 'db/pw', '--json']).stdout);
    assert.equal(again.ok, true);
    assert.equal(again.versionId, failed.versionId, 'the PENDING version of the failed attempt became CURRENT');
    assert.match(again.steps[0].detail, /resumed with the PENDING version/);
    assert.equal(hush(['secrets', 'rotation', 'off', 'db/pw']).status, 0);
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw']).status, 2, '--every is required');
  });

  it('--all-due says when nothing is due, and takes no NAME beside it', () => {
    assert.equal(hush(['secrets', 'rotation', 'set', 'db/pw', '--every', '1']).status, 0);
    const none = hush(['secrets', 'rotate', '--all-due']);
    assert.equal(none.status, 0);
    assert.match(none.stderr, /no rotation is due/);
    assert.equal(hush(['secrets', 'rotate', 'db/pw', '--all-due']).status, 2);
  });
});
