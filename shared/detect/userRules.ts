/**
 * User rules and overrides, from settings or `.hush/rules.json`:
 *
 *   {
 *     "rules": [{ "id": "acme-api-key", "title": "ACME API key", "regex": "(acme_[a-z0-9]{32})",
 *                 "keywords": ["acme_"], "severity": "error", "entropy": 3, "envVar": "ACME_API_KEY" }],
 *     "disable": ["generic-token"],
 *     "severity": { "jwt": "info" }
 *   }
 *
 * A malformed rule is reported with its id (or index) and the problem, and
 * left out; everything else keeps working. User regexes run on the
 * linear-time engine (`linearRegex.ts`, re2js): a pattern it cannot run is
 * refused with a message naming the rule.
 */
import type { Severity } from './finding';
import { LinearRegExp } from './linearRegex';
import type { Category, Rule } from './rule';

export interface UserRuleConfig {
  rules?: unknown;
  disable?: unknown;
  severity?: unknown;
}

export interface LoadedUserRules {
  readonly rules: Rule[];
  readonly disabled: Set<string>;
  readonly severities: Map<string, Severity>;
  /** One line each: `rule 'acme-api-key': regex does not compile: …`. */
  readonly errors: string[];
}

const SEVERITIES = new Set(['error', 'warning', 'info']);
const CATEGORIES = new Set<Category>(['cloud', 'vcs-ci', 'registry', 'payments', 'messaging', 'ai', 'observability', 'database', 'private-key', 'auth', 'saas', 'generic']);

/** Validates a user configuration (already parsed JSON) against the built-in rule ids. */
export function loadUserRules(config: UserRuleConfig | null | undefined, builtinIds: ReadonlySet<string>): LoadedUserRules {
  const out: LoadedUserRules = { rules: [], disabled: new Set(), severities: new Map(), errors: [] };
  if (config === null || config === undefined) return out;
  if (typeof config !== 'object') {
    out.errors.push('rules configuration must be an object with "rules", "disable" and/or "severity"');
    return out;
  }
  const ids = new Set(builtinIds);
  if (config.rules !== undefined) {
    if (!Array.isArray(config.rules)) out.errors.push('"rules" must be a list');
    else
      config.rules.forEach((raw, i) => {
        const r = checkRule(raw, i, ids);
        if (typeof r === 'string') out.errors.push(r);
        else {
          ids.add(r.id);
          out.rules.push(r);
        }
      });
  }
  if (config.disable !== undefined) {
    if (!Array.isArray(config.disable)) out.errors.push('"disable" must be a list of rule ids');
    else
      for (const id of config.disable) {
        if (typeof id !== 'string' || !ids.has(id)) out.errors.push(`"disable": no rule '${String(id)}'`);
        else out.disabled.add(id);
      }
  }
  if (config.severity !== undefined) {
    if (typeof config.severity !== 'object' || config.severity === null || Array.isArray(config.severity))
      out.errors.push('"severity" must map rule ids to error, warning or info');
    else
      for (const [id, level] of Object.entries(config.severity as Record<string, unknown>)) {
        if (!ids.has(id)) out.errors.push(`"severity": no rule '${id}'`);
        else if (typeof level !== 'string' || !SEVERITIES.has(level)) out.errors.push(`"severity": rule '${id}': '${String(level)}' is not error, warning or info`);
        else out.severities.set(id, level as Severity);
      }
  }
  return out;
}

function checkRule(raw: unknown, index: number, taken: ReadonlySet<string>): Rule | string {
  if (typeof raw !== 'object' || raw === null) return `rule #${index + 1}: must be an object`;
  const r = raw as Record<string, unknown>;
  const name = typeof r.id === 'string' ? `rule '${r.id}'` : `rule #${index + 1}`;
  if (typeof r.id !== 'string' || !/^[a-z0-9][a-z0-9-]{1,63}$/.test(r.id)) return `${name}: "id" must be kebab-case (a-z, 0-9, -)`;
  if (taken.has(r.id)) return `${name}: id is already used by another rule`;
  if (typeof r.regex !== 'string' || !r.regex) return `${name}: "regex" must be a non-empty string`;
  if (typeof r.flags === 'string' && /[^gimsyd]/.test(r.flags)) return `${name}: "flags" may only contain i, m and s`;
  try {
    new RegExp(r.regex, typeof r.flags === 'string' ? r.flags.replace(/[gyd]/g, '') : '');
  } catch (e) {
    return `${name}: regex does not compile: ${(e as Error).message}`;
  }
  let regex: LinearRegExp;
  try {
    regex = new LinearRegExp(r.regex, typeof r.flags === 'string' ? r.flags.replace(/[gyd]/g, '') + 'gd' : 'gd');
  } catch (e) {
    return `${name}: regex ${(e as Error).message}`;
  }
  const groups = regex.groupCount;
  const secretGroup = r.secretGroup === undefined ? 1 : r.secretGroup;
  if (groups < 1) return `${name}: regex needs a capture group around the secret`;
  if (typeof secretGroup !== 'number' || !Number.isInteger(secretGroup) || secretGroup < 1 || secretGroup > groups)
    return `${name}: "secretGroup" must be a capture group number between 1 and ${groups}`;
  if (!Array.isArray(r.keywords) || r.keywords.length === 0 || r.keywords.some((k) => typeof k !== 'string' || !k || /[^\x20-\x7e]/.test(k)))
    return `${name}: "keywords" must be a non-empty list of ASCII strings`;
  if (r.severity !== undefined && (typeof r.severity !== 'string' || !SEVERITIES.has(r.severity))) return `${name}: "severity" must be error, warning or info`;
  if (r.entropy !== undefined && (typeof r.entropy !== 'number' || r.entropy < 0 || r.entropy > 8)) return `${name}: "entropy" must be a number of bits per character (0–8)`;
  if (r.category !== undefined && !CATEGORIES.has(r.category as Category)) return `${name}: "category" must be one of ${[...CATEGORIES].join(', ')}`;
  const envVar = typeof r.envVar === 'string' && /^[A-Z_][A-Z0-9_]*$/.test(r.envVar) ? r.envVar : r.id.toUpperCase().replace(/-/g, '_');
  return {
    id: r.id,
    title: typeof r.title === 'string' && r.title ? r.title : r.id,
    category: (r.category as Category) ?? 'generic',
    kind: typeof r.kind === 'string' ? r.kind : 'secret',
    severity: (r.severity as Severity) ?? 'warning',
    keywords: (r.keywords as string[]).map((k) => k.toLowerCase()),
    regex,
    secretGroup,
    entropy: r.entropy as number | undefined,
    envVar,
    secretName: typeof r.secretName === 'string' ? r.secretName : envVar.toLowerCase().replace(/_/g, '-'),
    confidence: 'medium',
    priority: 1,
  };
}
