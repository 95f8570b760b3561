/**
 * Where policies come from.
 *
 * - A team store: documents in the database, attached to members and to
 *   groups; re-read at the start of every operation, inside its
 *   transaction, so a change by an administrator applies to the very next
 *   operation of every member. No statement matching means Deny.
 * - An embedded (single-user) store: the file `.hush/policy.json` in the
 *   store folder, applying to whoever opens the store. Without the file
 *   everything is allowed; with it, what it does not allow is denied; an
 *   invalid file denies everything and says why (fail closed), until fixed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoreTx } from '../store/store';
import { isTeamTx } from '../store/team';
import { parsePolicyDocument, parsePolicyText, type PolicyDocument } from './document';
import type { AttachedPolicy, PolicySource, PrincipalPolicies } from './engine';

export const POLICY_FILE = path.join('.hush', 'policy.json');

export class FilePolicySource implements PolicySource {
  private stamp = '';
  private current: PrincipalPolicies = { policies: [], groups: [], defaultEffect: 'Allow' };

  constructor(private readonly storeDir: string) {
    this.load();
  }

  get file(): string {
    return path.join(this.storeDir, POLICY_FILE);
  }

  private load(): void {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.file);
    } catch {
      st = undefined;
    }
    const stamp = st ? `${st.size}:${st.mtimeMs}:${st.ino}` : 'none';
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    if (!st) {
      this.current = { policies: [], groups: [], defaultEffect: 'Allow' };
      return;
    }
    try {
      const document = parsePolicyText(fs.readFileSync(this.file, 'utf8'), this.file);
      this.current = { policies: [{ name: POLICY_FILE, document }], groups: [], defaultEffect: 'Deny' };
    } catch (e) {
      this.current = {
        policies: [],
        groups: [],
        defaultEffect: 'Deny',
        broken: `the policy file ${this.file} cannot be used (${(e as Error).message.replace(/^invalid policy: /, '')}); every operation is refused until it is fixed or removed`,
      };
    }
  }

  async refresh(): Promise<void> {
    this.load();
  }

  forPrincipal(): PrincipalPolicies {
    return this.current;
  }
}

interface TeamSnapshot {
  /** Members by name, and application principals (app:NAME) by their principal name. */
  byMember: Map<string, { policies: AttachedPolicy[]; groups: string[] }>;
  invalid: string[];
}

export class TeamPolicySource implements PolicySource {
  private snapshot: TeamSnapshot = { byMember: new Map(), invalid: [] };

  async refresh(tx: StoreTx): Promise<void> {
    if (!isTeamTx(tx)) return;
    // One after the other: a transaction is one connection, which runs one statement at a time.
    const members = await tx.listMembers();
    const groups = await tx.listGroups();
    const policies = await tx.listPolicies();
    const attachments = await tx.listAttachments();
    const docs = new Map<string, PolicyDocument>();
    const invalid: string[] = [];
    for (const p of policies) {
      try {
        docs.set(p.name, parsePolicyDocument(p.document));
      } catch {
        invalid.push(p.name); // edited behind Hush's back: it grants nothing
      }
    }
    const byMember = new Map<string, { policies: AttachedPolicy[]; groups: string[] }>();
    for (const m of members) {
      const mine = groups.filter((g) => g.members.includes(m.id)).map((g) => g.name);
      const names = new Set(attachments.filter((a) => a.memberId === m.id || (a.group !== undefined && mine.includes(a.group))).map((a) => a.policy));
      byMember.set(m.name, { policies: [...names].filter((n) => docs.has(n)).map((n) => ({ name: n, document: docs.get(n)! })), groups: mine });
    }
    for (const a of attachments) {
      if (a.principal === undefined || !docs.has(a.policy)) continue;
      const entry = byMember.get(a.principal) ?? { policies: [], groups: [] };
      entry.policies.push({ name: a.policy, document: docs.get(a.policy)! });
      byMember.set(a.principal, entry);
    }
    this.snapshot = { byMember, invalid };
  }

  forPrincipal(principal: string): PrincipalPolicies {
    const m = this.snapshot.byMember.get(principal);
    return { policies: m?.policies ?? [], groups: m?.groups ?? [], defaultEffect: 'Deny' };
  }
}
