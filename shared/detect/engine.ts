/**
 * The detection engine: text in, findings out. It knows nothing about
 * providers — rules are data (`rules/`). The pipeline per text:
 *
 *   1. one keyword pass (Aho-Corasick DFA) finds where each rule can match;
 *   2. only those rules run their regex, only over the lines (or, for
 *      multi-line formats, the bounded span) around their keywords;
 *   3. each candidate is filtered: entropy floor, stop words, allowlists,
 *      placeholders, validators, inline ignores;
 *   4. overlapping findings keep the most specific rule.
 *
 * Every regex is linear-time by construction (tested on adversarial input),
 * and a line longer than LONG_LINE is scanned in bounded windows.
 */
import { evidenceOf } from './evidence';
import { Finding, Severity } from './finding';
import { LinearRegExp } from './linearRegex';
import { KeywordMatcher } from './keywords';
import { LineIndex } from './lineIndex';
import { maskSecret } from './mask';
import { placeholderReason } from './placeholders';
import { shannon } from './entropy';
import type { Confidence, Rule } from './rule';
import { RULES } from './rules';
import { findKnownSecrets, type KnownSecretIndex } from './knownSecrets';
import { performance } from 'node:perf_hooks';

export interface ScanOptions {
  /** Path of the text (relative or absolute, any separator): file-type heuristics and path allowlists. */
  readonly path?: string;
  /** The rule set to use (default: every built-in rule). */
  readonly rules?: readonly Rule[];
  /** Rule ids not to report. */
  readonly disabledRules?: ReadonlySet<string>;
  /** Severity overrides by rule id. */
  readonly severities?: ReadonlyMap<string, Severity>;
  /** Honour inline ignore comments (default true). */
  readonly inlineIgnores?: boolean;
  /** Report nothing for test files and fixtures (by path). Off by default: opt in. */
  readonly skipTestFiles?: boolean;
  /** Secrets already in the Secrets Manager, as keyed fingerprints: literals equal to one are reported. */
  readonly knownSecrets?: KnownSecretIndex;
  /**
   * Time budget (ms) for user rules (those on the linear-time engine) per
   * scanned text; past it their remaining work on this text is skipped and
   * `onBudgetExceeded` is told which rules were cut short. Default 250 ms.
   */
  readonly userRuleBudgetMs?: number;
  readonly onBudgetExceeded?: (ruleIds: string[]) => void;
}

/** Default time budget for user rules per scanned text. */
export const USER_RULE_BUDGET_MS = 250;

/** Paths of tests and fixtures (for `skipTestFiles`). */
export const TEST_PATH =
  /(?:^|\/)(?:tests?|__tests__|spec|specs|fixtures?|testdata|test-data|__fixtures__|__mocks__)\/|(?:^|\/)[^/]*(?:[._-](?:test|spec)s?\.[a-z0-9]+|_test\.go|Tests?\.(?:java|kt|cs|swift))$/i;

const KNOWN_SECRET_RULE: Rule = {
  id: 'known-secret',
  title: 'Value of a stored secret',
  category: 'generic',
  kind: 'secret',
  severity: 'error',
  keywords: ['='],
  regex: /(?!)/,
  envVar: 'SECRET',
  secretName: 'secret',
  confidence: 'high',
  priority: 10,
};

/** Lines longer than this are scanned in windows around keywords, not whole. */
export const LONG_LINE = 4096;
/** Half-width of such a window. */
const WINDOW = 1024;
/** Default reach of a multi-line rule around its keyword. */
const DEFAULT_SPAN = { before: 0, after: 32 * 1024 };

/** Inline ignores: Hush's own marker and the ones gitleaks and detect-secrets users already have. */
const IGNORE_MARKERS = /hush:ignore|gitleaks:allow|pragma: allowlist secret/;

interface CompiledRule {
  readonly rule: Rule;
  readonly regex: RegExp;
  /** The same regex, sticky, for anchored rules. */
  readonly sticky?: RegExp;
  readonly groups: readonly number[];
  readonly priority: number;
  /** A user rule: its regex runs on the linear-time engine and counts against the time budget. */
  readonly linear?: boolean;
  /** An anchored rule whose regex starts at a word boundary: hits inside a longer word (`rman` in `performance`) cost nothing. */
  readonly wordStart?: boolean;
}

/** A regex that can only match where a word starts: `\b…`, `(?<![A-Za-z0-9_])…`, `(?<![\w$])…`. */
const WORD_START = /^(?:\\b|\(\?<!\[(?:A-Za-z0-9_-?|\\w\$?)\]\))/;

interface CompiledSet {
  readonly rules: readonly CompiledRule[];
  readonly matcher: KeywordMatcher;
  /** keyword id → indexes of the rules it gates. */
  readonly gates: readonly (readonly number[])[];
}

const compiledSets = new WeakMap<readonly Rule[], CompiledSet>();

function defaultPriority(rule: Rule): number {
  if (rule.priority !== undefined) return rule.priority;
  if (rule.category === 'generic') return -10;
  return 0;
}

/** Compiles a rule set once (cached per array). Throws naming the rule if one is malformed. */
export function compileRules(rules: readonly Rule[]): CompiledSet {
  const cached = compiledSets.get(rules);
  if (cached) return cached;
  const keywordIds = new Map<string, number>();
  const gates: number[][] = [];
  const compiled = rules.map((rule, index) => {
    if (!rule.keywords.length) throw new Error(`rule '${rule.id}' has no keywords`);
    let flags = rule.regex.flags.replace(/[gyd]/g, '');
    flags += 'gd';
    const linear = rule.regex instanceof LinearRegExp;
    // A user regex is never handed to V8's backtracking engine: it keeps its linear-time one.
    const regex = linear ? new LinearRegExp(rule.regex.source, flags) : new RegExp(rule.regex.source, flags);
    for (const kw of rule.keywords) {
      let id = keywordIds.get(kw);
      if (id === undefined) {
        id = keywordIds.size;
        keywordIds.set(kw, id);
        gates.push([]);
      }
      if (!gates[id].includes(index)) gates[id].push(index);
    }
    const g = rule.secretGroup ?? 1;
    const sticky = !linear && (rule.anchored || rule.assignmentAnchored) ? new RegExp(rule.regex.source, flags.replace('g', '') + 'y') : undefined;
    const wordStart = !!sticky && !!rule.anchored && WORD_START.test(rule.regex.source);
    return { rule, regex, sticky, groups: typeof g === 'number' ? [g] : g, priority: defaultPriority(rule), linear, wordStart };
  });
  const set: CompiledSet = { rules: compiled, matcher: new KeywordMatcher([...keywordIds.keys()]), gates };
  compiledSets.set(rules, set);
  return set;
}

/** A region of text to run one rule's regex over; `end` -1: run anchored at `start`. */
interface Task {
  rule: number;
  start: number;
  end: number;
  /** The keyword that opened this task. */
  kw: number;
}

interface Candidate {
  readonly c: CompiledRule;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
  readonly name?: string;
  readonly confidence: Confidence;
  /** For known-secret hits: the stored secret's name. */
  readonly known?: string;
  /** The match and the keyword that led to it, for the finding's evidence. */
  readonly m?: RegExpExecArray;
  readonly keyword?: string;
}

/**
 * Finds hardcoded credentials in `text`. Findings are sorted by position and
 * never overlap.
 */
export function scanText(text: string, opts: ScanOptions = {}): Finding[] {
  if (opts.skipTestFiles && opts.path && TEST_PATH.test(opts.path.replace(/\\/g, '/'))) return [];
  const set = compileRules(opts.rules ?? RULES);
  const tasks = planTasks(text, set);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const ctx = { path: opts.path?.replace(/\\/g, '/') };
  const honourIgnores = opts.inlineIgnores !== false;
  const budget = opts.userRuleBudgetMs ?? USER_RULE_BUDGET_MS;
  let linearMs = 0;
  let cut: Set<string> | undefined;
  for (const task of tasks) {
    const c = set.rules[task.rule];
    if (opts.disabledRules?.has(c.rule.id)) continue;
    const keyword = set.matcher.keywords[task.kw];
    if (task.end === -1) {
      const re = c.sticky!;
      re.lastIndex = task.start;
      const m = re.exec(text);
      if (m === null) continue;
      const cand = candidateOf(c, m, 0, ctx, keyword);
      if (!cand) continue;
      if (honourIgnores && isIgnored(text, cand.start, cand.end)) continue;
      candidates.push(cand);
      continue;
    }
    if (c.linear && linearMs >= budget) {
      (cut ??= new Set()).add(c.rule.id);
      continue;
    }
    const t0 = c.linear ? performance.now() : 0;
    // One character of context on each side, so the regex's boundary
    // assertions see the real neighbours.
    const base = Math.max(0, task.start - 1);
    const slice = text.slice(base, Math.min(text.length, task.end + 1));
    const re = c.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(slice)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const cand = candidateOf(c, m, base, ctx, keyword);
      if (!cand) continue;
      const key = `${task.rule}:${cand.start}:${cand.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (honourIgnores && isIgnored(text, cand.start, cand.end)) continue;
      candidates.push(cand);
    }
    if (c.linear) linearMs += performance.now() - t0;
  }
  if (cut) opts.onBudgetExceeded?.([...cut]);
  if (opts.knownSecrets) {
    const c: CompiledRule = { rule: KNOWN_SECRET_RULE, regex: KNOWN_SECRET_RULE.regex, groups: [0], priority: 10 };
    for (const hit of findKnownSecrets(text, opts.knownSecrets)) {
      if (honourIgnores && isIgnored(text, hit.start, hit.end)) continue;
      candidates.push({ c, start: hit.start, end: hit.end, secret: text.slice(hit.start, hit.end), name: undefined, confidence: 'high', known: hit.name });
    }
  }
  return toFindings(text, resolveOverlaps(candidates), opts);
}

/** Step 1: the keyword pass, turned into regions per rule (merged when they touch). */
function planTasks(text: string, set: CompiledSet): Task[] {
  const open: (Task | undefined)[] = new Array(set.rules.length);
  const tasks: Task[] = [];
  const kwLen = set.matcher.keywords.map((k) => k.length);
  set.matcher.scan(text, (kw, end) => {
    const kwStart = end - kwLen[kw];
    let nameStart = -1;
    for (const ri of set.gates[kw]) {
      const cr = set.rules[ri];
      if (cr.sticky) {
        if (cr.rule.assignmentAnchored) {
          if (nameStart === -1) nameStart = assignedNameStart(text, kwStart, end);
          if (nameStart < 0) continue;
          const prev = open[ri];
          if (prev && prev.start === nameStart) continue;
          const t = { rule: ri, start: nameStart, end: -1, kw };
          open[ri] = t;
          tasks.push(t);
          continue;
        }
        if (cr.wordStart && kwStart > 0 && isWordChar(text.charCodeAt(kwStart - 1))) continue;
        tasks.push({ rule: ri, start: kwStart, end: -1, kw });
        continue;
      }
      const prev = open[ri];
      if (prev && end <= prev.end) continue; // already inside this rule's region
      const rule = set.rules[ri].rule;
      let start: number;
      let stop: number;
      if (rule.multiline) {
        const span = rule.span ?? DEFAULT_SPAN;
        start = Math.max(0, kwStart - span.before);
        const ls = text.lastIndexOf('\n', start) + 1;
        if (start - ls < 256) start = ls;
        stop = Math.min(text.length, end + span.after);
      } else {
        const ls = text.lastIndexOf('\n', kwStart) + 1;
        let le = text.indexOf('\n', end);
        if (le === -1) le = text.length;
        if (le - ls > LONG_LINE) {
          start = Math.max(ls, kwStart - WINDOW);
          stop = Math.min(le, end + WINDOW);
        } else {
          start = ls;
          stop = le;
        }
      }
      if (prev && start <= prev.end + 1 && stop - prev.start <= 64 * 1024) {
        prev.end = Math.max(prev.end, stop);
      } else {
        const t = { rule: ri, start, end: stop, kw };
        open[ri] = t;
        tasks.push(t);
      }
    }
  });
  return tasks;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

const NAME_CHAR = new Uint8Array(128);
for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$-') NAME_CHAR[ch.charCodeAt(0)] = 1;

/**
 * For a keyword inside a name: where the name starts, if an assignment
 * operator (`=`, `:`, `=>`, `:=`, `?=`) follows the name; else -2.
 */
function assignedNameStart(text: string, kwStart: number, kwEnd: number): number {
  let s = kwStart;
  const floor = Math.max(0, kwStart - 80);
  while (s > floor) {
    const c = text.charCodeAt(s - 1);
    if (c < 128 && (NAME_CHAR[c] === 1 || c === 64 /* @ */ || c === 58 /* : */)) s--;
    else break;
  }
  let e = kwEnd;
  const ceil = Math.min(text.length, kwEnd + 80);
  while (e < ceil) {
    const c = text.charCodeAt(e);
    if (c < 128 && NAME_CHAR[c] === 1) e++;
    else break;
  }
  // An XML element's name (`<password>…`).
  if (text[e] === '>' && text[s - 1] === '<') return s;
  // C array brackets (`pass[64]`), closing quotes/bracket of the key, blanks, then the operator.
  if (text[e] === '[') {
    let k = e + 1;
    while (k < e + 6 && k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    if (text[k] === ']') e = k + 1;
  }
  let q = 0;
  while (q < 2 && e < text.length && (text[e] === '"' || text[e] === "'" || text[e] === ']')) {
    e++;
    q++;
  }
  let b = 0;
  while (b < 8 && e < text.length && (text[e] === ' ' || text[e] === '\t')) {
    e++;
    b++;
  }
  const c = text[e];
  const n = text[e + 1];
  // The regex may start later than a leading '@' or ':' run: it decides; give it the earliest plausible start.
  if (c === '=' || c === ':' || ((c === '?' || c === '!') && n === '=')) return s;
  // `("password", "…")`, `pass{"…"}`: only before a quote.
  if ((c === ',' && q > 0) || c === '{') {
    let k = e + 1;
    while (k < e + 9 && (text[k] === ' ' || text[k] === '\t' || text[k] === '@')) k++;
    if (text[k] === '"' || text[k] === "'") return s;
  }
  // A DSL call without parentheses: `password "…"` (the regex checks the statement ends there).
  if (b > 0 && (c === '"' || c === "'")) return s;
  // Perl's string comparison: `$pass eq '…'`.
  if (b > 0 && (c === 'e' || c === 'n') && (n === 'q' || n === 'e') && (text[e + 2] === ' ' || text[e + 2] === '\t')) return s;
  return -2;
}

/** Step 3: one regex match → a candidate, or nothing if it is a look-alike. */
function candidateOf(c: CompiledRule, m: RegExpExecArray, base: number, ctx: { path?: string }, keyword?: string): Candidate | undefined {
  let g = -1;
  for (const gi of c.groups) {
    if (m[gi] !== undefined) {
      g = gi;
      break;
    }
  }
  if (g === -1) return undefined;
  const secret = m[g];
  const idx = m.indices?.[g];
  if (!secret || !idx) return undefined;
  const rule = c.rule;
  if (rule.entropy !== undefined && shannon(secret) < rule.entropy) return undefined;
  if (rule.stopwords) {
    const lower = secret.toLowerCase();
    if (rule.stopwords.some((w) => lower.includes(w))) return undefined;
  }
  if (rule.allow?.some((a) => a.test(secret))) return undefined;
  if (!rule.skipPlaceholderCheck && placeholderReason(secret) !== undefined) return undefined;
  if (rule.validators) for (const v of rule.validators) if (!v(secret, m, ctx)) return undefined;
  let confidence: Confidence = rule.confidence ?? 'medium';
  if (rule.checksum) confidence = rule.checksum(secret) ? 'high' : 'low';
  let name: string | undefined;
  if (rule.nameGroup !== undefined) {
    for (const ng of typeof rule.nameGroup === 'number' ? [rule.nameGroup] : rule.nameGroup) {
      if (m[ng] !== undefined) {
        name = m[ng];
        break;
      }
    }
  }
  return { c, start: base + idx[0], end: base + idx[1], secret, name, confidence, m, keyword };
}

/** An inline ignore marker on the line where the secret starts or ends. */
function isIgnored(text: string, start: number, end: number): boolean {
  return lineHasMarker(text, start) || (text.lastIndexOf('\n', end - 1) >= start && lineHasMarker(text, end - 1));
}

function lineHasMarker(text: string, offset: number): boolean {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  let le = text.indexOf('\n', offset);
  if (le === -1) le = text.length;
  if (le - ls > LONG_LINE) return IGNORE_MARKERS.test(text.slice(Math.max(ls, offset - WINDOW), Math.min(le, offset + WINDOW)));
  return IGNORE_MARKERS.test(text.slice(ls, le));
}

/** Step 4: where findings overlap, the higher-priority rule (then the longer span) wins. */
function resolveOverlaps(cands: Candidate[]): Candidate[] {
  cands.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (const cand of cands) {
    const last = kept[kept.length - 1];
    if (last && cand.start < last.end) {
      const better =
        cand.c.priority > last.c.priority ||
        (cand.c.priority === last.c.priority && cand.end - cand.start > last.end - last.start);
      if (better) kept[kept.length - 1] = cand;
      continue;
    }
    kept.push(cand);
  }
  return kept;
}

function toFindings(text: string, cands: Candidate[], opts: ScanOptions): Finding[] {
  if (!cands.length) return [];
  const index = new LineIndex(text);
  return cands.map((cand) => {
    const rule = cand.c.rule;
    const pos = index.position(cand.start);
    const endPos = index.position(cand.end);
    let envVar = cand.name ? envVarFromName(cand.name) ?? rule.envVar : rule.envVar;
    let secretName = cand.name && envVar !== rule.envVar ? envVar.toLowerCase().replace(/_/g, '-') : rule.secretName;
    let title = rule.title;
    if (cand.known !== undefined) {
      title = `Value of the stored secret ${cand.known}`;
      envVar = envVarFromName(cand.known.split('/').pop() ?? cand.known) ?? envVar;
      secretName = cand.known;
    }
    return {
      ruleId: rule.id,
      title,
      severity: opts.severities?.get(rule.id) ?? rule.severity,
      start: cand.start,
      end: cand.end,
      line: pos.line,
      column: pos.column,
      endLine: endPos.line,
      endColumn: endPos.column,
      masked: maskSecret(cand.secret, cand.known !== undefined ? 'password' : rule.kind),
      suggestedEnvVar: envVar,
      suggestedSecretName: secretName,
      kind: rule.kind,
      category: rule.category,
      confidence: cand.confidence,
      evidence: evidenceOf(rule, cand.secret, cand.m, cand.keyword, cand.name, { linear: cand.c.linear, known: cand.known !== undefined }),
    };
  });
}

/** `dbPassword`, `db.password`, `DB_PASSWORD` → `DB_PASSWORD`. */
export function envVarFromName(name: string): string | undefined {
  const words = name
    .replace(/^[$@]/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return undefined;
  const v = words.join('_').toUpperCase();
  return /^[A-Z_]/.test(v) ? v : `_${v}`;
}

/** The one sentence every surface (diagnostic, CLI, hover) uses for a finding. */
export function describeFinding(f: Finding): string {
  return `${f.title} (${f.masked}) is hardcoded`;
}

export { RULES };
