import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest, readManifest, withEntry } from '../../../shared/move/manifest';

describe('.hush.json manifest', () => {
  it('reads the simple and the object form', () => {
    const m = parseManifest('{"env": {"DB_PASSWORD": "myapp/DB_PASSWORD", "TOKEN": {"secret": "ci/token", "stage": "PREVIOUS"}}}');
    assert.deepEqual(m.env.DB_PASSWORD, { secret: 'myapp/DB_PASSWORD' });
    assert.deepEqual(m.env.TOKEN, { secret: 'ci/token', stage: 'PREVIOUS', versionId: undefined });
  });

  it('says what is wrong with a bad manifest', () => {
    assert.throws(() => parseManifest('{"env": '), /not valid JSON/);
    assert.throws(() => parseManifest('[]'), /must hold a JSON object/);
    assert.throws(() => parseManifest('{"env": {"1X": "a"}}'), /"1X" is not a valid environment variable name/);
    assert.throws(() => parseManifest('{"env": {"X": 3}}'), /env\.X must be a secret name/);
    assert.throws(() => parseManifest('{"env": {"X": {"secret": "a", "stage": "S", "versionId": "v"}}}'), /both a stage and a versionId/);
  });

  it('adds entries and keeps fields it does not know', () => {
    const text = withEntry('{"$schema": "x", "other": 1, "env": {"A": "a"}}', 'B', { secret: 'app/B' });
    assert.deepEqual(JSON.parse(text), { $schema: 'x', other: 1, env: { A: 'a', B: 'app/B' } });
    const staged = withEntry(undefined, 'C', { secret: 'app/C', stage: 'PENDING' });
    assert.deepEqual(JSON.parse(staged), { env: { C: { secret: 'app/C', stage: 'PENDING' } } });
  });

  it('treats a missing file as empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-manifest-'));
    try {
      assert.deepEqual(readManifest(dir), { env: {} });
      fs.writeFileSync(path.join(dir, '.hush.json'), '{"env": {"K": "k"}}');
      assert.deepEqual(readManifest(dir).env.K, { secret: 'k' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
