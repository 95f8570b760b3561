/**
 * Opening, creating and migrating a team store on PostgreSQL: the team half
 * of the composition root. Above the Store interface everything is wired
 * exactly as for the embedded store; what differs is who you are (a member,
 * by the X25519 identity whose public key is in hush_members), where the
 * audit chain's MAC key comes from (the team key, sealed to each member),
 * and where CMK material is opened (the TeamVault: one HPKE copy per member
 * granted the key).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Pool } from 'pg';
import { HushError } from '../errors';
import { deriveKey } from '../crypto/aead';
import { Pipeline } from '../core/pipeline';
import { Kms } from '../kms/kms';
import { SecretsManager } from '../secrets/secretsManager';
import type { Authorizer, Caller, Source } from '../policy/access';
import { PolicyAuthorizer } from '../policy/engine';
import { TeamPolicySource } from '../policy/sources';
import { dbError, hostOf, newPool, redactUrl } from '../store/postgres/connection';
import { MIGRATIONS, SCHEMA_VERSION } from '../store/postgres/migrations';
import { PgStore } from '../store/postgres/pgStore';
import { FreshnessAnchor } from '../store/freshnessAnchor';
import { AnchorFile } from '../store/anchorFile';
import { realDisk } from '../store/disk';
import { type Identity, loadIdentity } from '../team/identity';
import { openWith, sealTo } from '../team/hpke';
import { Team } from '../team/team';
import { TeamPolicies } from '../team/policies';
import { type Me, teamKeyInfo, TeamVault } from '../team/teamVault';
import { Credentials } from '../serve/credentials';

export interface TeamOpenOptions {
  url: string;
  env?: NodeJS.ProcessEnv;
  source?: Source;
  clock?: () => Date;
  policy?: Authorizer;
  /** A given identity instead of HUSH_IDENTITY / the keychain (tests, `hush store copy`). */
  identity?: Identity;
}

export interface OpenedTeamStore {
  manager: SecretsManager;
  store: PgStore;
  team: Team;
  policies: TeamPolicies;
  caller: Caller;
  /** The URL without its password. */
  location: string;
  identitySource: string;
  /** The access keys of `hush serve`. */
  credentials: Credentials;
}

interface Meta {
  storeId: string;
  schemaVersion: number;
}

async function readMeta(pool: Pool, url: string): Promise<Meta | undefined> {
  let rows: { k: string; v: string }[];
  try {
    const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('hush_meta')::text AS t");
    if (!exists.rows[0]?.t) return undefined;
    rows = (await pool.query<{ k: string; v: string }>('SELECT k, v FROM hush_meta')).rows;
  } catch (e) {
    throw dbError(e, url);
  }
  const m = new Map(rows.map((r) => [r.k, r.v]));
  const storeId = m.get('store_id');
  if (!storeId) throw new HushError('CorruptStore', `${redactUrl(url)} has a hush_meta table without a store id`);
  return { storeId, schemaVersion: Number(m.get('schema_version') ?? 0) };
}

function checkSchema(meta: Meta, url: string): void {
  if (meta.schemaVersion < SCHEMA_VERSION) {
    throw new HushError('SchemaMismatch', `the team store at ${redactUrl(url)} has schema version ${meta.schemaVersion}; this Hush needs ${SCHEMA_VERSION}. Run 'hush store migrate ${redactUrl(url)}' (it changes the database for every member)`);
  }
  if (meta.schemaVersion > SCHEMA_VERSION) {
    throw new HushError('SchemaMismatch', `the team store at ${redactUrl(url)} has schema version ${meta.schemaVersion}, newer than this Hush knows (${SCHEMA_VERSION}); update Hush`);
  }
}

/** Opens a team store as the member whose identity this machine has. */
export async function openTeamStore(o: TeamOpenOptions): Promise<OpenedTeamStore> {
  const env = o.env ?? process.env;
  const pool = newPool(o.url);
  try {
    const meta = await readMeta(pool, o.url);
    if (!meta) throw new HushError('StoreNotFound', `the database at ${hostOf(o.url, env)} is not a Hush team store yet; create it with 'hush store init ${redactUrl(o.url)}'`);
    checkSchema(meta, o.url);
    const identity = o.identity ?? (await loadIdentity(env));
    let row: { id: string; name: string; sealed_team_key: string } | undefined;
    try {
      row = (await pool.query('SELECT id, name, sealed_team_key FROM hush_members WHERE public_key = $1', [identity.publicKey])).rows[0];
    } catch (e) {
      throw dbError(e, o.url);
    }
    if (!row) {
      throw new HushError(
        'NotAMember',
        `you are not a member of the team store at ${hostOf(o.url, env)}. Send your public key to a member and ask them to run: hush member add ${defaultMemberName(env)} ${identity.publicKey}`,
      );
    }
    const teamKey = await openWith(identity.privateKey, teamKeyInfo(meta.storeId, row.id), row.sealed_team_key);
    const me: Me = { id: row.id, name: row.name, privateKey: identity.privateKey, publicKey: identity.publicKey };
    // The newest state this member saw, on their machine, MAC'd under their identity (a database administrator cannot forge it).
    const anchor = new FreshnessAnchor(AnchorFile.forStore(realDisk, env, `${meta.storeId}.${row.id}`, '/nonexistent/hush-team-store'), identity.privateKey, meta.storeId);
    const store = new PgStore({ url: o.url, storeId: meta.storeId, pool, auditMacKey: deriveKey(teamKey, meta.storeId, 'audit-mac'), source: o.source ?? 'cli', anchor });
    try {
      await store.checkFreshness();
    } catch (e) {
      anchor.close();
      throw e;
    }
    const caller: Caller = { principal: row.name, groups: [], source: o.source ?? 'cli', auth: 'identity', host: hostname() };
    const pipeline = new Pipeline({ store, caller, authorizer: o.policy ?? new PolicyAuthorizer(new TeamPolicySource()), clock: o.clock ?? (() => new Date()) });
    const vault = new TeamVault(meta.storeId, me);
    const kms = new Kms(pipeline, vault);
    const manager = new SecretsManager({ pipeline, kms, auditKey: deriveKey(teamKey, meta.storeId, 'audit-mac') });
    const team = new Team(pipeline, kms, vault, me, teamKey, meta.storeId);
    return { manager, store, team, policies: new TeamPolicies(pipeline, kms), caller, location: redactUrl(o.url), identitySource: identity.source, credentials: new Credentials(pipeline, kms) };
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/** The policy the first member of a team store gets: everything. */
export const ADMIN_POLICY = 'TeamAdmin';
const ADMIN_DOCUMENT = { Version: '2012-10-17', Statement: [{ Sid: 'AdministerTheStore', Effect: 'Allow', Action: ['*'], Resource: ['*'] }] };

/** The member name to suggest: the OS user name. */
export function defaultMemberName(env: NodeJS.ProcessEnv = process.env): string {
  const n = (env.USER || env.LOGNAME || env.USERNAME || 'me').replace(/[^A-Za-z0-9._@-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return n.slice(0, 64) || 'me';
}

/**
 * Creates the schema in an empty database and makes the caller its first
 * member, holding the team key and the default CMK.
 */
export async function initTeamStore(o: TeamOpenOptions & { memberName?: string }): Promise<OpenedTeamStore> {
  const env = o.env ?? process.env;
  const name = o.memberName ?? defaultMemberName(env);
  const pool = newPool(o.url, { max: 1 });
  try {
    if (await readMeta(pool, o.url)) throw new HushError('StoreExists', `${redactUrl(o.url)} already holds a Hush team store; open it with HUSH_STORE=${redactUrl(o.url)}`);
    const identity = o.identity ?? (await loadIdentity(env));
    const storeId = randomUUID();
    const memberId = randomUUID();
    const teamKey = randomBytes(32);
    const c = await pool.connect().catch((e: unknown) => {
      throw dbError(e, o.url);
    });
    try {
      await c.query('BEGIN');
      for (const m of MIGRATIONS) await c.query(m.sql);
      const now = (o.clock ?? (() => new Date()))().toISOString();
      await c.query('INSERT INTO hush_meta (k, v) VALUES ($1, $2), ($3, $4), ($5, $6)', ['store_id', storeId, 'schema_version', String(SCHEMA_VERSION), 'created_at', now]);
      const sealed = await sealTo(Buffer.from(identity.publicKey, 'base64'), teamKeyInfo(storeId, memberId), teamKey);
      await c.query('INSERT INTO hush_members (id, name, public_key, sealed_team_key, created_at, added_by, db_role) VALUES ($1, $2, $3, $4, $5, $2, current_user)', [
        memberId,
        name,
        identity.publicKey,
        sealed,
        now,
      ]);
      // The first member administers the store; everyone else starts with nothing (default deny).
      await c.query('INSERT INTO hush_policies (name, document, updated_at, updated_by) VALUES ($1, $2, $3, $4)', [ADMIN_POLICY, JSON.stringify(ADMIN_DOCUMENT), now, name]);
      await c.query('INSERT INTO hush_policy_attachments (policy, member_id) VALUES ($1, $2)', [ADMIN_POLICY, memberId]);
      // From here on the database checks every write against policy (store/postgres/enforcement.ts).
      await c.query("INSERT INTO hush_meta (k, v) VALUES ('enforced', 'true')");
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw dbError(e, o.url);
    } finally {
      c.release();
      teamKey.fill(0);
    }
    await pool.end();
    const opened = await openTeamStore({ ...o, identity });
    await opened.manager.kms.ensureDefaultKey();
    return opened;
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/** Applies the migrations a team store lacks, each in its own transaction; returns those applied. */
export async function migrateTeamStore(url: string): Promise<{ from: number; to: number }> {
  const pool = newPool(url, { max: 1 });
  try {
    const meta = await readMeta(pool, url);
    if (!meta) throw new HushError('StoreNotFound', `${redactUrl(url)} is not a Hush team store; create one with 'hush store init URL'`);
    if (meta.schemaVersion > SCHEMA_VERSION) checkSchema(meta, url);
    const c = await pool.connect().catch((e: unknown) => {
      throw dbError(e, url);
    });
    try {
      for (const m of MIGRATIONS.filter((x) => x.version > meta.schemaVersion)) {
        await c.query('BEGIN');
        await c.query('SELECT seq FROM hush_audit_head WHERE id = 1 FOR UPDATE').catch(() => undefined);
        await c.query(m.sql);
        await c.query("UPDATE hush_meta SET v = $1 WHERE k = 'schema_version'", [String(m.version)]);
        await c.query('COMMIT');
      }
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw dbError(e, url);
    } finally {
      c.release();
    }
    return { from: meta.schemaVersion, to: SCHEMA_VERSION };
  } finally {
    await pool.end().catch(() => undefined);
  }
}
