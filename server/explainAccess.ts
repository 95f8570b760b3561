/**
 * *Explain* for an AccessDenied in the editor: the decision for this member,
 * `action` and `resource`, with every statement that matched and the one
 * that decided, from the same engine the core's pipeline uses.
 *
 * - A team store: `TeamPolicies.simulate` (what `hush policy simulate`
 *   prints). It reads the team's policies, so it needs team:ListPolicies;
 *   a member without it gets their own decision, evaluated here from the
 *   policies attached to them and their groups (which any member can read
 *   from the database anyway), and is told so.
 * - An embedded store: `.hush/policy.json` in the store folder, as the core
 *   reads it (no file: everything is allowed).
 *
 * Loaded with the store (server/coreOps.ts requires it on first use).
 */
import * as fs from 'node:fs';
import { isHushError } from '../shared/errors';
import type { OpenedStore } from '../shared/compose/openStore';
import type { AccessRequest } from '../shared/policy/access';
import { evaluate, type Explanation } from '../shared/policy/engine';
import { FilePolicySource, TeamPolicySource } from '../shared/policy/sources';
import type { AccessExplanation } from '../shared/protocol';
import { resolveResource } from './accessTargets';

function shape(e: Explanation, o: OpenedStore, action: string, resource: string, names: readonly string[], tags: Readonly<Record<string, string>> | undefined, basis: AccessExplanation['basis'], policyFile?: string): AccessExplanation {
  return {
    principal: o.caller.principal,
    action,
    resource,
    names: [...names],
    ...(tags && Object.keys(tags).length ? { tags: { ...tags } } : {}),
    effect: e.effect,
    reason: e.reason,
    ...(e.decidedBy ? { decidedBy: { ...e.decidedBy } } : {}),
    matched: e.matched.map((s) => ({ policy: s.policy, sid: s.sid, effect: s.effect })),
    store: o.kind,
    basis,
    ...(policyFile ? { policyFile } : {}),
  };
}

export async function explainAccess(o: OpenedStore, action: string, resource: string): Promise<AccessExplanation> {
  if (o.kind === 'team' && o.policies) {
    // Asked first, so a member who may not read the policies does not add a denial to the audit each time.
    if (o.manager.decide('team:ListPolicies', { audit: {}, ref: { names: ['*'] } }).effect === 'Allow') {
      try {
        const s = await o.policies.simulate(o.caller.principal, action, resource, o.caller.source);
        return shape(s, o, action, resource, s.resource.names, s.resource.tags, 'team-simulation');
      } catch (e) {
        if (!(isHushError(e) && e.code === 'AccessDenied')) throw e;
      }
    }
    // No team:ListPolicies: the member's own policies, as the pipeline evaluates them.
    const target = await resolveResource(o.store, resource);
    const source = new TeamPolicySource();
    await o.store.transact((tx) => source.refresh(tx));
    const req: AccessRequest = { caller: o.caller, action, resource: target.ref };
    return shape(evaluate(source.forPrincipal(o.caller.principal), req), o, action, resource, target.ref.names, target.ref.tags, 'own-policies');
  }
  const target = await resolveResource(o.store, resource);
  const source = new FilePolicySource(o.path);
  const req: AccessRequest = { caller: o.caller, action, resource: target.ref };
  const present = fs.existsSync(source.file);
  return shape(evaluate(source.forPrincipal(), req), o, action, resource, target.ref.names, target.ref.tags, present ? 'policy-file' : 'no-policy-file', source.file);
}
