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
import type { MemberRecord, TeamStoreTx } from '../team';
import { dbError, redactUrl } from './connection';

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
  return { id: r.id, name: r.name, publicKey: r.public_key, sealedTeamKey: r.sealed_team_key, createdAt: r.created_at, addedBy: r.added_by };
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
      return (await this.c.query({ name, text, values })).rows;
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

  async getKey(id: string): Promise<KeyRecord | undefined> {
    return (await this.rows<{ record: KeyRecord }>('hush-get-key', 'SELECT record FROM hush_keys WHERE id = $1', [id]))[0]?.record;
  }
  async listKeys(): Promise<KeyRecord[]> {
    return (await this.rows<{ record: KeyRecord }>('hush-list-keys', 'SELECT record FROM hush_keys ORDER BY id')).map((r) => r.record);
  }
  putKey(k: KeyRecord): Promise<void> {
    return this.write('hush-put-key', 'INSERT INTO hush_keys (id, record) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record', [k.id, JSON.stringify(k)]);
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
    return this.write(
      'hush-put-alias',
      'INSERT INTO hush_aliases (name, key_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET key_id = EXCLUDED.key_id, created_at = EXCLUDED.created_at',
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
    return this.write('hush-put-import', 'INSERT INTO hush_imports (token, record) VALUES ($1, $2) ON CONFLICT (token) DO UPDATE SET record = EXCLUDED.record', [p.token, JSON.stringify(p)]);
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
  async putSecret(s: SecretRecord): Promise<void> {
    // Checked first: a failed statement would abort the whole transaction.
    const other = await this.findSecretByName(s.name);
    if (other && other.id !== s.id) throw new HushError('SecretExists', `a secret named '${s.name}' already exists`);
    await this.write(
      'hush-put-secret',
      `INSERT INTO hush_secrets (id, name, description, kms_key_id, tags, created_at, updated_at, last_accessed_at, deletion_date, rotation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, kms_key_id = EXCLUDED.kms_key_id,
         tags = EXCLUDED.tags, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
         last_accessed_at = EXCLUDED.last_accessed_at, deletion_date = EXCLUDED.deletion_date, rotation = EXCLUDED.rotation`,
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
  putVersion(secretId: string, v: VersionRecord): Promise<void> {
    return this.write(
      'hush-put-version',
      `INSERT INTO hush_versions (secret_id, id, created_at, kms_key_id, ciphertext, type, labels, fingerprint, fingerprint_material, value_length)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (secret_id, id) DO UPDATE SET created_at = EXCLUDED.created_at, kms_key_id = EXCLUDED.kms_key_id,
         ciphertext = EXCLUDED.ciphertext, type = EXCLUDED.type, labels = EXCLUDED.labels, fingerprint = EXCLUDED.fingerprint,
         fingerprint_material = EXCLUDED.fingerprint_material, value_length = EXCLUDED.value_length`,
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
    return this.write(
      'hush-put-credential',
      `INSERT INTO hush_credentials (access_key_id, name, created_at, created_by, revoked_at, kms_key_id, sealed_secret) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (access_key_id) DO UPDATE SET name = EXCLUDED.name, revoked_at = EXCLUDED.revoked_at, kms_key_id = EXCLUDED.kms_key_id, sealed_secret = EXCLUDED.sealed_secret`,
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
    await this.write(
      'hush-put-member',
      `INSERT INTO hush_members (id, name, public_key, sealed_team_key, created_at, added_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, public_key = EXCLUDED.public_key, sealed_team_key = EXCLUDED.sealed_team_key`,
      [m.id, m.name, m.publicKey, m.sealedTeamKey, m.createdAt, m.addedBy],
    );
  }
  deleteMember(id: string): Promise<void> {
    return this.write('hush-delete-member', 'DELETE FROM hush_members WHERE id = $1', [id]);
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
}

export class PgStore implements Store {
  readonly storeId: string;
  readonly location: string;
  readonly readOnly = false;
  private readonly url: string;
  private readonly pool: Pool;
  private readonly chain: AuditChain;
  private closed = false;
  private listeners: Client[] = [];

  constructor(o: PgStoreOptions) {
    this.storeId = o.storeId;
    this.url = o.url;
    this.location = redactUrl(o.url);
    this.pool = o.pool;
    this.chain = new AuditChain(o.auditMacKey);
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
      try {
        await this.appendAudit(c, events);
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
    const connect = async (first: boolean): Promise<void> => {
      const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, application_name: 'hush-watch' });
      c.on('notification', (n) => {
        if (n.channel === CHANGES_CHANNEL) onChange();
      });
      c.on('error', () => undefined);
      c.on('end', () => {
        if (stopped) return;
        onState?.('offline', `the connection to ${this.location} was lost`);
        retry = setTimeout(() => void connect(false).catch(() => undefined), 1000);
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      } catch (e) {
        void c.end().catch(() => undefined);
        if (first) throw dbError(e, this.url);
        onState?.('offline', dbError(e, this.url).message);
        if (!stopped) retry = setTimeout(() => void connect(false).catch(() => undefined), 1000);
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
    this.closed = true;
    await Promise.all(this.listeners.map((c) => c.end().catch(() => undefined)));
    await this.pool.end().catch(() => undefined);
  }
}
