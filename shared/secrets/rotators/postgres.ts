/**
 * PostgreSQL for the built-in rotators, through `pg` (node-postgres, pure JS).
 *
 * Passwords: `ALTER ROLE` is a utility statement, which takes no bind
 * parameters, so the new password goes as a SCRAM-SHA-256 verifier computed
 * here (scramVerifier.ts), quoted with the driver's escapeLiteral and the
 * role name with escapeIdentifier. The statement text, and so
 * pg_stat_activity.query, the server log and any error's STATEMENT line,
 * holds the salted verifier, never the password. Look-ups use `$1`
 * parameters.
 */
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { DbCredentials } from './dbCredentials';
import { tlsOptions } from './dbCredentials';
import type { DbEngine } from './dbEngine';
import { scramSha256Verifier } from './scramVerifier';

const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 30_000;

async function withClient<T>(c: DbCredentials, fn: (client: Client) => Promise<T>): Promise<T> {
  const ssl = tlsOptions(c);
  const client = new Client({
    host: c.host,
    port: c.port,
    user: c.username,
    password: c.password,
    database: c.dbname ?? 'postgres',
    ...(ssl ? { ssl } : {}),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: 'hush-rotation',
  });
  client.on('error', () => undefined); // a dropped connection fails the pending query; nothing else to do
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgres: DbEngine = {
  label: 'PostgreSQL',
  // AWS's default exclusions for RDS passwords, plus the backquote: safe in URLs once encoded, in shells and in .pgpass.
  excludeCharacters: '/@"\'\\`:',
  maxUsernameLength: () => 63,

  async check(c) {
    await withClient(c, async (client) => {
      const r = await client.query<{ u: string }>('SELECT current_user AS u');
      if (r.rows[0]?.u !== c.username) throw new Error(`logged in as ${r.rows[0]?.u ?? '?'}, not ${c.username}`);
    });
  },

  async setPassword(as, user, password) {
    await withClient(as, (client) => client.query(`ALTER ROLE ${escapeIdentifier(user)} WITH PASSWORD ${escapeLiteral(scramSha256Verifier(password))}`));
    return `ALTER ROLE ${user} as ${as.username === user ? 'itself' : as.username}, with a SCRAM-SHA-256 verifier`;
  },

  async userExists(admin, user) {
    return withClient(admin, async (client) => (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).rowCount === 1);
  },

  async createClone(admin, source, clone, password) {
    // AWS's alternating-users template does the same: a new login role that is a member of the
    // original, so it has the original's privileges, and objects either creates stay usable to both.
    await withClient(admin, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(`CREATE ROLE ${escapeIdentifier(clone)} WITH LOGIN PASSWORD ${escapeLiteral(scramSha256Verifier(password))}`);
        await client.query(`GRANT ${escapeIdentifier(source)} TO ${escapeIdentifier(clone)}`);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    return `created the role ${clone} (LOGIN, member of ${source}) as ${admin.username}`;
  },

  isLoginRefused(e) {
    const code = (e as { code?: unknown })?.code;
    return code === '28P01' || code === '28000';
  },
};
