/**
 * Members and grants of a team store, as audited operations of the pipeline:
 *
 *   team:AddMember      a member adds a person or machine by name and public
 *                       key, sealing the team key to them (no CMK yet);
 *   team:RemoveMember   their sealed copies are deleted and every key they
 *                       held gets new material, so what is written afterwards
 *                       is out of their reach;
 *   kms:CreateGrant     a member who holds a CMK seals each of its material
 *                       versions to another member;
 *   kms:RevokeGrant     the member's copies are deleted and the key rotated
 *                       (new material sealed to the remaining holders).
 *
 * Revocation cannot take back what a member already read: values they could
 * decrypt before must be rotated, and the results say which.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { HushError } from '../errors';
import type { Pipeline, Target } from '../core/pipeline';
import type { Kms } from '../kms/kms';
import { effectiveState } from '../kms/keyState';
import type { KeyMaterialRecord, KeyRecord, StoreTx } from '../store/store';
import { isTeamTx, type MemberRecord, type TeamStoreTx } from '../store/team';
import { sealTo } from './hpke';
import { scramSha256Verifier } from '../secrets/rotators/scramVerifier';
import { parsePublicKey } from './identity';
import { type Me, teamKeyInfo, TeamVault } from './teamVault';

export interface MemberInfo {
  name: string;
  publicKey: string;
  createdAt: string;
  addedBy: string;
  /** The CMKs this member holds a grant on (alias if it has one, else id). */
  keys: string[];
  isMe: boolean;
}

export interface RevokeResult {
  keyId: string;
  member: string;
  /** The new material version written after the revocation (HUSH keys). */
  rotatedTo?: number;
  /** Secrets under this key: values the member could read before; rotate them. */
  secretsToRotate: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function checkMemberName(name: string): void {
  if (!NAME.test(name)) throw new HushError('InvalidArgument', `member name '${name.slice(0, 70)}' must be 1 to 64 letters, digits and . _ @ - (starting with a letter or digit)`);
}

function memberTarget(name: string): Target {
  return { audit: { member: name }, ref: { names: [`member:${name}`] } };
}

export class Team {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly kms: Kms,
    private readonly vault: TeamVault,
    private readonly me: Me,
    private readonly teamKey: Uint8Array,
    private readonly storeId: string,
  ) {}

  private tx(tx: StoreTx): TeamStoreTx {
    if (!isTeamTx(tx)) throw new HushError('Internal', 'members exist on a team store only');
    return tx;
  }

  get memberName(): string {
    return this.me.name;
  }

  private async aliasOrId(tx: StoreTx, k: KeyRecord): Promise<string> {
    return (await this.kms.aliasesOfIn(tx, k.id))[0] ?? k.id;
  }

  listMembers(): Promise<MemberInfo[]> {
    return this.pipeline.run('team:ListMembers', {}, undefined, async ({ tx }) => {
      const t = this.tx(tx);
      const keys = await t.listKeys();
      const out: MemberInfo[] = [];
      for (const m of await t.listMembers()) {
        const held: string[] = [];
        for (const k of keys) {
          const current = k.materials.at(-1);
          if (current?.sealedTo?.[m.id] !== undefined && effectiveState(k, this.pipeline.clock()) !== 'Deleted') held.push(await this.aliasOrId(t, k));
        }
        out.push({ name: m.name, publicKey: m.publicKey, createdAt: m.createdAt, addedBy: m.addedBy, keys: held.sort(), isMe: m.id === this.me.id });
      }
      return out;
    });
  }

  /**
   * Adds a member. With `dbRole`, they get their own PostgreSQL role (made
   * if it does not exist, with a fresh password returned once), so the
   * database itself checks their writes against policy.
   */
  addMember(name: string, publicKey: string, o: { dbRole?: string } = {}): Promise<MemberInfo & { dbRole?: string; dbPassword?: string }> {
    return this.pipeline.run('team:AddMember', { member: name }, async () => memberTarget(name), async ({ tx }) => {
      const t = this.tx(tx);
      checkMemberName(name);
      const pk = parsePublicKey(publicKey);
      if (await t.findMemberByName(name)) throw new HushError('InvalidArgument', `there is already a member named '${name}'`);
      let dbPassword: string | undefined;
      if (o.dbRole !== undefined) {
        if ((await t.listMembers()).some((m) => m.dbRole === o.dbRole)) throw new HushError('InvalidArgument', `database role ${o.dbRole} already belongs to another member`);
        const password = randomBytes(24).toString('base64url');
        if ((await t.ensureMemberRole(o.dbRole, scramSha256Verifier(password))).created) dbPassword = password;
      }
      const id = randomUUID();
      const m: MemberRecord = {
        id,
        name,
        publicKey: pk.toString('base64'),
        sealedTeamKey: await sealTo(pk, teamKeyInfo(this.storeId, id), this.teamKey),
        createdAt: this.pipeline.clock().toISOString(),
        addedBy: this.me.name,
        ...(o.dbRole !== undefined ? { dbRole: o.dbRole } : {}),
      };
      await t.putMember(m);
      return {
        name,
        publicKey: m.publicKey,
        createdAt: m.createdAt,
        addedBy: m.addedBy,
        keys: [],
        isMe: false,
        ...(o.dbRole !== undefined ? { dbRole: o.dbRole } : {}),
        ...(dbPassword !== undefined ? { dbPassword } : {}),
      };
    });
  }

  removeMember(name: string): Promise<RevokeResult[]> {
    return this.pipeline.run('team:RemoveMember', { member: name }, async () => memberTarget(name), async ({ tx }) => {
      const t = this.tx(tx);
      const m = await t.findMemberByName(name);
      if (!m) throw new HushError('NotFound', `no member named '${name}'; list them with 'hush member list'`);
      if (m.id === this.me.id && (await t.listMembers()).length === 1) {
        throw new HushError('InvalidArgument', 'you are the last member; removing yourself would leave nobody able to use the store');
      }
      const results: RevokeResult[] = [];
      for (const k of await t.listKeys()) {
        if (!k.materials.some((x) => x.sealedTo?.[m.id] !== undefined)) continue;
        results.push(await this.revokeIn(t, k, m));
      }
      await t.deleteMember(m.id);
      return results;
    });
  }

  grantKey(keyRef: string, memberName: string): Promise<{ keyId: string; member: string; versions: number }> {
    return this.pipeline.run(
      'kms:CreateGrant',
      { ...(keyRef.startsWith('alias/') ? { alias: keyRef } : { keyId: keyRef }), grantee: memberName },
      (tx) => this.kms.targetIn(tx, keyRef),
      async ({ tx }) => {
        const t = this.tx(tx);
        const m = await t.findMemberByName(memberName);
        if (!m) throw new HushError('NotFound', `no member named '${memberName}'; add them first with 'hush member add ${memberName} PUBLIC-KEY'`);
        const k = await this.kms.resolveIn(t, keyRef);
        if (effectiveState(k, this.pipeline.clock()) === 'Deleted') throw new HushError('KeyDeleted', `CMK ${k.id} was deleted; there is nothing to grant`);
        let added = 0;
        const materials: KeyMaterialRecord[] = [];
        for (const mat of k.materials) {
          if (mat.sealedTo?.[m.id] !== undefined) {
            materials.push(mat);
            continue;
          }
          const bytes = await this.vault.openMaterial(t, k, mat); // NoGrant (naming who can) when I do not hold it
          try {
            materials.push({ ...mat, sealedTo: { ...mat.sealedTo, [m.id]: await this.vault.sealFor(m, k.id, mat.version, bytes) } });
          } finally {
            bytes.fill(0);
          }
          added++;
        }
        await t.putKey({ ...k, materials });
        return { keyId: k.id, member: m.name, versions: added };
      },
    );
  }

  revokeKey(keyRef: string, memberName: string): Promise<RevokeResult> {
    return this.pipeline.run(
      'kms:RevokeGrant',
      { ...(keyRef.startsWith('alias/') ? { alias: keyRef } : { keyId: keyRef }), grantee: memberName },
      (tx) => this.kms.targetIn(tx, keyRef),
      async ({ tx }) => {
        const t = this.tx(tx);
        const m = await t.findMemberByName(memberName);
        if (!m) throw new HushError('NotFound', `no member named '${memberName}'`);
        const k = await this.kms.resolveIn(t, keyRef);
        if (!k.materials.some((x) => x.sealedTo?.[m.id] !== undefined)) throw new HushError('InvalidArgument', `${memberName} holds no grant on CMK ${k.id}`);
        return this.revokeIn(t, k, m);
      },
    );
  }

  /** Deletes a member's copies of a key's material and rotates the key for the remaining holders. */
  private async revokeIn(t: TeamStoreTx, k: KeyRecord, m: MemberRecord): Promise<RevokeResult> {
    const materials = k.materials.map((mat) => {
      if (mat.sealedTo?.[m.id] === undefined) return mat;
      const { [m.id]: _gone, ...rest } = mat.sealedTo;
      return { ...mat, sealedTo: rest };
    });
    const last = materials.at(-1);
    if (last && !Object.keys(last.sealedTo ?? {}).length && effectiveState(k, this.pipeline.clock()) !== 'Deleted') {
      throw new HushError('InvalidArgument', `${m.name} is the last holder of CMK ${k.id}; grant it to someone else first, or schedule the key's deletion`);
    }
    let next: KeyRecord = { ...k, materials };
    let rotatedTo: number | undefined;
    if (k.origin === 'HUSH' && last && effectiveState(k, this.pipeline.clock()) !== 'Deleted') {
      rotatedTo = Math.max(...materials.map((x) => x.version)) + 1;
      const bytes = randomBytes(32);
      try {
        const sealed = await this.vault.sealMaterial(t, k.id, rotatedTo, bytes, last);
        next = { ...next, materials: [...materials, { ...sealed, createdAt: this.pipeline.clock().toISOString() }], rotatedAt: this.pipeline.clock().toISOString() };
      } finally {
        bytes.fill(0);
      }
    }
    await t.putKey(next);
    const secretsToRotate = (await t.listSecrets()).filter((s) => s.kmsKeyId === k.id && !s.deletionDate).map((s) => s.name).sort();
    return { keyId: k.id, member: m.name, ...(rotatedTo !== undefined ? { rotatedTo } : {}), secretsToRotate };
  }
}
