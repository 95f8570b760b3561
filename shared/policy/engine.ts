/**
 * Evaluates policy documents for one request, the way IAM does: every
 * statement of every policy that applies to the caller is matched against
 * the action, the resource's canonical names and the conditions; an
 * explicit Deny wins, else an Allow allows, else the default decides (deny
 * on a team store; allow on a single-user store without a policy file). The
 * result carries every statement that matched and the one that decided, for
 * `hush policy simulate` and AccessDenied messages.
 */
import type { AccessRequest, Authorizer, Decision } from './access';
import type { ConditionOperator, Effect, PolicyDocument, Statement } from './document';
import type { StoreTx } from '../store/store';

export interface AttachedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface MatchedStatement {
  readonly policy: string;
  readonly sid: string;
  readonly effect: Effect;
}

export interface Explanation extends Decision {
  readonly matched: readonly MatchedStatement[];
}

/** What applies to one principal: their policies (own and their groups'), their groups, the default. */
export interface PrincipalPolicies {
  readonly policies: readonly AttachedPolicy[];
  readonly groups: readonly string[];
  readonly defaultEffect: Effect;
  /** When the policies cannot be used (an invalid policy file): every request is denied with this reason. */
  readonly broken?: string;
}

const compiled = new Map<string, RegExp>();

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcard(pattern: string, value: string, caseless = false): boolean {
  const key = `${caseless ? 'i' : 's'}:${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\/-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseless ? 'si' : 's');
    if (compiled.size > 5000) compiled.clear();
    compiled.set(key, re);
  }
  return re.test(value);
}

function sidOf(s: Statement, i: number): string {
  return s.Sid ?? `statement ${i + 1}`;
}

/** The values a condition key has for this request (several for groups; none when absent). */
function keyValues(key: string, r: AccessRequest, groups: readonly string[]): string[] {
  if (key === 'hush:PrincipalName') return [r.caller.principal];
  if (key === 'hush:PrincipalGroup') return [...groups];
  if (key === 'hush:RequestSource') return [r.caller.source];
  if (key === 'hush:ViaEditor') return [String(r.caller.source === 'editor')];
  if (key === 'hush:ViaCli') return [String(r.caller.source === 'cli')];
  if (key === 'hush:ViaServe') return [String(r.caller.source === 'serve')];
  const tag = /^hush:ResourceTag\/(.+)$/.exec(key);
  if (tag) {
    const v = r.resource.tags?.[tag[1]!];
    return v === undefined ? [] : [v];
  }
  return [];
}

function conditionHolds(op: ConditionOperator, key: string, wanted: readonly string[], r: AccessRequest, groups: readonly string[]): boolean {
  const have = keyValues(key, r, groups);
  switch (op) {
    case 'StringEquals':
    case 'Bool':
      return have.some((h) => wanted.includes(h));
    case 'StringNotEquals':
      return !have.some((h) => wanted.includes(h));
    case 'StringLike':
      return have.some((h) => wanted.some((w) => wildcard(w, h)));
    case 'StringNotLike':
      return !have.some((h) => wanted.some((w) => wildcard(w, h)));
  }
}

export function statementMatches(s: Statement, r: AccessRequest, groups: readonly string[]): boolean {
  const actionHit = (list: readonly string[]) => list.some((a) => wildcard(a, r.action, true));
  if (s.Action ? !actionHit(s.Action) : actionHit(s.NotAction!)) return false;
  const resourceHit = (list: readonly string[]) => list.some((p) => p === '*' || r.resource.names.some((n) => wildcard(p, n)));
  if (s.Resource ? !resourceHit(s.Resource) : resourceHit(s.NotResource!)) return false;
  for (const [op, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, wanted] of Object.entries(keys ?? {})) {
      if (!conditionHolds(op as ConditionOperator, key, wanted, r, groups)) return false;
    }
  }
  return true;
}

export function evaluate(p: PrincipalPolicies, r: AccessRequest): Explanation {
  if (p.broken) return { effect: 'Deny', reason: p.broken, matched: [] };
  const matched: MatchedStatement[] = [];
  for (const pol of p.policies) {
    pol.document.Statement.forEach((s, i) => {
      if (statementMatches(s, r, p.groups)) matched.push({ policy: pol.name, sid: sidOf(s, i), effect: s.Effect });
    });
  }
  const deny = matched.find((m) => m.effect === 'Deny');
  if (deny) return { effect: 'Deny', decidedBy: { policy: deny.policy, sid: deny.sid }, reason: `denied by policy '${deny.policy}', statement ${deny.sid}`, matched };
  const allow = matched.find((m) => m.effect === 'Allow');
  if (allow) return { effect: 'Allow', decidedBy: { policy: allow.policy, sid: allow.sid }, reason: `allowed by policy '${allow.policy}', statement ${allow.sid}`, matched };
  return {
    effect: p.defaultEffect,
    reason: p.defaultEffect === 'Deny' ? 'no statement allows it' : 'allowed: a single-user store without a policy file',
    matched,
  };
}

/** Where an authorizer gets the policies of a principal, refreshed at the start of each operation. */
export interface PolicySource {
  /** Called inside each operation's transaction, before any decision (re-reads what changed). */
  refresh(tx: StoreTx): Promise<void>;
  forPrincipal(principal: string): PrincipalPolicies;
}

export class PolicyAuthorizer implements Authorizer {
  constructor(private readonly source: PolicySource) {}

  refresh(tx: StoreTx): Promise<void> {
    return this.source.refresh(tx);
  }

  decide(r: AccessRequest): Decision {
    return this.explain(r);
  }

  explain(r: AccessRequest): Explanation {
    return evaluate(this.source.forPrincipal(r.caller.principal), r);
  }
}
