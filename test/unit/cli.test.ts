import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, run as runAsync } from '../../cli/cli';
import { fakeAwsAccessKeyId } from '../support/fakes';

function run(argv: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

describe('hush CLI', () => {
  const KEY = fakeAwsAccessKeyId();
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help and version', () => {
    const help = run(['--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /hush scan/);
    const version = run(['--version'], dir);
    assert.equal(version.code, 0);
    assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
  });

  it('scan exits 1 with a masked finding, file:line:col first', () => {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'app.js'), `\n\nconst k = "${KEY}";\n`);
    const r = run(['scan', '.'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^src\/app\.js:3:12  aws-access-key-id  AWS access key ID \(AKIA…7T2N\) is hardcoded\n$/);
    assert.ok(!r.out.includes(KEY) && !r.err.includes(KEY), 'the key never appears in output');
    assert.match(r.err, /1 hardcoded credential/);
  });

  it('scan exits 0 on a clean folder and skips binary files and dependency folders', () => {
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'nothing here\n');
    // Binary: NULs and bytes that are not UTF-8 throughout, the key somewhere inside.
    fs.writeFileSync(path.join(dir, 'image.bin'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0, 0]), Buffer.from(KEY), Buffer.alloc(16)]));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'dep.js'), `k="${KEY}"`);
    const r = run(['scan', dir], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /No hardcoded credentials in 1 file\(s\), 1 skipped/);
  });

  it('scan --json reports findings without the value', () => {
    fs.writeFileSync(path.join(dir, '.env'), `AWS_ACCESS_KEY_ID=${KEY}\n`);
    const r = run(['scan', '--json', '.'], dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as { findings: { file: string; line: number; masked: string }[] };
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].file, '.env');
    assert.equal(report.findings[0].masked, 'AKIA…7T2N');
    assert.ok(!r.out.includes(KEY));
  });

  it('a stray NUL does not make a file binary: it is scanned', () => {
    fs.writeFileSync(path.join(dir, 'config.ts'), Buffer.concat([Buffer.from('// a\0b\n'), Buffer.from(`const k = "${KEY}";\n`)]));
    const r = run(['scan', '.'], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^config\.ts:2:12 {2}aws-access-key-id/);
  });

  it('every command and subcommand in hush --help answers --help and -h (no store needed)', async () => {
    const commands: string[][] = [['secrets'], ['keys'], ['audit'], ['secrets', 'rotation', 'set'], ['secrets', 'rotation', 'off']];
    for (const m of run(['--help'], dir).out.matchAll(/^ {2}hush ([a-z]+)(?: ([a-z|-]+))?/gm)) {
      const [, group, subs] = m;
      if (subs?.includes('|')) for (const sub of subs.split('|')) commands.push([group!, sub]);
      else commands.push([group!]);
    }
    assert.ok(commands.length >= 37, JSON.stringify(commands));
    for (const c of commands) {
      for (const flag of ['--help', '-h']) {
        let out = '';
        let err = '';
        const code = await runAsync([...c, flag], { out: (s) => (out += s), err: (s) => (err += s), cwd: dir, env: { HUSH_STORE: path.join(dir, 'none') } });
        assert.equal(code, 0, `hush ${c.join(' ')} ${flag}: ${err}`);
        assert.match(out, /usage|hush [a-z]+ —/i, `hush ${c.join(' ')} ${flag}`);
        assert.equal(err, '');
      }
    }
    assert.ok(!fs.existsSync(path.join(dir, 'none')));
  });

  it('bad input gets a one-line error and exit 2, no stack trace', () => {
    const missing = run(['scan', 'does-not-exist'], dir);
    assert.equal(missing.code, 2);
    assert.equal(missing.err, "hush: NotFound: no such file or folder: does-not-exist\n");
    const unknown = run(['frobnicate'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^hush: InvalidArgument: unknown command 'frobnicate'/);
    const badFlag = run(['scan', '--nope'], dir);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.err, /^hush: InvalidArgument: .*--nope/);
    assert.ok(!badFlag.err.includes('    at '), 'no stack trace');
  });
});
