/**
 * Walks every rule's examples: each true positive is found by that rule
 * with the exact secret span; each false positive is not reported by it.
 */
import * as assert from 'node:assert/strict';
import { scanText } from '../../../shared/detect/engine';
import { RULES } from '../../../shared/detect/rules';
import { examplesFor } from '../../../shared/detect/rules/allExamples';

describe('detect: rule examples', () => {
  it('has at least 150 rules with unique ids, keywords and a secret group', () => {
    assert.ok(RULES.length >= 150, `only ${RULES.length} rules`);
    const ids = new Set<string>();
    for (const r of RULES) {
      assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
      ids.add(r.id);
      assert.ok(r.keywords.length > 0, `${r.id} has no keywords`);
      for (const k of r.keywords) assert.equal(k, k.toLowerCase(), `${r.id}: keyword '${k}' not lower-case`);
      assert.ok(/^[a-z0-9-]+$/.test(r.id), `${r.id}: id must be kebab-case`);
      assert.ok(r.envVar && /^[A-Z][A-Z0-9_]*$/.test(r.envVar), `${r.id}: bad envVar`);
    }
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      const ex = examplesFor(rule);
      it('has true-positive and false-positive examples', () => {
        assert.ok(ex.tp.length > 0, `${rule.id} has no true-positive example`);
        assert.ok(ex.fp.length > 0, `${rule.id} has no false-positive example`);
      });
      ex.tp.forEach((t, i) => {
        it(`finds tp #${i + 1} with the exact span`, () => {
          const found = scanText(t.text, { path: t.path });
          const mine = found.filter((f) => f.ruleId === rule.id);
          assert.ok(
            mine.length > 0,
            `${rule.id} tp #${i + 1} not found; got ${JSON.stringify(found.map((f) => [f.ruleId, f.start, f.end]))} (want ${t.start}..${t.end})`,
          );
          assert.deepEqual(mine.map((f) => [f.start, f.end]), [[t.start, t.end]], `${rule.id} tp #${i + 1} span`);
          for (const f of found) {
            const secret = t.text.slice(f.start, f.end);
            assert.ok(!f.masked.includes(secret), `${rule.id}: masked value contains the secret`);
          }
        });
      });
      ex.fp.forEach((f, i) => {
        it(`ignores fp #${i + 1}`, () => {
          const { text, path } = typeof f === 'string' ? { text: f, path: undefined } : f;
          const found = scanText(text, { path }).filter((x) => x.ruleId === rule.id);
          assert.deepEqual(found.map((x) => [x.ruleId, x.start, x.end, x.masked]), [], `${rule.id} fp #${i + 1} reported`);
        });
      });
    });
  }
});

describe('detect: shipped rule sources stay packageable', () => {
  it('no rule file holds a literal BEGIN…END key pair (vsce refuses bundles that do)', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const dir = path.resolve(__dirname, '../../../../shared/detect/rules');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.includes('xample'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.ok(!/-----BEGIN[^\n]*-----END/.test(text), `${f} has a BEGIN…END pair on one line`);
    }
  });
});
