/**
 * A cloned repository (or a shared store) cannot drive the user's terminal
 * through `hush`: the bundled dist/cli.js runs as a process and the raw
 * bytes it writes are checked. Names holding ESC/BEL sequences come out as
 * `\x1b…` text; JSON and SARIF stay valid and keep the real names.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeAwsAccessKeyId } from '../support/fakes';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
/** Retitles the terminal (OSC 0 … BEL) and clears it (CSI 2 J). */
const PWN = 'x\u001b]0;pwned\u0007\u001b[2J';
const PWN_ESCAPED = 'x\\x1b]0;pwned\\x07\\x1b[2J';
/** Bytes a terminal acts on: C0 except LF, DEL, and the UTF-8 forms of C1 and of the bidi overrides. */
function assertInert(bytes: Buffer, what: string): void {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c1 = b === 0xc2 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0x9f;
    const bidi = b === 0xe2 && bytes[i + 1] === 0x80 && bytes[i + 2]! >= 0xaa && bytes[i + 2]! <= 0xae;
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f || c1 || bidi) {
      assert.fail(`${what}: raw control byte 0x${b.toString(16)} at ${i}: ${JSON.stringify(bytes.subarray(Math.max(0, i - 20), i + 20).toString('latin1'))}`);
    }
  }
}

describe('dist/cli.js with hostile names (raw bytes)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], input?: string): SpawnSyncReturns<Buffer> =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, input: Buffer.from(input ?? ''), encoding: 'buffer' });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-hostile-'));
    env = { ...process.env, HUSH_STORE: path.join(dir, '.store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    delete env.HUSH_PASSPHRASE;
    const c = hush(['secrets', 'create', 'app/OTHER', '--description', `desc ${PWN}`], 'v');
    assert.equal(c.status, 0, c.stderr.toString());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a .hush.json secret name cannot retitle or clear the terminal (hush run, hush env)', () => {
    fs.writeFileSync(path.join(dir, '.hush.json'), JSON.stringify({ env: { DB: PWN } }));
    try {
      for (const args of [['run', '--', process.execPath, '-e', '0'], ['env']]) {
        const r = hush(args);
        assert.equal(r.status, 1, r.stderr.toString());
        assertInert(r.stderr, `hush ${args[0]} stderr`);
        assert.ok(r.stderr.toString().includes(PWN_ESCAPED), r.stderr.toString());
        assert.equal(r.stderr.toString().split('\n').length, 2, 'one line');
      }
      // A manifest variable name is quoted back in its error too.
      fs.writeFileSync(path.join(dir, '.hush.json'), JSON.stringify({ env: { [PWN]: 'app/OTHER' } }));
      const bad = hush(['env']);
      assert.equal(bad.status, 1);
      assertInert(bad.stderr, 'invalid manifest name');
      assert.ok(bad.stderr.toString().includes(PWN_ESCAPED));
    } finally {
      fs.rmSync(path.join(dir, '.hush.json'));
    }
  });

  it('a description from the store is escaped in list and describe', () => {
    for (const args of [['secrets', 'list'], ['secrets', 'describe', 'app/OTHER']]) {
      const r = hush(args);
      assert.equal(r.status, 0, r.stderr.toString());
      assertInert(r.stdout, args.join(' '));
      assert.ok(r.stdout.toString().includes(`desc ${PWN_ESCAPED}`), r.stdout.toString());
    }
    // --json keeps the real description: valid JSON, same string once parsed, and still no raw control byte.
    const j = hush(['secrets', 'describe', 'app/OTHER', '--json']);
    assertInert(j.stdout, 'describe --json');
    assert.equal(JSON.parse(j.stdout.toString()).description, `desc ${PWN}`);
  });

  it('a file name with escape sequences: text escaped, JSON and SARIF valid with the real name', () => {
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const name = `evil${PWN}\u202e.ts`;
    fs.writeFileSync(path.join(src, name), `const k = "${fakeAwsAccessKeyId()}";\n`);
    fs.writeFileSync(path.join(src, 'line\nbreak.bin'), Buffer.from([0x89, 0x50, 0, 0, 0, 0xff, 0xfe, 0, 1, 2]));
    try {
      const text = hush(['scan', '--verbose', 'src']);
      assert.equal(text.status, 1, text.stderr.toString());
      assertInert(text.stdout, 'scan stdout');
      assertInert(text.stderr, 'scan stderr');
      assert.match(text.stdout.toString(), /^src\/evilx\\x1b\]0;pwned\\x07\\x1b\[2J\\u202e\.ts:1:12 {2}aws-access-key-id /);
      assert.match(text.stderr.toString(), /^skipped src\/line\\x0abreak\.bin \(binary\)$/m);

      const json = hush(['scan', '--format', 'json', 'src']);
      assertInert(json.stdout, 'scan --format json');
      assert.deepEqual(JSON.parse(json.stdout.toString()).findings.map((f: { file: string }) => f.file), [`src/${name}`]);

      const sarif = hush(['scan', '--format', 'sarif', 'src']);
      assertInert(sarif.stdout, 'scan --format sarif');
      const uri = JSON.parse(sarif.stdout.toString()).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri as string;
      assert.equal(decodeURIComponent(uri), `src/${name}`);
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
    }
  });

  it('rule ids from .hush/rules.json and secret names given as arguments are escaped in errors', () => {
    fs.mkdirSync(path.join(dir, '.hush'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hush', 'rules.json'), JSON.stringify({ rules: [{ id: PWN, regex: '(x)', keywords: ['x'] }], severity: { [PWN]: 'error' } }));
    try {
      const r = hush(['scan', '--format', 'json', '.hush']);
      assertInert(r.stderr, 'rules.json errors');
      assert.ok(r.stderr.toString().includes(`rule '${PWN_ESCAPED}'`), r.stderr.toString());
    } finally {
      fs.rmSync(path.join(dir, '.hush'), { recursive: true, force: true });
    }
    const g = hush(['secrets', 'get', PWN]);
    assert.notEqual(g.status, 0);
    assertInert(g.stderr, 'secrets get error');
    assert.ok(g.stderr.toString().includes(PWN_ESCAPED), g.stderr.toString());
  });

  it('a value asked for is written exactly, control characters included', () => {
    const value = `line1\r\n\tline2 \u001b[1m`;
    assert.equal(hush(['secrets', 'create', 'app/RAW'], value).status, 0);
    const g = hush(['secrets', 'get', 'app/RAW']);
    assert.equal(g.status, 0, g.stderr.toString());
    assert.equal(g.stdout.toString(), value);
  });
});
