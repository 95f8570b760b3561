/**
 * Access policy: IAM-style statements (effect, actions, resources) per
 * principal, checked before every operation (audit/audited.ts). Deny wins over
 * Allow; with no statement matching, the default decides (the embedded store
 * is single-user, so its default is Allow; a team store passes 'Deny').
 * Patterns use `*` as a wildcard: actions like `secrets:Get*`, resources like
 * `secret:prod/*` or `key:alias/payments`.
 */
import { HushError } from '../errors';
import type { AccessRequest, Authorizer, Decision } from './access';

export interface Statement {
  effect: 'Allow' | 'Deny';
  principals: string[];
  actions: string[];
  resources: string[];
}

function glob(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(s);
}

/** The resource names a statement can match, from an audit resource map. */
export function resourceNames(resource: Record<string, string>): string[] {
  const out: string[] = [];
  if (resource.secretName) out.push(`secret:${resource.secretName}`);
  if (resource.secretId) out.push(`secret:${resource.secretId}`);
  if (resource.keyId) out.push(`key:${resource.keyId}`);
  if (resource.alias) out.push(`key:${resource.alias}`);
  return out.length ? out : ['*'];
}

export class Policy implements Authorizer {
  constructor(
    private readonly statements: Statement[],
    private readonly defaultEffect: 'Allow' | 'Deny' = 'Allow',
  ) {}

  decide(r: AccessRequest): Decision {
    const d = this.match(r.caller.principal, r.action, r.resource.names);
    const i = d.statement ? this.statements.indexOf(d.statement) : -1;
    return {
      effect: d.effect,
      ...(i >= 0 ? { decidedBy: { sid: `statement ${i + 1}` } } : {}),
      reason: d.statement ? `${d.effect === 'Deny' ? 'denied' : 'allowed'} by statement ${i + 1}` : d.effect === 'Deny' ? 'no statement allows it' : 'allowed by default',
    };
  }

  /** Which statement decides, for the "why was this denied?" explainer. */
  explain(principal: string, action: string, resource: Record<string, string>): { effect: 'Allow' | 'Deny'; statement?: Statement } {
    return this.match(principal, action, resourceNames(resource));
  }

  private match(principal: string, action: string, names: readonly string[]): { effect: 'Allow' | 'Deny'; statement?: Statement } {
    const matching = this.statements.filter(
      (s) =>
        s.principals.some((p) => glob(p, principal)) &&
        s.actions.some((a) => glob(a, action)) &&
        s.resources.some((r) => names.some((n) => glob(r, n))),
    );
    const deny = matching.find((s) => s.effect === 'Deny');
    if (deny) return { effect: 'Deny', statement: deny };
    const allow = matching.find((s) => s.effect === 'Allow');
    if (allow) return { effect: 'Allow', statement: allow };
    return { effect: this.defaultEffect };
  }

  authorize(principal: string, action: string, resource: Record<string, string>): void {
    const d = this.explain(principal, action, resource);
    if (d.effect === 'Deny') {
      throw new HushError(
        'AccessDenied',
        `${principal} may not ${action} on ${resourceNames(resource).join(', ')} (${d.statement ? 'denied by a policy statement' : 'no statement allows it'})`,
      );
    }
  }
}
