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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HushError } from '../shared/errors';
import { VERSION } from '../shared/version';
import { Baseline, type BaselineEntry, fingerprints } from '../shared/detect/baseline';
import { describeFinding, scanText } from '../shared/detect/engine';
import { explainFinding } from '../shared/detect/evidence';
import type { Evidence } from '../shared/detect/finding';
import { generatedKind, readTextFile, walkFiles, type SkipReason } from '../shared/detect/files';
import { RULES } from '../shared/detect/rules';
import type { Rule } from '../shared/detect/rule';
import { loadUserRules, type LoadedUserRules } from '../shared/detect/userRules';
import { BASELINE_FILE } from '../shared/detect/workspaceConfig';
import type { Io } from './cli';
import { reportError } from './report';

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
  --include-generated        Also scan lock files and minified bundles.
  --skip-tests               Do not report findings in test files and fixtures (by path).
  --rules FILE               User rules and overrides (default: .hush/rules.json if present).
  --exit-zero                Exit 0 even when there are findings.
  --verbose                  List skipped files.

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
    const list = spawnSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'], { cwd: io.cwd, encoding: 'buffer' });
    if (list.status !== 0) throw new HushError('InvalidArgument', `--staged needs a git repository: ${list.stderr.toString().trim()}`);
    const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: io.cwd, encoding: 'utf8' }).stdout.trim();
    for (const name of list.stdout.toString('utf8').split('\0').filter(Boolean)) {
      yield {
        rel: rel(path.join(top, name)),
        read: () => {
          const byName = opts.includeGenerated ? undefined : generatedKind(name);
          if (byName) return { kind: 'skipped', reason: byName };
          const blob = spawnSync('git', ['show', `:${name}`], { cwd: io.cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
          if (blob.status !== 0) return { kind: 'skipped', reason: 'unreadable', detail: blob.stderr.toString().trim() };
          if (blob.stdout.subarray(0, 8000).includes(0)) return { kind: 'skipped', reason: 'binary' };
          const text = blob.stdout.toString('utf8');
          const g = opts.includeGenerated ? undefined : generatedKind(name, text);
          return g ? { kind: 'skipped', reason: g } : { kind: 'text', text };
        },
      };
    }
    return;
  }
  for (const p of paths) {
    const abs = path.resolve(io.cwd, p);
    if (!fs.existsSync(abs)) throw new HushError('NotFound', `no such file or folder: ${p}`);
    for (const file of walkFiles(abs, { gitignore: opts.gitignore !== false })) {
      yield { rel: rel(file), read: () => readTextFile(file, { includeGenerated: opts.includeGenerated }) };
    }
  }
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
    io.err(`Wrote ${accepted.length} finding(s) to baseline ${opts.baselineWrite}.\n`);
  }

  if (format === 'json') {
    io.out(JSON.stringify({ version: VERSION, findings, scanned, skipped, baselined, ...(cutShort.length ? { userRulesCutShort: cutShort } : {}) }, null, 2) + '\n');
  } else if (format === 'sarif') {
    io.out(JSON.stringify(toSarif(findings, skipped, io.cwd), null, 2) + '\n');
  } else {
    for (const f of findings) io.out(`${f.file}:${f.line}:${f.column}  ${f.ruleId}  ${f.message}\n`);
    if (opts.verbose) for (const s of skipped) io.err(`skipped ${s.file} (${s.reason}${s.detail ? `: ${s.detail}` : ''})\n`);
    const files = new Set(findings.map((f) => f.file)).size;
    const summary =
      findings.length === 0
        ? `No hardcoded credentials in ${scanned} file(s)`
        : `${findings.length} hardcoded credential(s) in ${files} file(s); ${scanned} file(s) scanned`;
    const byReason = new Map<string, number>();
    for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    const skippedText = skipped.length ? `, ${skipped.length} skipped (${[...byReason].map(([r, n]) => `${r} ${n}`).join(', ')})` : '';
    io.err(`${summary}${baselined ? `, ${baselined} in baseline` : ''}${skippedText}.\n`);
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
    io.err(`hush: rules file ${path.relative(io.cwd, file)} is not valid JSON (${(e as Error).message}); using the built-in rules\n`);
    return empty;
  }
  const loaded = loadUserRules(config as never, new Set(RULES.map((r) => r.id)));
  for (const e of loaded.errors) io.err(`hush: ${path.relative(io.cwd, file)}: ${e}\n`);
  return loaded;
}

/** `hush rules [--json]`: the built-in rules. */
export function runRulesCommand(args: string[], io: Io): number {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length) {
    io.err(`hush: InvalidArgument: unknown argument '${unknown[0]}'. Usage: hush rules [--json]\n`);
    return 2;
  }
  const list = RULES.map((r) => ({ id: r.id, title: r.title, category: r.category, kind: r.kind, severity: r.severity, keywords: r.keywords, envVar: r.envVar }));
  if (json) io.out(JSON.stringify({ rules: list }, null, 2) + '\n');
  else {
    for (const r of list) io.out(`${r.id.padEnd(36)} ${r.category.padEnd(14)} ${r.severity.padEnd(8)} ${r.title}\n`);
    io.err(`${list.length} rules.\n`);
  }
  return 0;
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, the rules that fired in `tool.driver.rules`, skipped files as notifications. */
export function toSarif(findings: ScanReportEntry[], skipped: { file: string; reason: string }[], cwd: string): object {
  const used = [...new Set(findings.map((f) => f.ruleId))];
  const index = new Map(used.map((id, i) => [id, i]));
  const byId = new Map(RULES.map((r) => [r.id, r]));
  const root = cwd.split(path.sep).join('/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hush',
            version: VERSION,
            informationUri: 'https://github.com/hush-dev/hush',
            rules: used.map((id) => {
              const r = byId.get(id);
              return {
                id,
                name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
                shortDescription: { text: r ? `${r.title} is hardcoded` : id },
                defaultConfiguration: { level: SARIF_LEVEL[r?.severity ?? 'warning'] },
                properties: { tags: ['security', 'secret', r?.category ?? 'generic'] },
              };
            }),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `file://${root.startsWith('/') ? '' : '/'}${root}/` } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: skipped.map((s) => ({
              level: 'note',
              message: { text: `skipped (${s.reason})` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(s.file), uriBaseId: 'SRCROOT' } } }],
            })),
          },
        ],
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: SARIF_LEVEL[f.severity] ?? 'warning',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: { 'hushFingerprint/v1': f.fingerprint },
          properties: { confidence: f.confidence, masked: f.masked, suggestedEnvVar: f.suggestedEnvVar },
        })),
      },
    ],
  };
}
