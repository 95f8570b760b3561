/**
 * MySQL and MariaDB for the built-in rotators, through `mysql2` (pure JS).
 *
 * Statements are built with mysql2's client-side formatting: each `?`
 * becomes a properly escaped string literal, user and host names included
 * (MySQL's account syntax takes them as literals: 'app'@'%'). Passwords:
 * - MariaDB, account on mysql_native_password (its default):
 *   `SET PASSWORD [FOR 'u'@'h'] = '*<hash>'`, the plugin's documented stored
 *   form computed here with node:crypto (`*` + hex(SHA1(SHA1(password)))).
 *   The password never reaches the server: SHOW PROCESSLIST,
 *   information_schema.PROCESSLIST, the general and slow logs and the binlog
 *   hold the hash only. (A user may SET its own password without any
 *   privilege; ALTER USER CURRENT_USER() needs CREATE USER on MariaDB.)
 * - MariaDB, another plugin (ed25519…): `SET PASSWORD … = PASSWORD('…')`,
 *   the only form the plugin hashes itself; the literal is escaped by the
 *   driver and is visible in the process list while the statement runs.
 * - MySQL: `ALTER USER … IDENTIFIED BY '…'`, escaped by the driver; MySQL
 *   documents that it rewrites the password out of the general and slow
 *   query logs and the binary log. (Not tested here: Debian ships MariaDB.)
 */
import { createHash } from 'node:crypto';
import * as mysql from 'mysql2/promise';
import type { DbCredentials } from './dbCredentials';
import { tlsOptions } from './dbCredentials';
import type { DbEngine } from './dbEngine';

const CONNECT_TIMEOUT_MS = 10_000;

/** mysql_native_password's stored form. */
export function mysqlNativeHash(password: string): string {
  const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest();
  return `*${sha1(sha1(Buffer.from(password, 'utf8'))).toString('hex').toUpperCase()}`;
}

async function withConnection<T>(c: DbCredentials, fn: (conn: mysql.Connection, mariadb: boolean) => Promise<T>): Promise<T> {
  const ssl = tlsOptions(c);
  const conn = await mysql.createConnection({
    host: c.host,
    port: c.port,
    user: c.username,
    password: c.password,
    ...(c.dbname ? { database: c.dbname } : {}),
    ...(ssl ? { ssl } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  conn.on('error', () => undefined);
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    return await fn(conn, /mariadb/i.test(String(rows[0]?.v)));
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/** `user@host` as CURRENT_USER() returns it. */
function splitAccount(account: string): { user: string; host: string } {
  const at = account.lastIndexOf('@');
  return { user: account.slice(0, at), host: account.slice(at + 1) };
}

async function hostsOf(conn: mysql.Connection, user: string): Promise<string[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT Host AS h FROM mysql.user WHERE User = ? ORDER BY Host', [user]);
  return rows.map((r) => String(r.h));
}

/** Whether the account authenticates with mysql_native_password (MariaDB's default). */
async function usesNativePassword(conn: mysql.Connection, account: { user: string; host: string } | 'self'): Promise<boolean> {
  const [rows] =
    account === 'self'
      ? await conn.query<mysql.RowDataPacket[]>('SHOW CREATE USER CURRENT_USER()')
      : await conn.query<mysql.RowDataPacket[]>('SHOW CREATE USER ?@?', [account.user, account.host]);
  const text = String(Object.values(rows[0] ?? {})[0] ?? '');
  const via = /IDENTIFIED (?:VIA|WITH) '?(\w+)'?/i.exec(text);
  return via ? via[1]!.toLowerCase() === 'mysql_native_password' : true; // `IDENTIFIED BY PASSWORD '*…'` or no password: native
}

/**
 * One line of SHOW GRANTS for `source`, made to grant the same to `clone`:
 * the account after TO (and after FOR, in SET DEFAULT ROLE) replaced, and the
 * stored password hash MariaDB prints on the USAGE line dropped.
 */
export function grantForClone(line: string, sourceAccount: string, cloneAccount: string): string {
  const stripped = line.replace(/ IDENTIFIED (?:BY PASSWORD '[^']*'|VIA .*?)(?= REQUIRE | WITH |$)/, '');
  const out = stripped.split(` TO ${sourceAccount}`).join(` TO ${cloneAccount}`).split(` FOR ${sourceAccount}`).join(` FOR ${cloneAccount}`);
  if (out.includes(sourceAccount) || / IDENTIFIED /i.test(out)) throw new Error(`cannot copy a grant of ${sourceAccount} to ${cloneAccount}: ${out.slice(0, 120)}`);
  return out;
}

export const mysqlEngine: DbEngine = {
  label: 'MySQL/MariaDB',
  excludeCharacters: '/@"\'\\`:',
  maxUsernameLength: (c) => (c.engine === 'mariadb' ? 80 : 32),

  async check(c) {
    await withConnection(c, async (conn) => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT CURRENT_USER() AS u');
      const who = splitAccount(String(rows[0]?.u ?? '')).user;
      if (who !== c.username) throw new Error(`logged in as ${who || '?'}, not ${c.username}`);
    });
  },

  async setPassword(as, user, password) {
    return withConnection(as, async (conn, mariadb) => {
      const self = as.username === user;
      if (!mariadb) {
        if (self) await conn.query('ALTER USER CURRENT_USER() IDENTIFIED BY ?', [password]);
        else for (const host of await hostsOf(conn, user)) await conn.query('ALTER USER ?@? IDENTIFIED BY ?', [user, host, password]);
        return `ALTER USER ${user} as ${self ? 'itself' : as.username}`;
      }
      const accounts = self ? ['self' as const] : (await hostsOf(conn, user)).map((host) => ({ user, host }));
      if (accounts.length === 0) throw new Error(`there is no user ${user}`);
      const forms = new Set<string>();
      for (const a of accounts) {
        const native = await usesNativePassword(conn, a);
        const target = a === 'self' ? '' : ' FOR ?@?';
        const params = a === 'self' ? [] : [a.user, a.host];
        if (native) await conn.query(`SET PASSWORD${target} = ?`, [...params, mysqlNativeHash(password)]);
        else await conn.query(`SET PASSWORD${target} = PASSWORD(?)`, [...params, password]);
        forms.add(native ? 'a mysql_native_password hash' : "the account's plugin");
      }
      return `SET PASSWORD for ${user} as ${self ? 'itself' : as.username}, with ${[...forms].join(' and ')}`;
    });
  },

  async userExists(admin, user) {
    return withConnection(admin, async (conn) => (await hostsOf(conn, user)).length > 0);
  },

  async createClone(admin, source, clone, password) {
    return withConnection(admin, async (conn, mariadb) => {
      const hosts = await hostsOf(conn, source);
      if (hosts.length === 0) throw new Error(`there is no user ${source} to copy the grants of`);
      try {
        for (const host of hosts) {
          if (mariadb) await conn.query('CREATE USER ?@? IDENTIFIED BY PASSWORD ?', [clone, host, mysqlNativeHash(password)]);
          else await conn.query('CREATE USER ?@? IDENTIFIED BY ?', [clone, host, password]);
          const [grants] = await conn.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR ?@?', [source, host]);
          const from = `${conn.escapeId(source)}@${conn.escapeId(host)}`;
          const to = `${conn.escapeId(clone)}@${conn.escapeId(host)}`;
          for (const g of grants) await conn.query(grantForClone(String(Object.values(g)[0]), from, to));
        }
      } catch (e) {
        // DDL commits as it goes: take a half-made clone away so a rerun starts clean.
        for (const host of hosts) await conn.query('DROP USER IF EXISTS ?@?', [clone, host]).catch(() => undefined);
        throw e;
      }
      return `created the user ${clone}@${hosts.join(',')} with the grants of ${source}, as ${admin.username}`;
    });
  },

  isLoginRefused(e) {
    const x = e as { code?: unknown; errno?: unknown };
    return x?.code === 'ER_ACCESS_DENIED_ERROR' || x?.errno === 1045 || x?.errno === 1698;
  },
};
