/**
 * A folder's own detection settings, shared by `hush scan` and the language
 * server: `.hush/rules.json` (user rules, disabled rule ids, severities) and
 * `.hush/baseline.json` (accepted findings, by fingerprint).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Baseline, BaselineEntry } from './baseline';
import type { Rule } from './rule';
import { RULES } from './rules';
import { LoadedUserRules, loadUserRules } from './userRules';

export const RULES_FILE = path.join('.hush', 'rules.json');
export const BASELINE_FILE = path.join('.hush', 'baseline.json');

export interface FolderRules {
  readonly rules: readonly Rule[];
  readonly disabledRules: ReadonlySet<string>;
  readonly severities: LoadedUserRules['severities'];
  /** One line each, naming the file and the rule; the other rules keep working. */
  readonly errors: string[];
}

const BUILTIN_IDS = new Set(RULES.map((r) => r.id));

/** Reads a rules file; an absent file means the built-in rules. */
export function readRulesFile(file: string): FolderRules {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { rules: RULES, disabledRules: new Set(), severities: new Map(), errors: [] };
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    return { rules: RULES, disabledRules: new Set(), severities: new Map(), errors: [`${file} is not valid JSON (${(e as Error).message}); using the built-in rules`] };
  }
  const loaded = loadUserRules(config as never, BUILTIN_IDS);
  return {
    rules: loaded.rules.length ? [...RULES, ...loaded.rules] : RULES,
    disabledRules: loaded.disabled,
    severities: loaded.severities,
    errors: loaded.errors.map((e) => `${file}: ${e}`),
  };
}

/** Reads a baseline; absent is undefined, a broken one throws naming the file and the problem. */
export function readBaselineFile(file: string): Baseline | undefined {
  return fs.existsSync(file) ? Baseline.load(file) : undefined;
}

/** The rules file's text with `ruleId` added to "disable", keeping everything else. */
export function withDisabledRule(text: string | undefined, ruleId: string): string {
  const config = text && text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  const disable = Array.isArray(config.disable) ? (config.disable as unknown[]).filter((x) => x !== ruleId) : [];
  return JSON.stringify({ ...config, disable: [...disable, ruleId] }, null, 2) + '\n';
}

/** The baseline's text with one more accepted finding (a fresh baseline when there is none). */
export function withBaselineEntry(baseline: Baseline | undefined, entry: BaselineEntry): string {
  const b = baseline ?? Baseline.fresh();
  const entries = b.file.findings.filter((e) => e.fingerprint !== entry.fingerprint);
  return JSON.stringify(b.withEntries([...entries, entry]).file, null, 2) + '\n';
}
