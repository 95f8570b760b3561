/** Baselines: fingerprints survive line moves, never reveal the secret, and bad files fail clearly. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Baseline, fingerprints, isStrongSecret } from '../../../shared/detect/baseline';
import { scanText } from '../../../shared/detect/engine';
import { CHARS, fake } from '../../../shared/detect/rules/examples';

const salt = Buffer.alloc(16, 7);
const fp = (text: string, file = 'a.ts', s = salt): string[] => fingerprints(text, file, scanText(text, { path: file }), s);

describe('detect: baseline fingerprints', () => {
  const token = ['gh', 'p_', fake('', CHARS.b62, 36, 'bl1')].join('');
  const pw = fake('', CHARS.b62, 10, 'bl2') + '!';

  it('keys high-entropy secrets by the secret (s1), low-entropy ones by context (c1)', () => {
    assert.ok(isStrongSecret(token, 'token'));
    assert.ok(!isStrongSecret(pw, 'password'));
    const [a] = fp(`t = "${token}"`);
    const [b] = fp(`const dbPassword = "${pw}";`);
    assert.match(a, /^s1:/);
    assert.match(b, /^c1:/);
  });

  it('survives lines added above, and moving files for s1', () => {
    const [a] = fp(`t = "${token}"`);
    assert.equal(fp(`// new\n// lines\nt = "${token}"`)[0], a);
    assert.equal(fp(`other = "${token}"`, 'b.ts')[0], a);
    const [c] = fp(`const dbPassword = "${pw}";`);
    assert.equal(fp(`\n\nconst dbPassword = "${pw}";`)[0], c);
  });

  it('does not contain or let a word list recover a password', () => {
    const [c] = fp(`const dbPassword = "${pw}";`);
    assert.ok(!c.includes(pw));
    // The c1 fingerprint does not depend on the value at all: a dictionary attack has nothing to test against.
    assert.equal(fp(`const dbPassword = "${fake('', CHARS.b62, 10, 'other')}!";`)[0], c);
  });

  it('depends on the salt', () => {
    assert.notEqual(fp(`t = "${token}"`)[0], fp(`t = "${token}"`, 'a.ts', Buffer.alloc(16, 9))[0]);
  });

  it('round-trips a file and rejects malformed ones with a message naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bl-'));
    try {
      const file = path.join(dir, 'baseline.json');
      const b = Baseline.fresh().withEntries([{ fingerprint: 's1:abc', ruleId: 'github-pat', file: 'a.ts', masked: 'ghp_…abcd' }]);
      b.write(file);
      const back = Baseline.load(file);
      assert.ok(back.has('s1:abc'));
      assert.equal(back.salt.length, 16);
      fs.writeFileSync(file, '{"version": 1, "findings": []}');
      assert.throws(() => Baseline.load(file), /baseline .*baseline\.json: "salt"/);
      fs.writeFileSync(file, 'not json');
      assert.throws(() => Baseline.load(file), /not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
