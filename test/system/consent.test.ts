/**
 * `hush run` gives a command only the secrets the user allowed for its
 * folder: asked on a terminal (a real pseudo-terminal, through util-linux
 * `script`), `--yes` in CI, refused without either; remembered per folder in
 * the user's config folder, and asked again when the manifest names a new
 * secret.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('hush run asks before handing a manifest its secrets', function () {
  this.timeout(60_000);
  let dir: string;
  let app: string;
  let config: string;
  let env: NodeJS.ProcessEnv;
  let marker: string;
  const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { cwd: app, env, input, encoding: 'utf8' });
  const runArgs = (...flags: string[]) => ['run', ...flags, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, process.env.DB_PASSWORD ? 'set' : 'unset')`];
  /** `hush run` on a pseudo-terminal, answering the question with `answer`. */
  const onTerminal = (answer: string) => {
    const cmd = [process.execPath, CLI, ...runArgs()].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: app, env, input: `${answer}\n`, encoding: 'utf8' });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-consent-'));
    app = path.join(dir, 'cloned-repo');
    config = path.join(dir, 'config');
    fs.mkdirSync(app);
    marker = path.join(dir, 'started');
    env = { ...process.env, HUSH_STORE: path.join(dir, 'store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: config };
    assert.equal(hush(['secrets', 'create', 'app/DB_PASSWORD'], 'db-value-1').status, 0);
    assert.equal(hush(['secrets', 'create', 'prod/AWS_ROOT_KEY'], 'aws-value-1').status, 0);
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD' } }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('without a terminal and without --yes: refuses, names the secrets, says to pass --yes, starts nothing', () => {
    const r = hush(runArgs());
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hush: ConsentRequired: .*\.hush\.json asks for secrets you have not allowed for this folder: DB_PASSWORD ← app\/DB_PASSWORD\. .*pass --yes/);
    assert.equal(fs.existsSync(marker), false, 'the command was not started');
    assert.equal(fs.existsSync(path.join(config, 'hush', 'allowed-secrets.json')), false, 'nothing remembered');
  });

  it('--yes allows and remembers them for the folder (outside the repository); a new secret in the manifest is asked about again', () => {
    assert.equal(hush(runArgs('--yes')).status, 0);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'set');
    fs.rmSync(marker);
    const again = hush(runArgs());
    assert.equal(again.status, 0, again.stderr);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'set', 'remembered: no question the second time');
    const remembered = fs.readFileSync(path.join(config, 'hush', 'allowed-secrets.json'), 'utf8');
    assert.match(remembered, /app\/DB_PASSWORD/);
    assert.ok(!fs.readdirSync(app).some((f) => f !== '.hush.json'), 'nothing written into the repository');
    assert.equal((fs.statSync(path.join(config, 'hush', 'allowed-secrets.json')).mode & 0o777).toString(8), '600');

    fs.rmSync(marker);
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD', AWS: 'prod/AWS_ROOT_KEY' } }));
    const widened = hush(runArgs());
    assert.equal(widened.status, 1);
    assert.match(widened.stderr, /AWS ← prod\/AWS_ROOT_KEY/);
    assert.doesNotMatch(widened.stderr, /DB_PASSWORD ←/, 'only the new secret is asked about');
    assert.equal(fs.existsSync(marker), false);
  });

  it('another folder with the same manifest is asked about on its own', () => {
    assert.equal(hush(runArgs('--yes')).status, 0);
    const other = path.join(dir, 'other-clone');
    fs.mkdirSync(other);
    fs.copyFileSync(path.join(app, '.hush.json'), path.join(other, '.hush.json'));
    const r = spawnSync(process.execPath, [CLI, ...runArgs()], { cwd: other, env, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ConsentRequired/);
  });

  it('on a terminal: lists the secrets and runs after "y"; "n" (or anything else) starts nothing and remembers nothing', () => {
    const no = onTerminal('n');
    assert.equal(no.status, 1, no.stdout);
    assert.match(no.stdout, /asks for these secrets from your store:\s+DB_PASSWORD ← app\/DB_PASSWORD/);
    assert.match(no.stdout, /Allow them for .*cloned-repo\? .*\[y\/N\]/);
    assert.match(no.stdout, /ConsentRequired: not allowed: nothing was read or started/);
    assert.equal(fs.existsSync(marker), false);

    const yes = onTerminal('y');
    assert.equal(yes.status, 0, yes.stdout);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'set');
    fs.rmSync(marker);
    assert.equal(hush(runArgs()).status, 0, 'remembered after the terminal answer');
  });

  it('a secret name with terminal escape sequences is listed escaped', () => {
    fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { X: 'x\u001b]0;pwned\u0007\u001b[2J' } }));
    const r = hush(runArgs());
    assert.equal(r.status, 1);
    assert.ok(!r.stderr.includes('\u001b'), 'no raw escape character reaches the terminal');
    assert.match(r.stderr, /X ← x\\x1b\]0;pwned\\x07\\x1b\[2J/);
  });
});
