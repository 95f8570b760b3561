/** The bundled `dist/cli.js` as a user runs it: a separate process, real exit codes. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeAwsAccessKeyId } from '../support/fakes';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('dist/cli.js', () => {
  it('scan exits 1 on a leaked key and 0 once it is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cli-proc-'));
    try {
      const file = path.join(dir, 'main.go');
      fs.writeFileSync(file, `package main\nvar key = "${fakeAwsAccessKeyId()}"\n`);
      const dirty = spawnSync(process.execPath, [CLI, 'scan', dir], { encoding: 'utf8' });
      assert.equal(dirty.status, 1, dirty.stderr);
      assert.match(dirty.stdout, /main\.go:2:12 {2}aws-access-key-id/);
      fs.writeFileSync(file, 'package main\nvar key = os.Getenv("AWS_ACCESS_KEY_ID")\n');
      const clean = spawnSync(process.execPath, [CLI, 'scan', dir], { encoding: 'utf8' });
      assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is executable with a node shebang', () => {
    const r = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+\.\d+$/m);
  });
});
