/**
 * Groups and access policies of a team store, as audited operations:
 * team:CreateGroup / DeleteGroup / AddToGroup / RemoveFromGroup / ListGroups,
 * team:PutPolicy / DeletePolicy / AttachPolicy / DetachPolicy / ListPolicies /
 * GetPolicy. Documents are checked whole before they are stored
 * (policy/document.ts). `simulate` explains the decision for any member,
 * action and resource with the same engine the pipeline uses.
 */
import { HushError } from '../errors';
import type { Pipeline, Target } from '../core/pipeline';
import type { Kms } from '../kms/kms';
import { keyTarget } from '../kms/kms';
import type { Caller, ResourceRef, Source } from '../policy/access';
import { parsePolicyDocument, type PolicyDocument } from '../policy/document';
import { evaluate, type Explanation } from '../policy/engine';
import { TeamPolicySource } from '../policy/sources';
import type { StoreTx } from '../store/store';
import { isTeamTx, type TeamStoreTx } from '../store/team';

export interface PolicyInfo {
  name: string;
  updatedAt: string;
  updatedBy: string;
  attachedTo: string[];
  document: PolicyDocument | unknown;
}

export interface GroupInfo {
  name: string;
  members: string[];
  policies: string[];
}

export interface Simulation extends Explanation {
  member: string;
  action: string;
  resource: ResourceRef;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,127}$/;

function checkName(kind: string, name: string): void {
  if (!NAME.test(name)) throw new HushError('InvalidArgument', `${kind} name '${name.slice(0, 80)}' must be 1 to 128 letters, digits and . _ @ + = - (starting with a letter or digit)`);
}

function target(kind: 'group' | 'policy', name: string): Target {
  return { audit: { [kind]: name }, ref: { names: [`${kind}:${name}`] } };
}

export class TeamPolicies {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly kms: Kms,
  ) {}

  private tx(tx: StoreTx): TeamStoreTx {
    if (!isTeamTx(tx)) throw new HushError('InvalidArgument', 'groups and stored policies belong to a team store; a single-user store reads .hush/policy.json in its folder');
    return tx;
  }

  private async memberId(t: TeamStoreTx, name: string): Promise<string> {
    const m = await t.findMemberByName(name);
    if (!m) throw new HushError('NotFound', `no member named '${name}'; list them with 'hush member list'`);
    return m.id;
  }

  createGroup(name: string): Promise<void> {
    return this.pipeline.run('team:CreateGroup', { group: name }, async () => target('group', name), async ({ tx }) => {
      const t = this.tx(tx);
      checkName('group', name);
      if ((await t.listGroups()).some((g) => g.name === name)) throw new HushError('InvalidArgument', `there is already a group named '${name}'`);
      await t.putGroup({ name, createdAt: this.pipeline.clock().toISOString(), createdBy: this.pipeline.caller.principal });
    });
  }

  deleteGroup(name: string): Promise<void> {
    return this.pipeline.run('team:DeleteGroup', { group: name }, async () => target('group', name), async ({ tx }) => {
      const t = this.tx(tx);
      if (!(await t.listGroups()).some((g) => g.name === name)) throw new HushError('NotFound', `no group named '${name}'`);
      await t.deleteGroup(name);
    });
  }

  addToGroup(group: string, member: string): Promise<void> {
    return this.pipeline.run('team:AddToGroup', { group, member }, async () => target('group', group), async ({ tx }) => {
      const t = this.tx(tx);
      if (!(await t.listGroups()).some((g) => g.name === group)) throw new HushError('NotFound', `no group named '${group}'; create it with 'hush group create ${group}'`);
      await t.addToGroup(group, await this.memberId(t, member));
    });
  }

  removeFromGroup(group: string, member: string): Promise<void> {
    return this.pipeline.run('team:RemoveFromGroup', { group, member }, async () => target('group', group), async ({ tx }) => {
      const t = this.tx(tx);
      await t.removeFromGroup(group, await this.memberId(t, member));
    });
  }

  listGroups(): Promise<GroupInfo[]> {
    return this.pipeline.run('team:ListGroups', {}, undefined, async ({ tx }) => {
      const t = this.tx(tx);
      const names = new Map((await t.listMembers()).map((m) => [m.id, m.name]));
      const attachments = await t.listAttachments();
      return (await t.listGroups()).map((g) => ({
        name: g.name,
        members: g.members.map((id) => names.get(id) ?? id).sort(),
        policies: attachments.filter((a) => a.group === g.name).map((a) => a.policy).sort(),
      }));
    });
  }

  putPolicy(name: string, document: unknown): Promise<PolicyDocument> {
    return this.pipeline.run('team:PutPolicy', { policy: name }, async () => target('policy', name), async ({ tx }) => {
      const t = this.tx(tx);
      checkName('policy', name);
      const doc = parsePolicyDocument(document);
      await t.putPolicy({ name, document: doc, updatedAt: this.pipeline.clock().toISOString(), updatedBy: this.pipeline.caller.principal });
      return doc;
    });
  }

  deletePolicy(name: string): Promise<void> {
    return this.pipeline.run('team:DeletePolicy', { policy: name }, async () => target('policy', name), async ({ tx }) => {
      const t = this.tx(tx);
      if (!(await t.listPolicies()).some((p) => p.name === name)) throw new HushError('NotFound', `no policy named '${name}'`);
      await t.deletePolicy(name);
    });
  }

  /** Attaches (or with `detach`, detaches) a policy to one member, one group, or one application of hush serve. */
  attach(policy: string, to: { member?: string; group?: string; app?: string }, detach = false): Promise<void> {
    if ([to.member, to.group, to.app].filter((x) => x !== undefined).length !== 1) throw new HushError('InvalidArgument', 'give exactly one of --member NAME, --group NAME and --app NAME');
    const action = detach ? 'team:DetachPolicy' : 'team:AttachPolicy';
    const who: Record<string, string> = to.member !== undefined ? { member: to.member } : to.group !== undefined ? { group: to.group } : { app: to.app! };
    return this.pipeline.run(action, { policy, ...who }, async () => target('policy', policy), async ({ tx }) => {
      const t = this.tx(tx);
      if (!(await t.listPolicies()).some((p) => p.name === policy)) throw new HushError('NotFound', `no policy named '${policy}'; store one with 'hush policy put ${policy} FILE'`);
      let a;
      if (to.member !== undefined) a = { policy, memberId: await this.memberId(t, to.member) };
      else if (to.app !== undefined) a = { policy, principal: `app:${to.app}` };
      else {
        if (!(await t.listGroups()).some((g) => g.name === to.group)) throw new HushError('NotFound', `no group named '${to.group}'`);
        a = { policy, group: to.group! };
      }
      if (detach) await t.detach(a);
      else await t.attach(a);
    });
  }

  listPolicies(): Promise<PolicyInfo[]> {
    return this.pipeline.run('team:ListPolicies', {}, undefined, async ({ tx }) => this.policiesIn(this.tx(tx)));
  }

  getPolicy(name: string): Promise<PolicyInfo> {
    return this.pipeline.run('team:GetPolicy', { policy: name }, async () => target('policy', name), async ({ tx }) => {
      const p = (await this.policiesIn(this.tx(tx))).find((x) => x.name === name);
      if (!p) throw new HushError('NotFound', `no policy named '${name}'; list them with 'hush policy list'`);
      return p;
    });
  }

  private async policiesIn(t: TeamStoreTx): Promise<PolicyInfo[]> {
    const names = new Map((await t.listMembers()).map((m) => [m.id, m.name]));
    const attachments = await t.listAttachments();
    return (await t.listPolicies()).map((p) => ({
      name: p.name,
      updatedAt: p.updatedAt,
      updatedBy: p.updatedBy,
      document: p.document,
      attachedTo: attachments
        .filter((a) => a.policy === p.name)
        .map((a) => (a.memberId ? `member:${names.get(a.memberId) ?? a.memberId}` : a.principal ? a.principal : `group:${a.group}`))
        .sort(),
    }));
  }

  /**
   * The decision for `member` doing `action` on `resource` (a secret or key
   * as a policy names it), with every statement that matched. A resource
   * that exists is resolved to its canonical names and tags first, exactly
   * as the pipeline does. Audited as team:ListPolicies (it reads them).
   */
  simulate(member: string, action: string, resource: string, source: Source = 'cli'): Promise<Simulation> {
    return this.pipeline.run('team:ListPolicies', {}, undefined, async ({ tx }) => {
      const t = this.tx(tx);
      if (!(await t.findMemberByName(member))) throw new HushError('NotFound', `no member named '${member}'`);
      const ref = await this.resolve(t, resource);
      const policies = new TeamPolicySource();
      await policies.refresh(t);
      const caller: Caller = { principal: member, groups: [], source, auth: 'simulated', host: '' };
      const e = evaluate(policies.forPrincipal(member), { caller, action, resource: ref });
      return { ...e, member, action, resource: ref };
    });
  }

  private async resolve(t: TeamStoreTx, resource: string): Promise<ResourceRef> {
    if (resource.startsWith('secret:')) {
      const ref = resource.slice('secret:'.length);
      const s = (await t.findSecretByName(ref)) ?? (await t.getSecret(ref));
      if (s) return { names: [`secret:${s.name}`, `secret:${s.id}`], tags: { ...s.tags } };
    }
    if (resource.startsWith('key:')) {
      try {
        const k = await this.kms.resolveIn(t, resource.slice('key:'.length));
        return keyTarget(k, await this.kms.aliasesOfIn(t, k.id)).ref;
      } catch {
        /* not there: decide on the name as given */
      }
    }
    return { names: [resource] };
  }
}
