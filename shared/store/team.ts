/**
 * What a team store keeps besides the records every store has: its members.
 * A member is a person or a machine with an X25519 identity; the team key
 * (MAC key of the audit chain) and the CMK material they are granted are
 * sealed to that identity. The team store's transactions offer these on top
 * of StoreTx; the embedded store has no members.
 */
import type { StoreTx } from './store';

export interface MemberRecord {
  id: string;
  name: string;
  /** base64 of the 32-byte X25519 public key. */
  publicKey: string;
  /** The team key sealed to this member (HPKE), base64. */
  sealedTeamKey: string;
  createdAt: string;
  /** The member who added this one (the first member adds themself). */
  addedBy: string;
}

export interface TeamStoreTx extends StoreTx {
  getMember(id: string): Promise<MemberRecord | undefined>;
  findMemberByName(name: string): Promise<MemberRecord | undefined>;
  findMemberByPublicKey(publicKey: string): Promise<MemberRecord | undefined>;
  listMembers(): Promise<MemberRecord[]>;
  putMember(m: MemberRecord): Promise<void>;
  deleteMember(id: string): Promise<void>;
}

export function isTeamTx(tx: StoreTx): tx is TeamStoreTx {
  return typeof (tx as Partial<TeamStoreTx>).listMembers === 'function';
}
