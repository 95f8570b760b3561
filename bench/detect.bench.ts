/**
 * Detection figures (printed, never asserted):
 *  - throughput of the engine over real code (popular npm packages from
 *    node_modules, read into memory) and on one large file; `hush scan` as a
 *    whole process over the same folders;
 *  - findings on that real code (all of them are false alarms or test data:
 *    published packages carry no live keys), per rule; and on a fixed 45 MB
 *    tree of five popular packages (typescript, rxjs, moment, lodash,
 *    prettier at pinned versions, installed once into the temp folder);
 *  - per-keystroke latency: a full rescan of a 2 000-line and a 100 KB file
 *    after each single-character edit, p50/p95/max;
 *  - the slowest rules on 1 MB adversarial input;
 *  - precision/recall on the rules' own labelled examples, per category.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanText } from '../shared/detect/engine';
import { RULES } from '../shared/detect/rules';
import { examplesFor } from '../shared/detect/rules/allExamples';
import { CHARS, fake, prng } from '../shared/detect/rules/examples';
import { adversarialInputs, timeRegex } from '../test/unit/detect/adversarial';

const ROOT = path.resolve(__dirname, '..', '..');
/** Every installed package: ~80 MiB of real JavaScript, TypeScript, JSON and docs. */
const PACKAGES = ['.'];
const TEXT_EXT = /\.(?:[cm]?[jt]sx?|json|md|ya?ml|txt)$/;
const MiB = 1024 * 1024;

function collect(dir: string, out: { file: string; text: string }[], budget: { bytes: number }): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (budget.bytes <= 0) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out, budget);
    else if (e.isFile() && TEXT_EXT.test(e.name)) {
      const st = fs.statSync(p);
      if (st.size > 12 * MiB) continue;
      const text = fs.readFileSync(p, 'utf8');
      out.push({ file: path.relative(ROOT, p), text });
      budget.bytes -= text.length;
    }
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

export async function run(): Promise<void> {
  console.log(`${RULES.length} rules · ${new Set(RULES.map((r) => r.category)).size} categories`);

  // ---- throughput over real code ----
  const files: { file: string; text: string }[] = [];
  const dirs = PACKAGES.map((p) => path.join(ROOT, 'node_modules', p)).filter((d) => fs.existsSync(d));
  const budget = { bytes: 96 * MiB };
  for (const d of dirs) collect(d, files, budget);
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  for (const f of files) scanText(f.text, { path: f.file }); // one full pass first: steady state, JIT warm (the process figure below includes the cold start)
  const perRule = new Map<string, number>();
  let findings = 0;
  const t0 = performance.now();
  for (const f of files) {
    const found = scanText(f.text, { path: f.file });
    findings += found.length;
    for (const x of found) perRule.set(x.ruleId, (perRule.get(x.ruleId) ?? 0) + 1);
  }
  const ms = performance.now() - t0;
  console.log(`engine over real code: ${(bytes / MiB).toFixed(1)} MiB, ${files.length} files (all of node_modules): ${ms.toFixed(0)} ms → ${(bytes / MiB / (ms / 1000)).toFixed(0)} MiB/s on one core`);
  const top = [...perRule].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`findings on that code (published packages: test data or false alarms): ${findings} (${(findings / (bytes / MiB)).toFixed(2)} per MiB)${top.length ? ' — ' + top.map(([r, n]) => `${r} ${n}`).join(', ') : ''}`);

  fixedTree();

  const big = files.reduce((a, b) => (b.text.length > a.text.length ? b : a), files[0]);
  if (big) {
    scanText(big.text, { path: big.file });
    const tb = performance.now();
    const rounds = 3;
    for (let i = 0; i < rounds; i++) scanText(big.text, { path: big.file });
    const mb = (performance.now() - tb) / rounds;
    console.log(`largest file ${big.file} (${(big.text.length / MiB).toFixed(1)} MiB): ${mb.toFixed(0)} ms → ${(big.text.length / MiB / (mb / 1000)).toFixed(0)} MiB/s`);
  }

  // ---- secretlint side by side (same files, in process, recommended preset) ----
  await secretlintSideBySide(files);

  // ---- hush scan as a whole process ----
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (fs.existsSync(cli) && dirs.length) {
    const tp = performance.now();
    const r = spawnSync(process.execPath, [cli, 'scan', 'node_modules'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * MiB });
    const pms = performance.now() - tp;
    const summary = (r.stderr.trim().split('\n').pop() ?? '').slice(0, 160);
    const onDisk = dirs.reduce((n, d) => n + du(d), 0);
    console.log(`hush scan process over node_modules (${(onDisk / MiB).toFixed(0)} MiB on disk, exit ${r.status}): ${pms.toFixed(0)} ms → ${(onDisk / MiB / (pms / 1000)).toFixed(0)} MiB/s · ${summary}`);
  }

  // ---- keystroke latency ----
  const source = files.filter((f) => /\.ts$/.test(f.file) && !f.file.endsWith('.d.ts')).map((f) => f.text).join('\n') || files[0].text;
  const lines = source.split('\n');
  for (const [label, doc] of [
    ['2 000-line file', lines.slice(0, 2000).join('\n')],
    ['100 KB file', source.slice(0, 100 * 1024)],
  ] as const) {
    let text = injectSecrets(doc);
    const rnd = prng(42);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) scanText(text, { path: 'edit.ts' });
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(rnd() * text.length);
      text = text.slice(0, at) + 'x' + text.slice(at);
      const t = performance.now();
      scanText(text, { path: 'edit.ts' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`keystroke (full rescan of a ${label}, ${(text.length / 1024).toFixed(0)} KiB): p50 ${fmt(pct(times, 50))}, p95 ${fmt(pct(times, 95))}, max ${fmt(times[times.length - 1])}`);
  }

  // ---- worst rule on adversarial input ----
  const worst: [string, number][] = [];
  for (const rule of RULES) {
    let t = 0;
    for (const input of adversarialInputs(rule, MiB)) t = Math.max(t, timeRegex(rule, input, 1));
    worst.push([rule.id, t]);
  }
  worst.sort((a, b) => b[1] - a[1]);
  console.log(`slowest rules on 1 MiB adversarial input (regex alone, whole input, worst of 4 shapes): ${worst.slice(0, 5).map(([id, t]) => `${id} ${t.toFixed(1)} ms`).join(', ')}`);

  // ---- accuracy on labelled examples ----
  const cat = new Map<string, { tp: number; found: number; fp: number; fpHit: number; anyHit: number }>();
  for (const rule of RULES) {
    const c = cat.get(rule.category) ?? { tp: 0, found: 0, fp: 0, fpHit: 0, anyHit: 0 };
    const ex = examplesFor(rule);
    for (const t of ex.tp) {
      c.tp++;
      if (scanText(t.text, { path: t.path }).some((f) => f.ruleId === rule.id && f.start === t.start && f.end === t.end)) c.found++;
    }
    for (const f of ex.fp) {
      const { text, path: p } = typeof f === 'string' ? { text: f, path: undefined } : f;
      const found = scanText(text, { path: p });
      c.fp++;
      if (found.some((x) => x.ruleId === rule.id)) c.fpHit++;
      if (found.length) c.anyHit++;
    }
    cat.set(rule.category, c);
  }
  console.log('accuracy on the rules\' own examples (recall = tp found with exact span; precision counts any rule firing on a negative):');
  let T = 0, F = 0, N = 0, A = 0;
  for (const [name, c] of [...cat].sort()) {
    T += c.tp; F += c.found; N += c.fp; A += c.anyHit;
    const precision = c.found / (c.found + c.anyHit);
    console.log(`  ${name.padEnd(14)} recall ${((100 * c.found) / c.tp).toFixed(1)}% (${c.found}/${c.tp})  precision ${(100 * precision).toFixed(1)}%  negatives flagged: own rule ${c.fpHit}/${c.fp}, any rule ${c.anyHit}/${c.fp}`);
  }
  console.log(`  ${'all'.padEnd(14)} recall ${((100 * F) / T).toFixed(1)}% (${F}/${T})  precision ${((100 * F) / (F + A)).toFixed(1)}%  negatives flagged by any rule ${A}/${N}`);
}

/** secretlint (installed with @vscode/vsce) on the same in-memory files, if it is there. */
async function secretlintSideBySide(all: { file: string; text: string }[]): Promise<void> {
  const entry = path.join(ROOT, 'node_modules', '@secretlint', 'node', 'module', 'index.js');
  if (!fs.existsSync(entry) || !fs.existsSync(path.join(ROOT, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend'))) {
    console.log('secretlint: not installed, no side-by-side figure');
    return;
  }
  // An ES module: import() it without TypeScript rewriting the call into require().
  const esm = new Function('s', 'return import(s)') as (s: string) => Promise<{ createEngine(o: object): Promise<{ executeOnContent(a: { content: string; filePath: string }): Promise<{ ok: boolean }> }> }>;
  const { createEngine } = await esm(entry);
  const engine = await createEngine({ cwd: ROOT, formatter: 'json', color: false, configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] } });
  const subset: { file: string; text: string }[] = [];
  let bytes = 0;
  for (const f of all) {
    if (bytes >= 16 * MiB) break;
    subset.push(f);
    bytes += f.text.length;
  }
  for (const f of subset.slice(0, 20)) await engine.executeOnContent({ content: f.text, filePath: path.join(ROOT, f.file) });
  let flagged = 0;
  const ts = performance.now();
  for (const f of subset) if (!(await engine.executeOnContent({ content: f.text, filePath: path.join(ROOT, f.file) })).ok) flagged++;
  const sl = performance.now() - ts;
  const th = performance.now();
  let ours = 0;
  for (const f of subset) if (scanText(f.text, { path: f.file }).length) ours++;
  const hu = performance.now() - th;
  console.log(
    `secretlint ${'(preset-recommend)'} vs hush on the same ${(bytes / MiB).toFixed(1)} MiB, ${subset.length} files, in process: ` +
      `secretlint ${sl.toFixed(0)} ms (${(bytes / MiB / (sl / 1000)).toFixed(1)} MiB/s, ${flagged} files flagged) · hush ${hu.toFixed(0)} ms (${(bytes / MiB / (hu / 1000)).toFixed(0)} MiB/s, ${ours} files flagged) · hush is ${(sl / hu).toFixed(0)}× faster`,
  );
}

function du(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += e.name === 'node_modules' ? 0 : du(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

/** The fixed tree: five packages at pinned versions, installed once (npm registry) into the temp folder. */
const TREE_PACKAGES = ['typescript@5.9.3', 'rxjs@7.8.2', 'moment@2.31.0', 'lodash@4.18.1', 'prettier@3.10.1'];

function fixedTree(): void {
  const dir = path.join(os.tmpdir(), 'hush-bench-tree');
  const mods = path.join(dir, 'node_modules');
  const names = TREE_PACKAGES.map((p) => p.slice(0, p.lastIndexOf('@')));
  if (!names.every((n) => fs.existsSync(path.join(mods, n, 'package.json')))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"hush-bench-tree","private":true}\n');
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...TREE_PACKAGES], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) {
      console.log(`45 MB tree: could not install ${TREE_PACKAGES.join(' ')} (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}); skipped`);
      return;
    }
  }
  const tree: { file: string; text: string }[] = [];
  for (const n of names) collect(path.join(mods, n), tree, { bytes: Infinity });
  const onDisk = names.reduce((sum, n) => sum + du(path.join(mods, n)), 0);
  const bytes = tree.reduce((sum, f) => sum + f.text.length, 0);
  for (const f of tree) scanText(f.text, { path: f.file });
  const perRule = new Map<string, number>();
  let findings = 0;
  const t0 = performance.now();
  for (const f of tree) {
    const found = scanText(f.text, { path: f.file });
    findings += found.length;
    for (const x of found) perRule.set(x.ruleId, (perRule.get(x.ruleId) ?? 0) + 1);
  }
  const ms = performance.now() - t0;
  console.log(
    `45 MB tree (${names.join(', ')}; ${(onDisk / MiB).toFixed(1)} MiB on disk, ${(bytes / MiB).toFixed(1)} MiB of text, ${tree.length} files): ` +
      `${findings} finding(s)${findings ? ' — ' + [...perRule].map(([r, n]) => `${r} ${n}`).join(', ') : ''} · ${ms.toFixed(0)} ms → ${(bytes / MiB / (ms / 1000)).toFixed(0)} MiB/s`,
  );
}

/** A few fabricated secrets, so the timed scans do real finding work too. */
function injectSecrets(doc: string): string {
  const lines = doc.split('\n');
  const add = [
    `const token = "${['gh', 'p_'].join('') + fake('', CHARS.b62, 36, 'bench1')}";`,
    `const dbPassword = "${fake('', CHARS.b62, 14, 'bench2')}!";`,
    `const url = "postgres://app:${fake('', CHARS.b62, 16, 'bench3')}@db:5432/app";`,
  ];
  add.forEach((l, i) => lines.splice(Math.floor(((i + 1) * lines.length) / 4), 0, l));
  return lines.join('\n');
}
