/**
 * The team store: the Store interface on PostgreSQL. Everything above the
 * interface (pipeline, KMS, Secrets Manager, audit verification) is the same
 * code the embedded store runs.
 *
 * Concurrency: every transaction starts by locking the audit chain's head
 * row (SELECT … FOR UPDATE). Every operation is audited, reads included, so
 * every operation appends to the one chain; locking its head first
 * serializes operations across all machines without serialization failures
 * or deadlocks, and gives each operation a consistent view at READ
 * COMMITTED (nobody else writes while it holds the lock). The audit records
 * are inserted in the same transaction as the change, so a change and its
 * record commit together or not at all. A failed operation rolls back and
 * its audit records are appended in a second transaction, as the Store
 * contract asks.
 *
 * Changes are announced with NOTIFY on the channel `hush_changes` (delivered
 * at commit); watch() listens on a connection of its own.
 */
import type { Pool, PoolClient } from 'pg';
import { Client } from 'pg';
import { HushError } from '../../errors';
import { AuditAnchor, AuditChain, AuditEvent } from '../../audit/auditLog';
import type { AliasRecord, CredentialRecord, ImportParametersRecord, KeyRecord, SecretRecord, Store, VersionRecord } from '../store';
import type { SecretPage, SecretQuery } from '../secretQuery';
import type { AttachmentRecord, GroupRecord, MemberRecord, PolicyRecord, TeamStoreTx } from '../team';
import { dbError, redactUrl } from './connection';
import { membersRole } from './enforcement';
import type { FreshnessAnchor } from '../freshnessAnchor';

export const CHANGES_CHANNEL = 'hush_changes';

const guarded = new WeakSet<PoolClient>();

interface SecretRow {
  id: string;
  name: string;
  description: string;
  kms_key_id: string;
  tags: Record<string, string>;
  created_at: string;
  updated_at: string;
  last_accessed_at: string | null;
  deletion_date: string | null;
  rotation: SecretRecord['rotation'] | null;
}

interface VersionRow {
  secret_id: string;
  id: string;
  created_at: string;
  kms_key_id: string;
  ciphertext: string;
  type: 'string' | 'binary';
  labels: string[];
  fingerprint: string | null;
  fingerprint_material: number | null;
  value_length: number | null;
}

interface MemberRow {
  id: string;
  name: string;
  public_key: string;
  sealed_team_key: string;
  created_at: string;
  added_by: string;
  db_role: string | null;
}

function secretOf(r: SecretRow): SecretRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kmsKeyId: r.kms_key_id,
    tags: r.tags ?? {},
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.last_accessed_at ? { lastAccessedAt: r.last_accessed_at } : {}),
    ...(r.deletion_date ? { deletionDate: r.deletion_date } : {}),
    ...(r.rotation ? { rotation: r.rotation } : {}),
  };
}

function versionOf(r: VersionRow): VersionRecord {
  return {
    id: r.id,
    createdAt: r.created_at,
    kmsKeyId: r.kms_key_id,
    ciphertext: r.ciphertext,
    type: r.type,
    labels: r.labels,
    ...(r.fingerprint !== null ? { fingerprint: r.fingerprint } : {}),
    ...(r.fingerprint_material !== null ? { fingerprintMaterial: r.fingerprint_material } : {}),
    ...(r.value_length !== null ? { valueLength: r.value_length } : {}),
  };
}

interface CredentialRow {
  access_key_id: string;
  name: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  kms_key_id: string;
  sealed_secret: string;
}

function credentialOf(r: CredentialRow): CredentialRecord {
  return {
    accessKeyId: r.access_key_id,
    name: r.name,
    createdAt: r.created_at,
    createdBy: r.created_by,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
    kmsKeyId: r.kms_key_id,
    sealedSecret: r.sealed_secret,
  };
}

function memberOf(r: MemberRow): MemberRecord {
  return { id: r.id, name: r.name, publicKey: r.public_key, sealedTeamKey: r.sealed_team_key, createdAt: r.created_at, addedBy: r.added_by, ...(r.db_role ? { dbRole: r.db_role } : {}) };
}

/** One transaction's view: every read and write is a statement on the locked connection. */
class PgTx implements TeamStoreTx {
  wrote = false;
  /** Set when a statement failed: the connection is not reused. */
  failed = false;
  constructor(
    private readonly c: PoolClient,
    private readonly events: AuditEvent[],
    private readonly url: string,
  ) {}

  /** Database errors become HushErrors here, before the pipeline sees them (StoreUnavailable, not Internal). */
  private async query(name: string, text: string, values: unknown[]): Promise<unknown[]> {
    try {
      return (name ? await this.c.query({ name, text, values }) : await this.c.query(text, values)).rows;
    } catch (e) {
      this.failed = true;
      throw dbError(e, this.url);
    }
  }

  private async rows<R>(name: string, text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.query(name, text, values)) as R[];
  }

  private async write(name: string, text: string, values: unknown[]): Promise<void> {
    this.wrote = true;
    await this.query(name, text, values);
  }

  /**
   * UPDATE, else INSERT — not INSERT … ON CONFLICT, whose INSERT triggers
   * fire even when the row exists, so the database's policy checks
   * (enforcement.ts) would see every change as a creation. Both statements
   * take the same parameters. No race: the transaction holds the store lock.
   */
  private async upsert(name: string, update: string, insert: string, values: unknown[]): Promise<void> {
    this.wrote = true;
    try {
      const n = (await this.c.query({ name: `${name}-u`, text: update, values })).rowCount;
      if (!n) await this.c.query({ name: `${name}-i`, text: insert, values });
    } catch (e) {
      this.failed = true;
      throw dbError(e, this.url);
    }
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    return (await this.rows<{ record: KeyRecord }>('hush-get-key', 'SELECT record FROM hush_keys WHERE id = $1', [id]))[0]?.record;
  }
  async listKeys(): Promise<KeyRecord[]> {
    return (await this.rows<{ record: KeyRecord }>('hush-list-keys', 'SELECT record FROM hush_keys ORDER BY id')).map((r) => r.record);
  }
  putKey(k: KeyRecord): Promise<void> {
    return this.upsert('hush-put-key', 'UPDATE hush_keys SET record = $2 WHERE id = $1', 'INSERT INTO hush_keys (id, record) VALUES ($1, $2)', [k.id, JSON.stringify(k)]);
  }

  async getAlias(name: string): Promise<AliasRecord | undefined> {
    const r = (await this.rows<{ name: string; key_id: string; created_at: string }>('hush-get-alias', 'SELECT * FROM hush_aliases WHERE name = $1', [name]))[0];
    return r ? { name: r.name, keyId: r.key_id, createdAt: r.created_at } : undefined;
  }
  async listAliases(): Promise<AliasRecord[]> {
    return (await this.rows<{ name: string; key_id: string; created_at: string }>('hush-list-aliases', 'SELECT * FROM hush_aliases ORDER BY name')).map((r) => ({
      name: r.name,
      keyId: r.key_id,
      createdAt: r.created_at,
    }));
  }
  putAlias(a: AliasRecord): Promise<void> {
    return this.upsert(
      'hush-put-alias',
      'UPDATE hush_aliases SET key_id = $2, created_at = $3 WHERE name = $1',
      'INSERT INTO hush_aliases (name, key_id, created_at) VALUES ($1, $2, $3)',
      [a.name, a.keyId, a.createdAt],
    );
  }
  deleteAlias(name: string): Promise<void> {
    return this.write('hush-delete-alias', 'DELETE FROM hush_aliases WHERE name = $1', [name]);
  }

  async getImport(token: string): Promise<ImportParametersRecord | undefined> {
    return (await this.rows<{ record: ImportParametersRecord }>('hush-get-import', 'SELECT record FROM hush_imports WHERE token = $1', [token]))[0]?.record;
  }
  async listImports(): Promise<ImportParametersRecord[]> {
    return (await this.rows<{ record: ImportParametersRecord }>('hush-list-imports', 'SELECT record FROM hush_imports')).map((r) => r.record);
  }
  putImport(p: ImportParametersRecord): Promise<void> {
    return this.upsert('hush-put-import', 'UPDATE hush_imports SET record = $2 WHERE token = $1', 'INSERT INTO hush_imports (token, record) VALUES ($1, $2)', [p.token, JSON.stringify(p)]);
  }
  deleteImport(token: string): Promise<void> {
    return this.write('hush-delete-import', 'DELETE FROM hush_imports WHERE token = $1', [token]);
  }

  async getSecret(id: string): Promise<SecretRecord | undefined> {
    const r = (await this.rows<SecretRow>('hush-get-secret', 'SELECT * FROM hush_secrets WHERE id = $1', [id]))[0];
    return r ? secretOf(r) : undefined;
  }
  async findSecretByName(name: string): Promise<SecretRecord | undefined> {
    const r = (await this.rows<SecretRow>('hush-find-secret', 'SELECT * FROM hush_secrets WHERE name = $1', [name]))[0];
    return r ? secretOf(r) : undefined;
  }
  async listSecrets(): Promise<SecretRecord[]> {
    return (await this.rows<SecretRow>('hush-list-secrets', 'SELECT * FROM hush_secrets')).map(secretOf);
  }
  async querySecrets(q: SecretQuery): Promise<SecretPage> {
    const where: string[] = ['(deletion_date IS NULL OR deletion_date > $1)'];
    const values: unknown[] = [q.now];
    const param = (v: unknown): string => {
      values.push(v);
      return `$${values.length}`;
    };
    if (!q.includePlannedDeletion) where.push('deletion_date IS NULL');
    if (q.namePrefix !== undefined) where.push(`starts_with(name, ${param(q.namePrefix)})`);
    if (q.descriptionContains !== undefined) where.push(`strpos(lower(description), ${param(q.descriptionContains.toLowerCase())}) > 0`);
    if (q.search !== undefined) {
      const s = param(q.search.toLowerCase());
      where.push(`(strpos(lower(name), ${s}) > 0 OR strpos(lower(description), ${s}) > 0)`);
    }
    if (q.tagKey !== undefined) where.push(`tags ? ${param(q.tagKey)}`);
    if (q.tagValue !== undefined) where.push(`EXISTS (SELECT 1 FROM jsonb_each_text(tags) t WHERE t.value = ${param(q.tagValue)})`);
    const column = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' }[q.sortBy];
    const dir = q.sortOrder === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.rows<SecretRow>(
      '',
      `SELECT * FROM hush_secrets WHERE ${where.join(' AND ')} ORDER BY ${column} COLLATE "C" ${dir}, id COLLATE "C" ${dir} OFFSET ${param(q.offset)} LIMIT ${param(q.limit + 1)}`,
      values,
    );
    return { secrets: rows.slice(0, q.limit).map(secretOf), more: rows.length > q.limit };
  }
  async secretsDueForDeletion(now: string): Promise<SecretRecord[]> {
    return (await this.rows<SecretRow>('hush-due-secrets', 'SELECT * FROM hush_secrets WHERE deletion_date <= $1', [now])).map(secretOf);
  }
  async putSecret(s: SecretRecord): Promise<void> {
    // Checked first: a failed statement would abort the whole transaction.
    const other = await this.findSecretByName(s.name);
    if (other && other.id !== s.id) throw new HushError('SecretExists', `a secret named '${s.name}' already exists`);
    await this.upsert(
      'hush-put-secret',
      `UPDATE hush_secrets SET name = $2, description = $3, kms_key_id = $4, tags = $5, created_at = $6, updated_at = $7,
         last_accessed_at = $8, deletion_date = $9, rotation = $10 WHERE id = $1`,
      `INSERT INTO hush_secrets (id, name, description, kms_key_id, tags, created_at, updated_at, last_accessed_at, deletion_date, rotation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        s.id,
        s.name,
        s.description,
        s.kmsKeyId,
        JSON.stringify(s.tags),
        s.createdAt,
        s.updatedAt,
        s.lastAccessedAt ?? null,
        s.deletionDate ?? null,
        s.rotation ? JSON.stringify(s.rotation) : null,
      ],
    );
  }
  deleteSecret(id: string): Promise<void> {
    return this.write('hush-delete-secret', 'DELETE FROM hush_secrets WHERE id = $1', [id]);
  }

  async getVersion(secretId: string, versionId: string): Promise<VersionRecord | undefined> {
    const r = (await this.rows<VersionRow>('hush-get-version', 'SELECT * FROM hush_versions WHERE secret_id = $1 AND id = $2', [secretId, versionId]))[0];
    return r ? versionOf(r) : undefined;
  }
  async listVersions(secretId: string): Promise<VersionRecord[]> {
    return (await this.rows<VersionRow>('hush-list-versions', 'SELECT * FROM hush_versions WHERE secret_id = $1 ORDER BY created_at, id', [secretId])).map(versionOf);
  }
  async listVersionsLabelled(label: string): Promise<{ secretId: string; version: VersionRecord }[]> {
    return (await this.rows<VersionRow>('hush-versions-labelled', 'SELECT * FROM hush_versions WHERE labels @> ARRAY[$1]::text[]', [label])).map((r) => ({ secretId: r.secret_id, version: versionOf(r) }));
  }
  putVersion(secretId: string, v: VersionRecord): Promise<void> {
    return this.upsert(
      'hush-put-version',
      `UPDATE hush_versions SET created_at = $3, kms_key_id = $4, ciphertext = $5, type = $6, labels = $7, fingerprint = $8,
         fingerprint_material = $9, value_length = $10 WHERE secret_id = $1 AND id = $2`,
      `INSERT INTO hush_versions (secret_id, id, created_at, kms_key_id, ciphertext, type, labels, fingerprint, fingerprint_material, value_length)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [secretId, v.id, v.createdAt, v.kmsKeyId, v.ciphertext, v.type, v.labels, v.fingerprint ?? null, v.fingerprintMaterial ?? null, v.valueLength ?? null],
    );
  }
  deleteVersion(secretId: string, versionId: string): Promise<void> {
    return this.write('hush-delete-version', 'DELETE FROM hush_versions WHERE secret_id = $1 AND id = $2', [secretId, versionId]);
  }

  async getCredential(accessKeyId: string): Promise<CredentialRecord | undefined> {
    const r = (await this.rows<CredentialRow>('hush-get-credential', 'SELECT * FROM hush_credentials WHERE access_key_id = $1', [accessKeyId]))[0];
    return r ? credentialOf(r) : undefined;
  }
  async listCredentials(): Promise<CredentialRecord[]> {
    return (await this.rows<CredentialRow>('hush-list-credentials', 'SELECT * FROM hush_credentials ORDER BY created_at, access_key_id')).map(credentialOf);
  }
  putCredential(c: CredentialRecord): Promise<void> {
    return this.upsert(
      'hush-put-credential',
      'UPDATE hush_credentials SET name = $2, created_at = $3, created_by = $4, revoked_at = $5, kms_key_id = $6, sealed_secret = $7 WHERE access_key_id = $1',
      'INSERT INTO hush_credentials (access_key_id, name, created_at, created_by, revoked_at, kms_key_id, sealed_secret) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [c.accessKeyId, c.name, c.createdAt, c.createdBy, c.revokedAt ?? null, c.kmsKeyId, c.sealedSecret],
    );
  }

  async getMember(id: string): Promise<MemberRecord | undefined> {
    const r = (await this.rows<MemberRow>('hush-get-member', 'SELECT * FROM hush_members WHERE id = $1', [id]))[0];
    return r ? memberOf(r) : undefined;
  }
  async findMemberByName(name: string): Promise<MemberRecord | undefined> {
    const r = (await this.rows<MemberRow>('hush-find-member', 'SELECT * FROM hush_members WHERE name = $1', [name]))[0];
    return r ? memberOf(r) : undefined;
  }
  async findMemberByPublicKey(publicKey: string): Promise<MemberRecord | undefined> {
    const r = (await this.rows<MemberRow>('hush-find-member-pk', 'SELECT * FROM hush_members WHERE public_key = $1', [publicKey]))[0];
    return r ? memberOf(r) : undefined;
  }
  async listMembers(): Promise<MemberRecord[]> {
    return (await this.rows<MemberRow>('hush-list-members', 'SELECT * FROM hush_members ORDER BY name')).map(memberOf);
  }
  async putMember(m: MemberRecord): Promise<void> {
    const byName = await this.findMemberByName(m.name);
    if (byName && byName.id !== m.id) throw new HushError('InvalidArgument', `there is already a member named '${m.name}'`);
    const byKey = await this.findMemberByPublicKey(m.publicKey);
    if (byKey && byKey.id !== m.id) throw new HushError('InvalidArgument', `that public key already belongs to member '${byKey.name}'`);
    await this.upsert(
      'hush-put-member',
      'UPDATE hush_members SET name = $2, public_key = $3, sealed_team_key = $4, created_at = $5, added_by = $6, db_role = $7 WHERE id = $1',
      'INSERT INTO hush_members (id, name, public_key, sealed_team_key, created_at, added_by, db_role) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [m.id, m.name, m.publicKey, m.sealedTeamKey, m.createdAt, m.addedBy, m.dbRole ?? null],
    );
  }
  deleteMember(id: string): Promise<void> {
    return this.write('hush-delete-member', 'DELETE FROM hush_members WHERE id = $1', [id]);
  }

  async ensureMemberRole(role: string, scramVerifier: string): Promise<{ created: boolean }> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new HushError('InvalidArgument', `database role '${role.slice(0, 70)}' must be lower-case letters, digits and _ (up to 63)`);
    const exists = (await this.rows<{ n: number }>('hush-role-exists', 'SELECT 1 AS n FROM pg_roles WHERE rolname = $1', [role])).length > 0;
    const group = membersRole((await this.rows<{ d: string }>('hush-current-db', 'SELECT current_database() AS d'))[0]!.d);
    this.wrote = true;
    // DDL takes no parameters: the names are checked above and quoted; the password is a salted SCRAM verifier, never the password.
    if (!exists) await this.query('', `CREATE ROLE ${this.c.escapeIdentifier(role)} LOGIN PASSWORD ${this.c.escapeLiteral(scramVerifier)}`, []);
    await this.query('', `GRANT ${this.c.escapeIdentifier(group)} TO ${this.c.escapeIdentifier(role)}`, []);
    return { created: !exists };
  }

  async listGroups(): Promise<GroupRecord[]> {
    const rows = await this.rows<{ name: string; created_at: string; created_by: string; members: string[] | null }>(
      'hush-list-groups',
      `SELECT g.name, g.created_at, g.created_by, array_remove(array_agg(m.member_id ORDER BY m.member_id), NULL) AS members
       FROM hush_groups g LEFT JOIN hush_group_members m ON m.group_name = g.name GROUP BY g.name ORDER BY g.name`,
    );
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, createdBy: r.created_by, members: r.members ?? [] }));
  }
  putGroup(g: Omit<GroupRecord, 'members'>): Promise<void> {
    return this.write(
      'hush-put-group',
      'INSERT INTO hush_groups (name, created_at, created_by) SELECT $1::text, $2::text, $3::text WHERE NOT EXISTS (SELECT 1 FROM hush_groups WHERE name = $1)',
      [g.name, g.createdAt, g.createdBy],
    );
  }
  deleteGroup(name: string): Promise<void> {
    return this.write('hush-delete-group', 'DELETE FROM hush_groups WHERE name = $1', [name]);
  }
  addToGroup(group: string, memberId: string): Promise<void> {
    return this.write(
      'hush-add-to-group',
      'INSERT INTO hush_group_members (group_name, member_id) SELECT $1::text, $2::text WHERE NOT EXISTS (SELECT 1 FROM hush_group_members WHERE group_name = $1 AND member_id = $2)',
      [group, memberId],
    );
  }
  removeFromGroup(group: string, memberId: string): Promise<void> {
    return this.write('hush-remove-from-group', 'DELETE FROM hush_group_members WHERE group_name = $1 AND member_id = $2', [group, memberId]);
  }

  async listPolicies(): Promise<PolicyRecord[]> {
    const rows = await this.rows<{ name: string; document: unknown; updated_at: string; updated_by: string }>('hush-list-policies', 'SELECT * FROM hush_policies ORDER BY name');
    return rows.map((r) => ({ name: r.name, document: r.document, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }
  putPolicy(p: PolicyRecord): Promise<void> {
    return this.upsert(
      'hush-put-policy',
      'UPDATE hush_policies SET document = $2, updated_at = $3, updated_by = $4 WHERE name = $1',
      'INSERT INTO hush_policies (name, document, updated_at, updated_by) VALUES ($1, $2, $3, $4)',
      [p.name, JSON.stringify(p.document), p.updatedAt, p.updatedBy],
    );
  }
  deletePolicy(name: string): Promise<void> {
    return this.write('hush-delete-policy', 'DELETE FROM hush_policies WHERE name = $1', [name]);
  }
  async listAttachments(): Promise<AttachmentRecord[]> {
    const rows = await this.rows<{ policy: string; member_id: string | null; group_name: string | null; principal: string | null }>('hush-list-attachments', 'SELECT * FROM hush_policy_attachments ORDER BY policy');
    return rows.map((r) => ({
      policy: r.policy,
      ...(r.member_id ? { memberId: r.member_id } : {}),
      ...(r.group_name ? { group: r.group_name } : {}),
      ...(r.principal ? { principal: r.principal } : {}),
    }));
  }
  async attach(a: AttachmentRecord): Promise<void> {
    const existing = (await this.listAttachments()).some((x) => x.policy === a.policy && x.memberId === a.memberId && x.group === a.group && x.principal === a.principal);
    if (existing) return;
    await this.write('hush-attach', 'INSERT INTO hush_policy_attachments (policy, member_id, group_name, principal) VALUES ($1, $2, $3, $4)', [
      a.policy,
      a.memberId ?? null,
      a.group ?? null,
      a.principal ?? null,
    ]);
  }
  detach(a: AttachmentRecord): Promise<void> {
    return this.write(
      'hush-detach',
      'DELETE FROM hush_policy_attachments WHERE policy = $1 AND member_id IS NOT DISTINCT FROM $2 AND group_name IS NOT DISTINCT FROM $3 AND principal IS NOT DISTINCT FROM $4',
      [a.policy, a.memberId ?? null, a.group ?? null, a.principal ?? null],
    );
  }

  audit(e: AuditEvent): void {
    this.events.push(e);
  }
}

export interface PgStoreOptions {
  /** The database URL (with credentials); shown to users only redacted. */
  url: string;
  storeId: string;
  pool: Pool;
  /** MAC key of the audit chain (derived from the team key). */
  auditMacKey: Uint8Array;
  /** Where requests come from (editor, cli, serve), told to the database's policy checks. */
  source?: string;
  /** The newest state this member has seen, kept on their machine (see checkFreshness). */
  anchor?: FreshnessAnchor;
}

export class PgStore implements Store {
  readonly storeId: string;
  readonly location: string;
  readonly readOnly = false;
  private readonly url: string;
  private readonly pool: Pool;
  private readonly chain: AuditChain;
  private readonly source: string;
  private readonly anchor: FreshnessAnchor | undefined;
  /** The audit head of this member's newest committed operation, not yet anchored. */
  private seen: AuditAnchor | undefined;
  private anchored: AuditAnchor | undefined;
  private anchorTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private listeners: Client[] = [];

  constructor(o: PgStoreOptions) {
    this.storeId = o.storeId;
    this.url = o.url;
    this.location = redactUrl(o.url);
    this.pool = o.pool;
    this.chain = new AuditChain(o.auditMacKey);
    this.source = o.source ?? '';
    this.anchor = o.anchor;
  }

  /**
   * Refuses a database that is behind what this member saw last (restored
   * from an older backup, audit rows deleted): the audit chain is the team
   * store's history, so its head must be at or past the anchored record, and
   * that record must still be there, unchanged. Then the anchor follows the
   * member's own commits (saved at most every 2 s, and on close), always
   * after the database has committed them: a crash leaves it behind, never
   * ahead. A member who never saw the lost state cannot notice it; the
   * threat model says so.
   */
  async checkFreshness(): Promise<void> {
    if (!this.anchor) return;
    const anchored = await this.anchor.load();
    if (!anchored) return;
    const c = await this.client();
    try {
      const head = (await c.query<{ seq: string }>('SELECT seq FROM hush_audit_head WHERE id = 1')).rows[0];
      const seq = Number(head?.seq ?? 0);
      if (seq < anchored.n) {
        throw new HushError(
          'StoreRolledBack',
          `the team store at ${this.location} is behind what you saw: its audit chain holds ${seq} record(s), you last saw record ${anchored.n} (anchor: ${this.anchor.where}). The database was restored from an older copy or records were deleted; tell your team before using it`,
        );
      }
      const line = (await c.query<{ line: string }>('SELECT line FROM hush_audit WHERE seq = $1', [anchored.n])).rows[0]?.line;
      let hash: string | undefined;
      try {
        hash = line ? (JSON.parse(line) as { hash?: string }).hash : undefined;
      } catch {
        hash = undefined;
      }
      if (hash !== anchored.data) {
        throw new HushError(
          'StoreRolledBack',
          `the team store at ${this.location} is not the history you saw: audit record ${anchored.n} ${line ? 'differs from' : 'is missing from'} what you saw (anchor: ${this.anchor.where}). The database was replaced or rewritten`,
        );
      }
      this.anchored = { seq: anchored.n, hash: anchored.data };
    } catch (e) {
      throw dbError(e, this.url);
    } finally {
      c.release();
    }
  }

  private noteCommitted(head: AuditAnchor | undefined): void {
    if (!this.anchor || !head || (this.seen && this.seen.seq >= head.seq)) return;
    this.seen = head;
    if (this.anchorTimer) return;
    this.anchorTimer = setTimeout(() => {
      this.anchorTimer = undefined;
      void this.saveAnchor().catch(() => undefined); // retried on the next commit and on close
    }, 2000);
    this.anchorTimer.unref?.();
  }

  private async saveAnchor(): Promise<void> {
    const seen = this.seen;
    if (!this.anchor || !seen || (this.anchored && this.anchored.seq >= seen.seq)) return;
    await this.anchor.save({ n: seen.seq, data: seen.hash });
    this.anchored = seen;
  }

  private async client(): Promise<PoolClient> {
    if (this.closed) throw new HushError('Internal', 'the store is closed');
    let c: PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      throw dbError(e, this.url);
    }
    // A connection that dies while checked out (a server restart) emits 'error' besides failing the
    // query in flight; without a listener that event would end the process.
    if (!guarded.has(c)) {
      guarded.add(c);
      c.on('error', () => undefined);
    }
    return c;
  }

  private async appendAudit(c: PoolClient, events: AuditEvent[]): Promise<AuditAnchor | undefined> {
    const head = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM hush_audit_head WHERE id = 1 FOR UPDATE')).rows[0];
    if (!head) throw new HushError('CorruptStore', `${this.location}: the audit head row is missing`);
    let anchor: AuditAnchor | undefined = Number(head.seq) > 0 ? { seq: Number(head.seq), hash: head.hash } : undefined;
    if (!events.length) return anchor;
    const seqs: number[] = [];
    const lines: string[] = [];
    for (const e of events) {
      const r = this.chain.append(anchor, e);
      seqs.push(r.head.seq);
      lines.push(r.line);
      anchor = r.head;
    }
    await c.query('INSERT INTO hush_audit (seq, line) SELECT * FROM unnest($1::bigint[], $2::text[])', [seqs, lines]);
    await c.query('UPDATE hush_audit_head SET seq = $1, hash = $2 WHERE id = 1', [anchor!.seq, anchor!.hash]);
    return anchor;
  }

  transact<T>(fn: (tx: TeamStoreTx) => Promise<T> | T): Promise<T> {
    return this.run(fn);
  }

  private async run<T>(fn: (tx: TeamStoreTx) => Promise<T> | T): Promise<T> {
    const c = await this.client();
    let broken = false;
    try {
      const events: AuditEvent[] = [];
      try {
        await c.query('BEGIN');
        // The lock that serializes operations (see the file comment).
        await c.query('SELECT seq FROM hush_audit_head WHERE id = 1 FOR UPDATE');
        await c.query("SELECT set_config('hush.source', $1, true)", [this.source]);
      } catch (e) {
        broken = true;
        throw dbError(e, this.url);
      }
      const tx = new PgTx(c, events, this.url);
      let result: T;
      try {
        result = await fn(tx);
      } catch (e) {
        if (tx.failed) broken = true;
        // Drop the writes, keep the audit: a second transaction appends what was recorded.
        try {
          await c.query('ROLLBACK');
          if (events.length) {
            await c.query('BEGIN');
            await this.appendAudit(c, events);
            await c.query('COMMIT');
          }
        } catch (inner) {
          broken = true;
          await c.query('ROLLBACK').catch(() => undefined);
          if (!(e instanceof HushError)) throw dbError(inner, this.url);
        }
        throw e instanceof HushError ? e : dbError(e, this.url);
      }
      let head: AuditAnchor | undefined;
      try {
        head = await this.appendAudit(c, events);
        if (tx.wrote) await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, this.storeId]);
      } catch (e) {
        broken = true;
        await c.query('ROLLBACK').catch(() => undefined);
        throw dbError(e, this.url);
      }
      try {
        await c.query('COMMIT');
      } catch (e) {
        broken = true;
        const err = dbError(e, this.url);
        throw new HushError(err.code, `${err.message} — the connection was lost while committing, so the change may or may not have been applied; check before retrying`);
      }
      this.noteCommitted(head);
      return result;
    } finally {
      c.release(broken);
    }
  }

  async readAudit(): Promise<string[]> {
    const c = await this.client();
    try {
      return (await c.query<{ line: string }>('SELECT line FROM hush_audit ORDER BY seq')).rows.map((r) => r.line);
    } catch (e) {
      throw dbError(e, this.url);
    } finally {
      c.release();
    }
  }

  async auditAnchor(): Promise<AuditAnchor | undefined> {
    const c = await this.client();
    try {
      const head = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM hush_audit_head WHERE id = 1')).rows[0];
      return head && Number(head.seq) > 0 ? { seq: Number(head.seq), hash: head.hash } : undefined;
    } catch (e) {
      throw dbError(e, this.url);
    } finally {
      c.release();
    }
  }

  /**
   * Calls `onChange` after every committed change, from any machine
   * (LISTEN hush_changes on a connection of its own). Returns a function that
   * stops listening. A lost connection is retried every second; `onChange`
   * is called once when it comes back, since changes may have been missed.
   */
  async watch(onChange: () => void, onState?: (s: 'online' | 'offline', message?: string) => void): Promise<() => Promise<void>> {
    let stopped = false;
    let client: Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    // One reconnection pending at a time: a client that failed to connect also ends, and both
    // paths used to schedule one, doubling the attempts every second while the database was down.
    const reconnect = (): void => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        void connect(false).catch(() => undefined);
      }, 1000);
    };
    const connect = async (first: boolean): Promise<void> => {
      const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, application_name: 'hush-watch' });
      c.on('notification', (n) => {
        if (n.channel === CHANGES_CHANNEL) onChange();
      });
      c.on('error', () => undefined);
      c.on('end', () => {
        if (stopped || c !== client) return; // a client that never connected: the catch below handles it
        client = undefined;
        this.listeners = this.listeners.filter((x) => x !== c);
        onState?.('offline', `the connection to ${this.location} was lost`);
        reconnect();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      } catch (e) {
        void c.end().catch(() => undefined);
        if (first) throw dbError(e, this.url);
        onState?.('offline', dbError(e, this.url).message);
        reconnect();
        return;
      }
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      this.listeners.push(c);
      if (!first) {
        onState?.('online');
        onChange();
      }
    };
    await connect(true);
    return async () => {
      stopped = true;
      clearTimeout(retry);
      if (client) {
        this.listeners = this.listeners.filter((x) => x !== client);
        await client.end().catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.anchorTimer);
    await this.saveAnchor().catch(() => undefined);
    this.anchor?.close();
    this.closed = true;
    await Promise.all(this.listeners.map((c) => c.end().catch(() => undefined)));
    await this.pool.end().catch(() => undefined);
  }
}
