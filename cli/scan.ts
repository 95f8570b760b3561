/**
 * `hush scan`: the detector over files and folders, for CI and pre-commit.
 *
 *   hush scan [PATH…] [--format text|json|sarif] [--json] [--sarif]
 *             [--baseline FILE] [--baseline-write FILE] [--staged]
 *             [--no-gitignore] [--include-generated] [--exit-zero] [--verbose]
 *
 * Exit codes: 0 nothing new found, 1 findings, 2 error (bad arguments,
 * unreadable baseline, missing path).
 */
import { spawnSync } from 'node:child_process';
import { childEnv } from '../shared/process/childEnv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HushError } from '../shared/errors';
import { VERSION } from '../shared/version';
import { Baseline, type BaselineEntry, fingerprints } from '../shared/detect/baseline';
import { describeFinding, scanText } from '../shared/detect/engine';
import { explainFinding } from '../shared/detect/evidence';
import type { Evidence } from '../shared/detect/finding';
import { generatedKind, readTextFile, textOf, walkFiles, type SkipReason, type TextEncoding } from '../shared/detect/files';
import { RULES } from '../shared/detect/rules';
import type { Rule } from '../shared/detect/rule';
import { loadUserRules, type LoadedUserRules } from '../shared/detect/userRules';
import { BASELINE_FILE } from '../shared/detect/workspaceConfig';
import type { Io } from './cli';
import { reportError } from './report';
import { toSarif } from './sarif';
import { escapeField as esc } from './terminalText';

export interface ScanReportEntry {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  title: string;
  category: string;
  kind: string;
  severity: string;
  confidence: string;
  masked: string;
  message: string;
  fingerprint: string;
  suggestedEnvVar: string;
  suggestedSecretName: string;
  /** Which evidence made the finding (never the value), and the same as one sentence. */
  evidence?: Evidence;
  why: string;
}

export type ScanFormat = 'text' | 'json' | 'sarif';

export interface ScanCliOptions {
  /** Old form of `format: 'json'`. */
  json?: boolean;
  format?: ScanFormat;
  baseline?: string;
  baselineWrite?: string;
  /** Honour .gitignore (default true). */
  gitignore?: boolean;
  includeGenerated?: boolean;
  exitZero?: boolean;
  staged?: boolean;
  verbose?: boolean;
  /** Report nothing in test files and fixtures (by path). */
  skipTests?: boolean;
  /** User rules file (default: .hush/rules.json in the working directory, if present). */
  rulesFile?: string;
}

export const SCAN_HELP = `Usage: hush scan [PATH…] [options]

Finds hardcoded credentials in files and folders (default: the current folder).

  --format text|json|sarif   Output format (default text). --json, --sarif: shorthands.
  --baseline FILE            Report only findings not in this baseline (default: .hush/baseline.json
                             when it exists).
  --baseline-write FILE      Write every current finding to FILE as the new baseline.
  --staged                   Scan the staged content of the git index (pre-commit).
  --no-gitignore             Also scan paths that .gitignore excludes (.hushignore still applies).
  --include-generated        Also scan lock files and minified bundles (a file named as PATH
                             is always scanned, whatever it looks like).
  --skip-tests               Do not report findings in test files and fixtures (by path).
  --rules FILE               User rules and overrides (default: .hush/rules.json if present).
  --exit-zero                Exit 0 even when there are findings.
  --verbose                  List skipped files and why, and files read as UTF-16.

Exit codes: 0 nothing found, 1 findings, 2 error. Values are always masked.
Silence a line with a hush:ignore comment (gitleaks:allow and
"pragma: allowlist secret" work too); ignore paths in .hushignore.
`;

/** `hush scan …` from raw arguments. Never throws: errors become exit code 2. */
export function runScanCommand(args: string[], io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        sarif: { type: 'boolean', default: false },
        format: { type: 'string' },
        baseline: { type: 'string' },
        'baseline-write': { type: 'string' },
        staged: { type: 'boolean', default: false },
        'no-gitignore': { type: 'boolean', default: false },
        'include-generated': { type: 'boolean', default: false },
        'exit-zero': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'skip-tests': { type: 'boolean', default: false },
        rules: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(SCAN_HELP);
      return 0;
    }
    let format: ScanFormat = 'text';
    if (values.format !== undefined) {
      if (!['text', 'json', 'sarif'].includes(values.format))
        throw new HushError('InvalidArgument', `unknown --format '${values.format}'; use text, json or sarif`);
      format = values.format as ScanFormat;
    }
    if (values.json && values.sarif) throw new HushError('InvalidArgument', '--json and --sarif are exclusive');
    if (values.json) format = 'json';
    if (values.sarif) format = 'sarif';
    if (values.staged && positionals.length) throw new HushError('InvalidArgument', '--staged scans the git index; do not pass paths with it');
    return runScan(positionals.length ? positionals : ['.'], {
      format,
      baseline: values.baseline,
      baselineWrite: values['baseline-write'],
      gitignore: !values['no-gitignore'],
      includeGenerated: values['include-generated'],
      exitZero: values['exit-zero'],
      staged: values.staged,
      verbose: values.verbose,
      skipTests: values['skip-tests'],
      rulesFile: values.rules,
    }, io);
  } catch (e) {
    return reportError(e, io.err, 2, 'hush scan --help');
  }
}

interface Source {
  /** Path relative to the working directory, forward slashes. */
  rel: string;
  read(): ReturnType<typeof readTextFile>;
}

/** Files to scan: the walked paths, or the staged blobs of the git index. */
function* sources(paths: string[], opts: ScanCliOptions, io: Io): Generator<Source> {
  const rel = (abs: string): string => (path.relative(io.cwd, abs) || path.basename(abs)).split(path.sep).join('/');
  if (opts.staged) {
    const top = gitTopLevel(io.cwd);
    const list = spawnSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], { cwd: io.cwd, encoding: 'buffer', env: childEnv(process.env) });
    if (list.status !== 0) throw new HushError('InvalidArgument', `--staged: git could not list the index: ${firstLine(list.stderr.toString())}`);
    for (const name of list.stdout.toString('utf8').split('\0').filter(Boolean)) {
      yield {
        rel: rel(path.join(top, name)),
        read: () => {
          const byName = opts.includeGenerated ? undefined : generatedKind(name);
          if (byName) return { kind: 'skipped', reason: byName };
          const blob = spawnSync('git', ['show', `:${name}`], { cwd: top, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: childEnv(process.env) });
          if (blob.status !== 0) return { kind: 'skipped', reason: 'unreadable', detail: firstLine(blob.stderr.toString()) };
          return textOf(name, blob.stdout, { includeGenerated: opts.includeGenerated });
        },
      };
    }
    return;
  }
  for (const p of paths) {
    const abs = path.resolve(io.cwd, p);
    if (!fs.existsSync(abs)) throw new HushError('NotFound', `no such file or folder: ${p}`);
    // A file named on the command line is scanned whatever it looks like (minified, a lock file), as in the editor.
    const named = fs.statSync(abs).isFile();
    for (const file of walkFiles(abs, { gitignore: opts.gitignore !== false })) {
      yield { rel: rel(file), read: () => readTextFile(file, { includeGenerated: opts.includeGenerated || named }) };
    }
  }
}

/** The top folder of the git work tree holding `cwd`; a one-line error when there is none (or no git). */
function gitTopLevel(cwd: string): string {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', env: childEnv(process.env) });
  if (r.error) throw new HushError('InvalidArgument', `--staged scans the git index, but git could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new HushError('InvalidArgument', `--staged scans the git index, but ${cwd} is not in a git work tree`);
  return r.stdout.trim();
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

export function runScan(paths: string[], opts: ScanCliOptions, io: Io): number {
  const format: ScanFormat = opts.format ?? (opts.json ? 'json' : 'text');
  // The folder's own baseline (what the editor's "Accept this finding" writes) applies unless one is given.
  const defaultBaseline = path.resolve(io.cwd, BASELINE_FILE);
  const baselinePath = opts.baseline ? path.resolve(io.cwd, opts.baseline) : fs.existsSync(defaultBaseline) ? defaultBaseline : undefined;
  const baseline = baselinePath ? Baseline.load(baselinePath) : undefined;
  const writeTo = opts.baselineWrite ? path.resolve(io.cwd, opts.baselineWrite) : undefined;
  // Fingerprints use the baseline's salt; writing a baseline over an existing one keeps its salt.
  let salt = baseline?.salt;
  let writer: Baseline | undefined;
  if (writeTo) {
    writer = fs.existsSync(writeTo) ? Baseline.load(writeTo) : Baseline.fresh();
    salt ??= writer.salt;
  }
  salt ??= Buffer.alloc(16); // no baseline in play: fingerprints are for display/SARIF only

  const user = userRules(opts, io);
  const rules: readonly Rule[] = user.rules.length ? [...RULES, ...user.rules] : RULES;
  const scanOpts = { rules, disabledRules: user.disabled, severities: user.severities, skipTestFiles: opts.skipTests };

  const findings: ScanReportEntry[] = [];
  const accepted: BaselineEntry[] = [];
  const skipped: { file: string; reason: SkipReason; detail?: string }[] = [];
  const decoded: { file: string; encoding: TextEncoding }[] = [];
  let scanned = 0;
  let baselined = 0;
  /** Files where a user rule ran out of its time budget (its results there are incomplete). */
  const cutShort: { file: string; rules: string[] }[] = [];
  for (const src of sources(paths, opts, io)) {
    const read = src.read();
    if (read.kind === 'skipped') {
      skipped.push({ file: src.rel, reason: read.reason, detail: read.detail });
      continue;
    }
    scanned++;
    if (read.encoding !== 'utf-8') decoded.push({ file: src.rel, encoding: read.encoding });
    const found = scanText(read.text, { ...scanOpts, path: src.rel, onBudgetExceeded: (ruleIds) => cutShort.push({ file: src.rel, rules: ruleIds }) });
    if (!found.length) continue;
    const fps = fingerprints(read.text, src.rel, found, salt);
    found.forEach((f, i) => {
      accepted.push({ fingerprint: fps[i], ruleId: f.ruleId, file: src.rel, masked: f.masked });
      if (baseline?.has(fps[i])) {
        baselined++;
        return;
      }
      findings.push({
        file: src.rel,
        line: f.line + 1,
        column: f.column + 1,
        endLine: (f.endLine ?? f.line) + 1,
        endColumn: (f.endColumn ?? f.column) + 1,
        ruleId: f.ruleId,
        title: f.title,
        category: f.category ?? 'generic',
        kind: f.kind ?? 'secret',
        severity: f.severity,
        confidence: f.confidence ?? 'medium',
        masked: f.masked,
        message: describeFinding(f),
        fingerprint: fps[i],
        suggestedEnvVar: f.suggestedEnvVar,
        suggestedSecretName: f.suggestedSecretName ?? f.suggestedEnvVar.toLowerCase(),
        evidence: f.evidence,
        why: explainFinding(f),
      });
    });
  }

  if (writer && writeTo) {
    writer.withEntries(accepted).write(writeTo);
    io.err(`Wrote ${accepted.length} finding(s) to baseline ${esc(opts.baselineWrite!)}.\n`);
  }

  if (format === 'json') {
    io.out(JSON.stringify({ version: VERSION, findings, scanned, skipped, baselined, ...(cutShort.length ? { userRulesCutShort: cutShort } : {}) }, null, 2) + '\n');
  } else if (format === 'sarif') {
    io.out(JSON.stringify(toSarif(findings, skipped, io.cwd, rules), null, 2) + '\n');
  } else {
    for (const f of findings) io.out(`${esc(f.file)}:${f.line}:${f.column}  ${esc(f.ruleId)}  ${esc(f.message)}\n`);
    if (opts.verbose) {
      for (const s of skipped) io.err(`skipped ${esc(s.file)} (${s.reason}${s.detail ? `: ${esc(s.detail)}` : ''})\n`);
      for (const d of decoded) io.err(`read ${esc(d.file)} as ${d.encoding.toUpperCase()}\n`);
    }
    const files = new Set(findings.map((f) => f.file)).size;
    const summary =
      findings.length === 0
        ? `No hardcoded credentials in ${scanned} file(s)`
        : `${findings.length} hardcoded credential(s) in ${files} file(s); ${scanned} file(s) scanned`;
    const byReason = new Map<string, number>();
    for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    const skippedText = skipped.length ? `, ${skipped.length} skipped (${[...byReason].map(([r, n]) => `${r} ${n}`).join(', ')})` : '';
    io.err(`${summary}${baselined ? `, ${baselined} in baseline` : ''}${skippedText}.\n`);
    if (cutShort.length) {
      const ids = [...new Set(cutShort.flatMap((c) => c.rules))];
      io.err(`hush: warning: user rule(s) ${ids.map((i) => esc(i)).join(', ')} ran out of their time budget in ${cutShort.length} file(s); findings of those rules there may be missing (see .hush/rules.json).\n`);
    }
  }
  if (writer) return 0; // writing a baseline accepts what was found
  return findings.length > 0 && !opts.exitZero ? 1 : 0;
}

/** `.hush/rules.json` (or --rules): problems are printed, naming the rule; the other rules keep working. */
function userRules(opts: ScanCliOptions, io: Io): LoadedUserRules {
  const file = path.resolve(io.cwd, opts.rulesFile ?? path.join('.hush', 'rules.json'));
  const empty = loadUserRules(undefined, new Set());
  if (!fs.existsSync(file)) {
    if (opts.rulesFile) throw new HushError('NotFound', `no such rules file: ${opts.rulesFile}`);
    return empty;
  }
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    io.err(`hush: rules file ${esc(path.relative(io.cwd, file))} is not valid JSON (${esc((e as Error).message)}); using the built-in rules\n`);
    return empty;
  }
  const loaded = loadUserRules(config as never, new Set(RULES.map((r) => r.id)));
  for (const e of loaded.errors) io.err(`hush: ${esc(path.relative(io.cwd, file))}: ${esc(e)}\n`);
  return loaded;
}

export const RULES_HELP = `Usage: hush rules [--json]

Lists the built-in detection rules: id, category, severity, title (--json: also
the keywords and the suggested environment variable). Disable a rule, change
its severity or add your own in .hush/rules.json.
`;

/** `hush rules [--json]`: the built-in rules. */
export function runRulesCommand(args: string[], io: Io): number {
  try {
    const { values } = parseArgs({ args, allowPositionals: false, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      io.out(RULES_HELP);
      return 0;
    }
    const list = RULES.map((r) => ({ id: r.id, title: r.title, category: r.category, kind: r.kind, severity: r.severity, keywords: r.keywords, envVar: r.envVar }));
    if (values.json) io.out(JSON.stringify({ rules: list }, null, 2) + '\n');
    else {
      for (const r of list) io.out(`${r.id.padEnd(36)} ${r.category.padEnd(14)} ${r.severity.padEnd(8)} ${r.title}\n`);
      io.err(`${list.length} rules.\n`);
    }
    return 0;
  } catch (e) {
    return reportError(e, io.err, 2, 'hush rules --help');
  }
}
