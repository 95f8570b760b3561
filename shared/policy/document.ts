/**
 * Access policy documents in the shape IAM users know:
 *
 *   { "Version": "2012-10-17",
 *     "Statement": [ { "Sid": "ReadProd", "Effect": "Allow",
 *                      "Action": ["secrets:GetSecretValue", "kms:Decrypt"],
 *                      "Resource": ["secret:prod/*", "key:alias/prod"],
 *                      "Condition": { "StringEquals": { "hush:ResourceTag/team": "payments" } } } ] }
 *
 * Action / NotAction, Resource / NotResource (exactly one of each pair),
 * `*` and `?` wildcards. Resources are `secret:NAME-OR-ID`, `key:ID`,
 * `key:alias/NAME`, `member:NAME`, `group:NAME`, `policy:NAME` or `*`. Condition operators:
 * StringEquals, StringNotEquals, StringLike, StringNotLike, Bool; keys:
 * `hush:ResourceTag/<tag>`, `hush:PrincipalName`, `hush:PrincipalGroup`,
 * `hush:RequestSource` (editor | cli | serve), and the Bool keys
 * `hush:ViaEditor`, `hush:ViaCli`, `hush:ViaServe`.
 *
 * A document is checked whole before it is stored: the first problem is
 * reported with the path of the bad field (`Statement[1].Action[0]`), and
 * nothing is stored.
 */
import { HushError } from '../errors';
import { ACTIONS } from './actions';

export type Effect = 'Allow' | 'Deny';
export type ConditionOperator = 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'StringNotLike' | 'Bool';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: Readonly<Partial<Record<ConditionOperator, Readonly<Record<string, readonly string[]>>>>>;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Statement[];
}

export const VERSIONS = ['2012-10-17', '2026-12-01'] as const;
const OPERATORS: readonly ConditionOperator[] = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'Bool'];
const STRING_KEYS = ['hush:PrincipalName', 'hush:PrincipalGroup', 'hush:RequestSource'];
const BOOL_KEYS = ['hush:ViaEditor', 'hush:ViaCli', 'hush:ViaServe'];
const RESOURCE_KINDS = ['secret:', 'key:', 'member:', 'group:', 'policy:', 'credential:'];
const SERVICES = [...new Set(ACTIONS.map((a) => a.split(':')[0]!))];

function bad(path: string, what: string): HushError {
  return new HushError('InvalidArgument', `invalid policy: ${path} ${what}`);
}

function stringList(v: unknown, path: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) throw bad(path, 'must be a string or a non-empty list of strings');
  list.forEach((x, i) => {
    if (typeof x !== 'string' || x.length === 0) throw bad(`${path}[${i}]`, 'must be a non-empty string');
  });
  return list as string[];
}

function closest(word: string, options: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let score = Infinity;
  for (const o of options) {
    const d = distance(w, o.toLowerCase());
    if (d < score) [best, score] = [o, d];
  }
  return score <= Math.max(2, Math.floor(w.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function checkAction(a: string, path: string): void {
  if (a === '*') return;
  const [service, name] = a.split(':');
  if (!name || !SERVICES.includes(service!)) throw bad(path, `'${a}' is not an action: write SERVICE:NAME with SERVICE one of ${SERVICES.join(', ')}`);
  if (/[*?]/.test(name)) return;
  const known = ACTIONS.find((x) => x.toLowerCase() === a.toLowerCase());
  if (!known) {
    const hint = closest(a, ACTIONS);
    throw bad(path, `'${a}' is not a Hush action${hint ? ` (did you mean ${hint}?)` : ''}; 'hush policy actions' lists them`);
  }
}

function checkResource(r: string, path: string): void {
  if (r === '*') return;
  if (!RESOURCE_KINDS.some((k) => r.startsWith(k)) || r.length === r.indexOf(':') + 1) {
    throw bad(path, `'${r}' is not a resource: use secret:NAME, key:ID, key:alias/NAME, member:NAME, group:NAME, policy:NAME, credential:NAME (wildcards * and ? allowed) or *`);
  }
}

function checkCondition(c: unknown, path: string): Statement['Condition'] {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw bad(path, 'must be an object of operators');
  const out: Partial<Record<ConditionOperator, Record<string, string[]>>> = {};
  for (const [op, body] of Object.entries(c)) {
    if (!OPERATORS.includes(op as ConditionOperator)) throw bad(`${path}.${op}`, `is not a supported operator (${OPERATORS.join(', ')})`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad(`${path}.${op}`, 'must be an object of condition keys');
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const p = `${path}.${op}["${key}"]`;
      if (op === 'Bool') {
        if (!BOOL_KEYS.includes(key)) throw bad(p, `is not a Bool key (${BOOL_KEYS.join(', ')})`);
        const vs = stringList(typeof value === 'boolean' ? String(value) : value, p);
        vs.forEach((v, i) => {
          if (v !== 'true' && v !== 'false') throw bad(`${p}[${i}]`, "must be 'true' or 'false'");
        });
        keys[key] = vs;
        continue;
      }
      if (!STRING_KEYS.includes(key) && !/^hush:ResourceTag\/.{1,128}$/.test(key)) {
        throw bad(p, `is not a condition key (hush:ResourceTag/TAG, ${STRING_KEYS.join(', ')})`);
      }
      keys[key] = stringList(value, p);
    }
    out[op as ConditionOperator] = keys;
  }
  return out;
}

/** Checks a parsed JSON value and returns it as a document (lists normalized); throws at the first bad field. */
export function parsePolicyDocument(raw: unknown): PolicyDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('the document', 'must be a JSON object with Version and Statement');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'Version' && k !== 'Statement' && k !== 'Id') throw bad(k, 'is not a policy field (Version, Statement, Id)');
  if (!VERSIONS.includes(o.Version as (typeof VERSIONS)[number])) throw bad('Version', `must be ${VERSIONS.map((v) => `"${v}"`).join(' or ')}`);
  const list = Array.isArray(o.Statement) ? o.Statement : o.Statement !== undefined ? [o.Statement] : undefined;
  if (!list || list.length === 0) throw bad('Statement', 'must be a statement or a non-empty list of statements');
  const sids = new Set<string>();
  const statements = list.map((s, i): Statement => {
    const path = `Statement[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw bad(path, 'must be an object');
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st)) {
      if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) throw bad(`${path}.${k}`, 'is not a statement field');
    }
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(st.Sid)) throw bad(`${path}.Sid`, 'must be letters and digits (1 to 128)');
      if (sids.has(st.Sid)) throw bad(`${path}.Sid`, `'${st.Sid}' is used twice in this document`);
      sids.add(st.Sid);
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw bad(`${path}.Effect`, 'must be "Allow" or "Deny"');
    if ((st.Action === undefined) === (st.NotAction === undefined)) throw bad(path, 'needs exactly one of Action and NotAction');
    if ((st.Resource === undefined) === (st.NotResource === undefined)) throw bad(path, 'needs exactly one of Resource and NotResource');
    const field = st.Action !== undefined ? 'Action' : 'NotAction';
    const actions = stringList(st[field], `${path}.${field}`);
    actions.forEach((a, j) => checkAction(a, `${path}.${field}[${j}]`));
    const rfield = st.Resource !== undefined ? 'Resource' : 'NotResource';
    const resources = stringList(st[rfield], `${path}.${rfield}`);
    resources.forEach((r, j) => checkResource(r, `${path}.${rfield}[${j}]`));
    return {
      ...(st.Sid !== undefined ? { Sid: st.Sid as string } : {}),
      Effect: st.Effect,
      [field]: actions,
      [rfield]: resources,
      ...(st.Condition !== undefined ? { Condition: checkCondition(st.Condition, `${path}.Condition`) } : {}),
    };
  });
  return { Version: o.Version as string, Statement: statements };
}

/** Parses policy JSON text; a syntax error is reported with where it is. */
export function parsePolicyText(text: string, what = 'the policy'): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HushError('InvalidArgument', `invalid policy: ${what} is not valid JSON (${(e as Error).message})`);
  }
  return parsePolicyDocument(raw);
}
