/**
 * The team store's material vault: every CMK material version is sealed with
 * HPKE to each member granted the key, one copy per member, inside the key
 * record (`sealedTo`). A member opens only their own copy with their
 * identity's private key, so a grant is cryptographic: a member without one
 * cannot unwrap the key, whatever they can read in the database.
 *
 * A new material version (rotation, import) is sealed to the holders of the
 * version it follows — never silently to whoever rotates it, so rotating a
 * key is not a way to grant yourself access.
 */
import { HushError } from '../errors';
import type { MaterialVault } from '../kms/materialVault';
import type { KeyMaterialRecord, KeyRecord, StoreTx } from '../store/store';
import { isTeamTx, type MemberRecord, type TeamStoreTx } from '../store/team';
import { openWith, sealTo } from './hpke';
import { parsePublicKey } from './identity';

export interface Me {
  readonly id: string;
  readonly name: string;
  /** Raw X25519 private key (32 bytes). */
  readonly privateKey: Uint8Array;
  /** base64 of the public key. */
  readonly publicKey: string;
}

export function materialInfo(storeId: string, keyId: string, version: number, memberId: string): string {
  return `hush/cmk/${storeId}/${keyId}/v${version}/${memberId}`;
}

export function teamKeyInfo(storeId: string, memberId: string): string {
  return `hush/team-key/${storeId}/${memberId}`;
}

function teamTx(tx: StoreTx): TeamStoreTx {
  if (!isTeamTx(tx)) throw new HushError('Internal', 'the team vault needs a team store');
  return tx;
}

/** Names of the members who hold a material version, for "ask one of them" messages. */
export async function holdersOf(tx: StoreTx, m: KeyMaterialRecord | undefined): Promise<string[]> {
  const t = teamTx(tx);
  const names: string[] = [];
  for (const id of Object.keys(m?.sealedTo ?? {})) names.push((await t.getMember(id))?.name ?? id);
  return names.sort();
}

export class TeamVault implements MaterialVault {
  constructor(
    private readonly storeId: string,
    private readonly me: Me,
  ) {}

  /** Seals one material version to one member. */
  async sealFor(member: Pick<MemberRecord, 'id' | 'publicKey'>, keyId: string, version: number, bytes: Uint8Array): Promise<string> {
    return sealTo(parsePublicKey(member.publicKey), materialInfo(this.storeId, keyId, version, member.id), bytes);
  }

  async sealMaterial(tx: StoreTx, keyId: string, version: number, bytes: Uint8Array, previous?: KeyMaterialRecord): Promise<Omit<KeyMaterialRecord, 'createdAt' | 'expiresAt'>> {
    const t = teamTx(tx);
    const ids = previous?.sealedTo ? Object.keys(previous.sealedTo) : [this.me.id];
    const sealedTo: Record<string, string> = {};
    for (const id of ids) {
      const member = id === this.me.id ? this.me : await t.getMember(id);
      if (member) sealedTo[id] = await this.sealFor(member, keyId, version, bytes);
    }
    if (!Object.keys(sealedTo).length) throw new HushError('NoGrant', `nobody would hold version ${version} of CMK ${keyId}; it needs at least one member`);
    return { version, sealedTo };
  }

  async openMaterial(tx: StoreTx, k: KeyRecord, m: KeyMaterialRecord): Promise<Buffer> {
    const mine = m.sealedTo?.[this.me.id];
    if (mine === undefined) {
      const holders = await holdersOf(tx, m);
      const alias = (await tx.listAliases()).filter((a) => a.keyId === k.id).map((a) => a.name).sort()[0];
      const ref = alias ?? k.id;
      throw new HushError(
        'NoGrant',
        `you (${this.me.name}) have no grant on CMK ${k.id}${alias ? ` (${alias})` : ''}; ${holders.length ? `a member who holds it (${holders.join(', ')}) can run 'hush keys grant ${ref} ${this.me.name}'` : 'nobody holds it any more'}`,
      );
    }
    return openWith(this.me.privateKey, materialInfo(this.storeId, k.id, m.version, this.me.id), mine);
  }

  async sealPrivate(aad: string, bytes: Uint8Array): Promise<string> {
    return sealTo(parsePublicKey(this.me.publicKey), `${aad}/${this.me.id}`, bytes);
  }

  async openPrivate(aad: string, sealed: string): Promise<Buffer> {
    return openWith(this.me.privateKey, `${aad}/${this.me.id}`, sealed);
  }
}
