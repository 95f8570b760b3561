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
  /** The PostgreSQL role this member connects as (the database checks their writes against policy as that role). */
  dbRole?: string;
}

export interface GroupRecord {
  name: string;
  createdAt: string;
  createdBy: string;
  /** Member ids. */
  members: string[];
}

export interface PolicyRecord {
  name: string;
  /** The policy document as stored (checked by policy/document.ts before it is stored). */
  document: unknown;
  updatedAt: string;
  updatedBy: string;
}

/** A policy attached to one member, one group, or one application principal (`app:NAME`, hush serve). */
export interface AttachmentRecord {
  policy: string;
  memberId?: string;
  group?: string;
  principal?: string;
}

export interface TeamStoreTx extends StoreTx {
  getMember(id: string): Promise<MemberRecord | undefined>;
  findMemberByName(name: string): Promise<MemberRecord | undefined>;
  findMemberByPublicKey(publicKey: string): Promise<MemberRecord | undefined>;
  listMembers(): Promise<MemberRecord[]>;
  putMember(m: MemberRecord): Promise<void>;
  deleteMember(id: string): Promise<void>;

  /**
   * Makes `role` a member's database role: creates it (LOGIN, with the given
   * SCRAM verifier as its password) when it does not exist, and grants it
   * the store's member privileges. Returns whether it was created.
   */
  ensureMemberRole(role: string, scramVerifier: string): Promise<{ created: boolean }>;

  listGroups(): Promise<GroupRecord[]>;
  putGroup(g: Omit<GroupRecord, 'members'>): Promise<void>;
  deleteGroup(name: string): Promise<void>;
  addToGroup(group: string, memberId: string): Promise<void>;
  removeFromGroup(group: string, memberId: string): Promise<void>;

  listPolicies(): Promise<PolicyRecord[]>;
  putPolicy(p: PolicyRecord): Promise<void>;
  deletePolicy(name: string): Promise<void>;
  listAttachments(): Promise<AttachmentRecord[]>;
  attach(a: AttachmentRecord): Promise<void>;
  detach(a: AttachmentRecord): Promise<void>;
}

export function isTeamTx(tx: StoreTx): tx is TeamStoreTx {
  return typeof (tx as Partial<TeamStoreTx>).listMembers === 'function';
}
