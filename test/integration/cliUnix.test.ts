/**
 * dist/cli.js behaves like a Unix tool: --help needs no store, a reader
 * that goes away ends the output quietly, and `scan --staged` outside a git
 * work tree says so in one line.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeAwsAccessKeyId } from '../support/fakes';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Runs hush with its stdout already closed by the reader; resolves with the exit status and stderr. */
function withClosedStdout(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write: every write meets EPIPE
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, err }));
  });
}

describe('dist/cli.js as a Unix tool', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-unix-'));
    // A store that does not exist: --help must not need one.
    env = { ...process.env, HUSH_STORE: path.join(dir, 'no-store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    delete env.HUSH_PASSPHRASE;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers --help without a store (each subcommand in process: test/unit/cli.test.ts)', () => {
    for (const c of [['rules'], ['secrets', 'rotation'], ['import'], ['scan']]) {
      const r = spawnSync(process.execPath, [CLI, ...c, '--help'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(r.status, 0, `hush ${c.join(' ')} --help: exit ${r.status}: ${r.stderr}`);
      assert.match(r.stdout, /usage|hush [a-z]+ —/i);
      assert.equal(r.stderr, '');
    }
    assert.ok(!fs.existsSync(path.join(dir, 'no-store')), '--help created no store');
  });

  it('a closed pipe ends quietly, with the command’s own exit status (rules, scan, secrets list)', async function () {
    this.timeout(60_000);
    // Enough findings that scan writes many lines.
    const src = path.join(dir, 'src');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'keys.ts'), Array.from({ length: 300 }, (_, i) => `const k${i} = "${fakeAwsAccessKeyId()}";`).join('\n'));
    const store = spawnSync(process.execPath, [CLI, 'secrets', 'create', 'app/A'], { cwd: dir, env, input: 'v', encoding: 'utf8' });
    assert.equal(store.status, 0, store.stderr);
    for (const [args, status] of [[['rules'], 0], [['scan', 'src'], 1], [['scan', '--format', 'json', 'src'], 1], [['secrets', 'list'], 0]] as const) {
      const r = await withClosedStdout([...args], dir, env);
      assert.equal(r.signal, null, `hush ${args.join(' ')}`);
      assert.equal(r.code, status, `hush ${args.join(' ')}: ${r.err}`);
      assert.ok(!/EPIPE|Error:|\n\s+at /.test(r.err), `hush ${args.join(' ')} wrote a stack trace: ${r.err}`);
    }
    // And the shell pipeline a user types.
    const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" rules | head -1`], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(sh.stdout.split('\n').length, 2);
    assert.ok(!/EPIPE|\n\s+at /.test(sh.stderr), sh.stderr);
  });

  it('scan --staged outside a git work tree is one line, exit 2', function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-nogit-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'scan', '--staged'], { cwd: outside, env: { ...env, GIT_CEILING_DIRECTORIES: path.dirname(outside) }, encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.equal(r.stderr, `hush: InvalidArgument: --staged scans the git index, but ${outside} is not in a git work tree\n`);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
