/**
 * The accuracy floor on the generated evaluation set (`test/eval/`), on a
 * fresh draw (another seed than the bench's): the targets, per area
 * and overall. The bench prints the full per-category table.
 */
import * as assert from 'node:assert/strict';
import { scanText } from '../../../shared/detect/engine';
import { buildCorpus, metrics, score } from '../../eval/corpus';

describe('detect: accuracy on the generated evaluation set', function () {
  this.timeout(120_000);
  const cases = buildCorpus('unit-test-draw', 0.4);
  const s = score(cases, (c) => scanText(c.text, { path: c.path }));

  it('labels every case with a reason, and every secret span lies inside its text', () => {
    assert.ok(cases.length > 2000, `${cases.length} cases`);
    for (const c of cases) {
      assert.ok(c.why.length > 3, c.category);
      if (c.label === 'secret') assert.ok(c.start! >= 0 && c.end! <= c.text.length && c.end! > c.start!, c.category);
      else assert.ok(c.benignKind, c.category);
    }
  });

  it('meets precision ≥ 0.92, recall ≥ 0.85, F1 ≥ 0.88 overall', () => {
    const m = metrics(s.all);
    assert.ok(m.precision >= 0.92 && m.recall >= 0.85 && m.f1 >= 0.88, JSON.stringify(m));
  });

  it('raises at most 1.5 % false alarms on plain text and 15 % on look-alikes', () => {
    assert.ok(s.plainFp.fp / s.plainFp.n <= 0.015, JSON.stringify(s.plainFp));
    assert.ok(s.lookAlikeFp.fp / s.lookAlikeFp.n <= 0.15, JSON.stringify(s.lookAlikeFp));
  });

  for (const group of ['password', 'command', 'private-key', 'prose', 'token']) {
    it(`finds at least 80 % of the ${group} cases`, () => {
      const t = s.byGroup.get(group)!;
      assert.ok(t.tp / (t.tp + t.fn) >= 0.8, `${group}: ${t.tp}/${t.tp + t.fn}`);
    });
  }
});
