/**
 * The evaluation set: a few thousand labelled cases, generated from a seed
 * (so the same kinds can be drawn again with other names, values, quoting
 * and languages), and the scoring of a detector on it, per category.
 *
 * Honest by construction: every case is made here from the kinds the
 * detector should know (passwords per language, commands, private-key
 * shapes, prose, provider tokens from the rules' documented formats) and
 * from plain and look-alike benign text; nothing is copied from another
 * project's tests. Values are generated at run time, so the repository
 * holds no credential-shaped literal.
 */
import type { Finding } from '../../shared/detect/finding';
import { commandCases, commandLookAlikes } from './commands';
import type { EvalCase } from './evalCase';
import { comparisonCases, loginCallCases, nameLookAlikes, passwordCases, passwordLookAlikes, shortNameCases } from './passwords';
import { plainCases } from './plain';
import { privateKeyCases, privateKeyLookAlikes } from './privateKeys';
import { proseCases, proseLookAlikes } from './prose';
import { Rand } from './rand';
import { tokenCases, tokenLookAlikes } from './tokens';

/** The default seed (the bench also scores a second one, to show the figures are not tuned to one draw). */
export const DEFAULT_SEED = 'hush-eval-1';

export function buildCorpus(seed: string = DEFAULT_SEED, scale = 1): EvalCase[] {
  const r = (part: string): Rand => new Rand(`${seed}/${part}`);
  const n = (k: number): number => Math.round(k * scale);
  return [
    ...passwordCases(r('passwords'), n(1200)),
    ...shortNameCases(r('short'), n(60)),
    ...comparisonCases(r('compare'), n(120)),
    ...loginCallCases(r('login'), n(60)),
    ...commandCases(r('commands'), n(450)),
    ...privateKeyCases(r('keys'), n(300)),
    ...proseCases(r('prose'), n(250)),
    ...tokenCases(r('tokens'), n(600)),
    ...plainCases(r('plain'), n(1200)),
    ...passwordLookAlikes(r('pw-look'), n(500)),
    ...nameLookAlikes(r('name-look'), n(300)),
    ...commandLookAlikes(r('cmd-look'), n(250)),
    ...privateKeyLookAlikes(r('key-look'), n(150)),
    ...proseLookAlikes(r('prose-look'), n(150)),
    ...tokenLookAlikes(r('token-look'), n(200)),
  ];
}

export interface Tally {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

export interface Score {
  /** Per category (`password:python`, `command:sql`, `plain`, …). */
  readonly byCategory: Map<string, Tally>;
  /** Per top-level group (`password`, `command`, `private-key`, `prose`, `token`, and the benign groups). */
  readonly byGroup: Map<string, Tally>;
  readonly all: Tally;
  /** False-alarm rates: plain benign text, and look-alikes. */
  readonly plainFp: { fp: number; n: number };
  readonly lookAlikeFp: { fp: number; n: number };
  /** Cases scored wrong, for inspection. */
  readonly misses: { c: EvalCase; findings: Finding[] }[];
}

const empty = (): Tally => ({ tp: 0, fn: 0, fp: 0, tn: 0 });

/**
 * Scores `detect` on the cases: a secret case counts as found when a finding
 * overlaps the secret's span; a benign case is a false alarm when anything
 * is reported.
 */
export function score(cases: readonly EvalCase[], detect: (c: EvalCase) => Finding[]): Score {
  const byCategory = new Map<string, Tally>();
  const byGroup = new Map<string, Tally>();
  const all = empty();
  const plainFp = { fp: 0, n: 0 };
  const lookAlikeFp = { fp: 0, n: 0 };
  const misses: Score['misses'] = [];
  for (const c of cases) {
    const findings = detect(c);
    const cat = byCategory.get(c.category) ?? empty();
    const group = c.category.split(':')[0];
    const g = byGroup.get(group) ?? empty();
    let ok: boolean;
    if (c.label === 'secret') {
      ok = findings.some((f) => f.start < c.end! && f.end > c.start!);
      for (const t of [cat, g, all]) {
        if (ok) t.tp++;
        else t.fn++;
      }
    } else {
      ok = findings.length === 0;
      for (const t of [cat, g, all]) {
        if (ok) t.tn++;
        else t.fp++;
      }
      const bucket = c.benignKind === 'plain' ? plainFp : lookAlikeFp;
      bucket.n++;
      if (!ok) bucket.fp++;
    }
    if (!ok) misses.push({ c, findings });
    byCategory.set(c.category, cat);
    byGroup.set(group, g);
  }
  return { byCategory, byGroup, all, plainFp, lookAlikeFp, misses };
}

export function metrics(t: Tally): { precision: number; recall: number; f1: number } {
  const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
