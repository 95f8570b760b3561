import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/cli';
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
    fs.writeFileSync(path.join(dir, 'image.bin'), Buffer.concat([Buffer.from([0]), Buffer.from(KEY)]));
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
