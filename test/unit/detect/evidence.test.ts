/** Every finding says which rule and which evidence made it, never the value. */
import * as assert from 'node:assert/strict';
import { scanText } from '../../../shared/detect/engine';
import { explainFinding } from '../../../shared/detect/evidence';
import { base62, crc32 } from '../../../shared/detect/checksums';
import { loadUserRules } from '../../../shared/detect/userRules';
import { RULES } from '../../../shared/detect/rules';
import { CHARS, fake } from '../../../shared/detect/rules/examples';

const one = (text: string, path?: string) => {
  const found = scanText(text, { path });
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.ruleId)));
  return found[0];
};

describe('detect: explainable findings', () => {
  it('a checksummed token: prefix and a verified checksum; a wrong checksum says so and lowers confidence', () => {
    const body = fake('', CHARS.b62, 30, 'ev');
    const good = one(`t = "${['gh', 'p_', body, base62(crc32(body), 6)].join('')}"`);
    assert.deepEqual(good.evidence?.basis, ['checksum', 'prefix']);
    assert.equal(good.evidence?.keyword, 'ghp_');
    assert.equal(good.confidence, 'high');
    const bad = one(`t = "${['gh', 'p_', body, 'AAAAAA'].join('')}"`);
    assert.equal(bad.evidence?.checksum, 'invalid');
    assert.ok(!bad.evidence?.basis.includes('checksum'));
    assert.match(explainFinding(bad), /checksum does not verify/);
  });

  it('a password by name: the name, the entropy against the class floor, and what the judge checked', () => {
    const pw = fake('', CHARS.b62, 12, 'evpw') + '#1';
    const f = one(`const dbPassword = "${pw}";`, 'db.ts');
    assert.deepEqual(f.evidence?.basis, ['name', 'entropy']);
    assert.equal(f.evidence?.name, 'dbPassword');
    assert.equal(f.evidence?.entropyFloor, 2);
    assert.ok(f.evidence!.entropy >= 3);
    assert.equal(f.evidence?.length, pw.length);
    assert.match(f.evidence!.checks[0], /dbPassword/);
    const text = explainFinding(f);
    assert.match(text, /^rule `generic-password` · assigned to `dbPassword` · entropy \d\.\d bits\/char \(floor 2\)/);
    assert.ok(!text.includes(pw) && !JSON.stringify(f.evidence).includes(pw));
  });

  it('a PEM block: structure; a command: context; a user rule: user-rule', () => {
    const dashes = '-----';
    const block = [`${dashes}BEGIN PRIVATE KEY${dashes}`, ...fake('', CHARS.b64, 256, 'evk').match(/.{64}/g)!, `${dashes}END PRIVATE KEY${dashes}`].join('\n');
    const key = one(block, 'k.pem');
    assert.deepEqual(key.evidence?.basis, ['structure']);
    assert.match(key.evidence!.checks[0], /BEGIN\/END armor/);
    const cmd = one(`sshpass -p '${fake('', CHARS.b62, 12, 'evs')}!' ssh host`);
    assert.deepEqual(cmd.evidence?.basis, ['context']);
    const loaded = loadUserRules({ rules: [{ id: 'acme', regex: '(acme_[a-z0-9]{20})', keywords: ['acme_'], entropy: 3 }] }, new Set(RULES.map((r) => r.id)));
    const [u] = scanText(`k = ${fake('acme_', CHARS.lower + CHARS.digits, 20, 'evu')}`, { rules: [...RULES, ...loaded.rules] });
    assert.deepEqual(u.evidence?.basis, ['keyword', 'entropy', 'user-rule']);
    assert.equal(u.evidence?.entropyFloor, 3);
  });
});
