/**
 * No rule regex backtracks catastrophically. Two checks, neither an
 * absolute timing assert:
 *  - structure: no quantified group contains an unbounded quantifier (the
 *    classic `(a+)+` shape);
 *  - scaling: on adversarial input, 8× the input may cost at most 32× the
 *    time (linear is 8×, quadratic 64×); inputs that stay under a few
 *    milliseconds at 1 MB are linear enough by definition.
 */
import * as assert from 'node:assert/strict';
import { RULES } from '../../../shared/detect/rules';
import { nestedUnbounded } from '../../../shared/detect/regexSafety';
import { adversarialInputs, timeRegex } from './adversarial';

describe('detect: regexes are linear (ReDoS)', function () {
  this.timeout(60_000);

  it('no rule has a nested unbounded quantifier', () => {
    const bad = RULES.map((r) => [r.id, nestedUnbounded(r.regex.source)] as const).filter(([, n]) => n !== undefined);
    assert.deepEqual(bad, []);
  });

  const SMALL = 128 * 1024;
  const LARGE = 1024 * 1024;
  for (const rule of RULES) {
    it(`${rule.id} scales linearly on adversarial input`, () => {
      const small = adversarialInputs(rule, SMALL);
      const large = adversarialInputs(rule, LARGE);
      for (let i = 0; i < large.length; i++) {
        // Interference (other processes) only ever adds time: take the best of several runs,
        // and re-measure before failing. A super-linear regex fails every attempt.
        let verdict = '';
        for (let attempt = 0; attempt < 3; attempt++) {
          const tl = timeRegex(rule, large[i], 3);
          if (tl < 25) {
            verdict = ''; // 1 MB in under 25 ms: no super-linear blow-up worth the name
            break;
          }
          const ts = Math.max(timeRegex(rule, small[i], 5), 2);
          const ratio = tl / ts;
          verdict = ratio < 32 ? '' : `${rule.id} input #${i + 1}: 8x input took ${ratio.toFixed(1)}x time (${ts.toFixed(1)} ms → ${tl.toFixed(1)} ms)`;
          if (!verdict) break;
        }
        assert.equal(verdict, '');
      }
    });
  }
});

describe('detect: the ReDoS checks catch bad regexes', function () {
  this.timeout(30_000);
  it('flags nested unbounded quantifiers', () => {
    assert.ok(nestedUnbounded('(?:a+)+b'));
    assert.ok(nestedUnbounded('(x[a-z]*y){2,}'));
    assert.equal(nestedUnbounded('(?:[A-Za-z-]{1,30}: [^\\r\\n]{0,200}\\r?\\n){1,400}?'), undefined);
    assert.equal(nestedUnbounded('(?:ab|cd)+'), undefined);
  });
  it('sees quadratic scaling as quadratic', () => {
    const rule = { ...RULES[0], regex: /([A-Za-z]+Q)/ };
    const unit = 'abcdefgh';
    const small = unit.repeat(256);
    const large = unit.repeat(2048);
    const ratio = timeRegex(rule, large) / Math.max(timeRegex(rule, small), 0.01);
    assert.ok(ratio > 24, `quadratic regex scaled only ${ratio.toFixed(1)}x`);
  });
});
