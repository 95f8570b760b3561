/**
 * Plaintext canary: a scripted CLI session (create, get, put, label, describe,
 * list, audit, a failed call, delete/restore) with a unique value; afterwards
 * no file under the store, the audit, HOME or the temp dir holds that value
 * in any common encoding, and neither does anything the CLI printed except
 * the stdout of `get`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tempDir } from '../../unit/core/helpers';

const CLI = join(__dirname, '..', '..', '..', 'cli', 'cli.js');

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
}

describe('plaintext canary', function () {
  this.timeout(120_000);

  it('the value is nowhere on disk and nowhere in the output but get', () => {
    const root = tempDir('hush-canary-');
    const store = join(root, 'store');
    const tmp = join(root, 'tmp');
    const home = join(root, 'home');
    mkdirSync(tmp);
    mkdirSync(home);
    const canary = ['hush', 'canary', randomBytes(12).toString('hex')].join('-');
    const canary2 = ['hush', 'canary', 'two', randomBytes(12).toString('hex')].join('-');
    const env = { ...process.env, HOME: home, TMPDIR: tmp, XDG_DATA_HOME: join(home, 'data'), HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    const printed: string[] = [];
    const hush = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { env, input: input ?? '', encoding: 'utf8' });
      printed.push(r.stderr);
      if (args[1] !== 'get') printed.push(r.stdout);
      return r;
    };
    assert.equal(hush(['secrets', 'create', 'app/token', '--description', 'canary'], canary).status, 0);
    assert.equal(hush(['secrets', 'get', 'app/token']).stdout, canary);
    assert.equal(hush(['secrets', 'put', 'app/token', '--stage', 'PENDING'], canary2).status, 0);
    const vs = JSON.parse(hush(['secrets', 'versions', 'app/token', '--json']).stdout) as { versionId: string; versionStages: string[] }[];
    const pending = vs.find((v) => v.versionStages.includes('PENDING'))!.versionId;
    const current = vs.find((v) => v.versionStages.includes('CURRENT'))!.versionId;
    assert.equal(hush(['secrets', 'label', 'app/token', 'CURRENT', '--to', pending, '--from', current]).status, 0);
    assert.equal(hush(['secrets', 'get', 'app/token', '--json']).status, 0);
    hush(['secrets', 'describe', 'app/token']);
    hush(['secrets', 'list', '--json']);
    hush(['secrets', 'put', 'app/token', '--token', pending], canary); // IdempotencyConflict: same token, other value
    hush(['keys', 'list']);
    hush(['secrets', 'delete', 'app/token', '--recovery-days', '7']);
    hush(['secrets', 'restore', 'app/token']);
    hush(['audit', 'list', '--json']);
    assert.equal(hush(['audit', 'verify']).status, 0);

    const encodings = (v: string) => [Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le'), Buffer.from(Buffer.from(v).toString('base64').slice(0, 24)), Buffer.from(Buffer.from(v).toString('hex'))];
    const needles = [...encodings(canary), ...encodings(canary2)];
    const scanned = [...files(store), ...files(tmp), ...files(home)];
    assert.ok(scanned.some((f) => f.endsWith('store.log')) && scanned.some((f) => f.endsWith('audit.log')));
    for (const f of scanned) {
      const b = readFileSync(f);
      for (const n of needles) assert.equal(b.indexOf(n), -1, `${f} holds the canary`);
    }
    for (const p of printed) {
      assert.ok(!p.includes(canary) && !p.includes(canary2), `CLI output holds the canary: ${p.slice(0, 200)}`);
    }
    rmSync(root, { recursive: true, force: true });
  });
});
