/**
 * Accuracy on the generated evaluation set (`test/eval/`): precision,
 * recall, F1, and false alarms on plain benign text and on look-alikes,
 * per area (each kind of secret with its own look-alikes) and per category.
 * Scored on two seeds: the default one and another, to show the figures
 * hold on a fresh draw of the same kinds. Printed, never asserted here
 * (the unit test `accuracy.test.ts` holds the floor).
 *
 * `HUSH_EVAL_MISSES=N` prints N misses per area; `HUSH_EVAL_SEED=s` adds a seed.
 */
import { scanText } from '../shared/detect/engine';
import { buildCorpus, DEFAULT_SEED, metrics, score, type Score, type Tally } from '../test/eval/corpus';

/** Each secret group with the look-alike groups that test the same rules. */
const AREAS: [string, string[], string[]][] = [
  ['passwords in code/config', ['password'], ['password-lookalike', 'name-lookalike']],
  ['commands & statements', ['command'], ['command-lookalike']],
  ['private keys', ['private-key'], ['private-key-lookalike']],
  ['prose', ['prose'], ['prose-lookalike']],
  ['provider tokens', ['token'], ['token-lookalike']],
];

const pc = (x: number): string => `${(100 * x).toFixed(1)}%`;

function sum(score: Score, groups: string[]): Tally {
  const t: Tally = { tp: 0, fn: 0, fp: 0, tn: 0 };
  for (const g of groups) {
    const s = score.byGroup.get(g);
    if (!s) continue;
    t.tp += s.tp;
    t.fn += s.fn;
    t.fp += s.fp;
    t.tn += s.tn;
  }
  return t;
}

function report(seed: string, detailed: boolean): void {
  const cases = buildCorpus(seed);
  const t0 = performance.now();
  const s = score(cases, (c) => scanText(c.text, { path: c.path }));
  const ms = performance.now() - t0;
  const secrets = s.all.tp + s.all.fn;
  const m = metrics(s.all);
  console.log(
    `seed ${seed}: ${cases.length} cases (${secrets} secret, ${cases.length - secrets} benign) in ${ms.toFixed(0)} ms — ` +
      `precision ${m.precision.toFixed(3)} · recall ${m.recall.toFixed(3)} · F1 ${m.f1.toFixed(3)} · ` +
      `false alarms: plain ${pc(s.plainFp.fp / s.plainFp.n)} (${s.plainFp.fp}/${s.plainFp.n}), look-alikes ${pc(s.lookAlikeFp.fp / s.lookAlikeFp.n)} (${s.lookAlikeFp.fp}/${s.lookAlikeFp.n})`,
  );
  if (!detailed) return;
  console.log('  area                        precision  recall    F1     secrets  look-alikes flagged');
  for (const [name, pos, neg] of AREAS) {
    const t = sum(s, [...pos, ...neg]);
    const a = metrics(t);
    console.log(`  ${name.padEnd(27)} ${a.precision.toFixed(3).padStart(8)} ${a.recall.toFixed(3).padStart(8)} ${a.f1.toFixed(3).padStart(6)}   ${String(t.tp + t.fn).padStart(6)}   ${t.fp}/${t.fp + t.tn}`);
  }
  console.log('  per category (recall for secrets, false alarms for benign):');
  const rows = [...s.byCategory].sort(([a], [b]) => a.localeCompare(b));
  const line: string[] = [];
  for (const [cat, t] of rows) {
    const n = t.tp + t.fn + t.fp + t.tn;
    line.push(t.tp + t.fn > 0 ? `${cat} ${pc(t.tp / (t.tp + t.fn))} of ${n}` : `${cat} FA ${pc(t.fp / n)} of ${n}`);
  }
  for (let i = 0; i < line.length; i += 3) console.log('    ' + line.slice(i, i + 3).map((x) => x.padEnd(46)).join(''));
  const show = Number(process.env.HUSH_EVAL_MISSES ?? 0);
  if (show > 0) {
    const byCat = new Map<string, number>();
    for (const miss of s.misses) {
      const k = miss.c.category;
      if ((byCat.get(k) ?? 0) >= show) continue;
      byCat.set(k, (byCat.get(k) ?? 0) + 1);
      const found = miss.findings.map((f) => f.ruleId).join(',');
      console.log(`  MISS ${miss.c.label} ${k} [${miss.c.path ?? '-'}] ${found ? `(${found}) ` : ''}${JSON.stringify(miss.c.text.slice(0, 160))}`);
    }
  }
}

export async function run(): Promise<void> {
  report(DEFAULT_SEED, true);
  report('hush-eval-2', false);
  if (process.env.HUSH_EVAL_SEED) report(process.env.HUSH_EVAL_SEED, true);
}
