/**
 * A database secret's value: JSON in the shape AWS Secrets Manager uses for
 * database credentials, so the same value works with AWS's rotation
 * templates and SDK helpers:
 *
 *   {"engine": "postgres" | "mysql" | "mariadb", "host": "db.example.com",
 *    "port": 5432, "username": "app", "password": "…", "dbname": "orders"}
 *
 * `ssl` is Hush's addition (AWS leaves TLS to the rotation function):
 * `true` (TLS, certificate verified), `false`, or an object with
 * `rejectUnauthorized`, `ca` (PEM) and `servername`, passed to the driver as
 * Node's TLS options. Fields this module does not know are kept as they are.
 *
 * Errors name the secret and the field, never a value: the text of a secret
 * that is not JSON is not quoted back (JSON.parse's own message would).
 */
import { HushError } from '../../errors';

export type DbEngineName = 'postgres' | 'mysql' | 'mariadb';
export const DB_ENGINES: readonly DbEngineName[] = ['postgres', 'mysql', 'mariadb'];

export interface DbTls {
  rejectUnauthorized?: boolean;
  ca?: string;
  servername?: string;
}

export interface DbCredentials {
  engine: DbEngineName;
  host: string;
  port: number;
  username: string;
  password: string;
  dbname?: string;
  ssl?: boolean | DbTls;
  /** Other fields of the JSON, kept on rewrite. */
  [extra: string]: unknown;
}

export const DEFAULT_PORT: Record<DbEngineName, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };

function bad(what: string, problem: string): HushError {
  return new HushError('InvalidArgument', `${what} ${problem}. A database secret is JSON like {"engine": "postgres", "host": "db.example.com", "port": 5432, "username": "app", "password": "…", "dbname": "app"}.`);
}

/** Parses and checks a database secret's value; `what` names it in errors ("secret myapp/DB"). */
export function parseDbCredentials(text: string, what: string): DbCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad(what, 'is not JSON');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(what, 'is not a JSON object');
  return checkDbCredentials(raw as Record<string, unknown>, what);
}

/** Checks a parsed object (see parseDbCredentials). */
export function checkDbCredentials(o: Record<string, unknown>, what: string): DbCredentials {
  const engine = o.engine;
  if (typeof engine !== 'string' || !(DB_ENGINES as readonly string[]).includes(engine)) {
    throw bad(what, `has ${engine === undefined ? 'no "engine"' : `"engine": ${JSON.stringify(String(engine)).slice(0, 40)}`}; it must be one of ${DB_ENGINES.join(', ')}`);
  }
  for (const f of ['host', 'username', 'password'] as const) {
    if (typeof o[f] !== 'string' || (o[f] as string).length === 0) throw bad(what, `has no "${f}" (a non-empty string)`);
  }
  if (o.dbname !== undefined && typeof o.dbname !== 'string') throw bad(what, 'has a "dbname" that is not a string');
  let port = DEFAULT_PORT[engine as DbEngineName];
  if (o.port !== undefined) {
    const p = typeof o.port === 'string' && /^\d+$/.test(o.port) ? Number(o.port) : o.port;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) throw bad(what, 'has a "port" that is not a whole number from 1 to 65535');
    port = p;
  }
  const ssl = o.ssl;
  if (ssl !== undefined && typeof ssl !== 'boolean') {
    if (!ssl || typeof ssl !== 'object' || Array.isArray(ssl)) throw bad(what, 'has an "ssl" that is neither true, false nor an object of TLS options');
    const t = ssl as Record<string, unknown>;
    if (t.rejectUnauthorized !== undefined && typeof t.rejectUnauthorized !== 'boolean') throw bad(what, 'has an "ssl.rejectUnauthorized" that is not true or false');
    for (const k of ['ca', 'servername']) if (t[k] !== undefined && typeof t[k] !== 'string') throw bad(what, `has an "ssl.${k}" that is not a string`);
  }
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !['engine', 'host', 'port', 'username', 'password'].includes(k)));
  return { engine: engine as DbEngineName, host: o.host as string, port, username: o.username as string, password: o.password as string, ...rest } as DbCredentials;
}

/** The JSON text stored as the secret's value (two-space indent, fields in AWS's order first). */
export function formatDbCredentials(c: DbCredentials): string {
  const { engine, host, port, username, password, dbname, ...rest } = c;
  return JSON.stringify({ engine, host, port, username, password, ...(dbname !== undefined ? { dbname } : {}), ...rest }, null, 2);
}

/** TLS options for a driver: undefined for none. */
export function tlsOptions(c: DbCredentials): DbTls | undefined {
  if (c.ssl === undefined || c.ssl === false) return undefined;
  if (c.ssl === true) return { rejectUnauthorized: true };
  return { rejectUnauthorized: true, ...c.ssl };
}

const URL_SCHEMES: Record<string, DbEngineName> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mariadb' };

/** TLS as a URL's query asks for it (libpq's sslmode; MySQL's ssl-mode / sslMode; ssl=true|false). */
function tlsFromParams(params: Record<string, string>): boolean | DbTls | undefined {
  const mode = (params.sslmode ?? params['ssl-mode'] ?? params.sslMode ?? '').toLowerCase().replace(/_/g, '-');
  if (mode === 'disable' || mode === 'disabled') return false;
  if (mode === 'require' || mode === 'required' || mode === 'prefer' || mode === 'preferred' || mode === 'allow') return { rejectUnauthorized: false };
  if (mode.startsWith('verify')) return true;
  if (params.ssl === 'true' || params.ssl === 'false') return params.ssl === 'true';
  return undefined;
}

/**
 * A connection URL (`postgres://user:pass@host:5432/db?sslmode=require`,
 * `mysql://…`, `mariadb://…`) as database credentials; undefined when it is
 * not one of these or has no user and password. The query parameters are
 * kept verbatim in `params` (so the URL form comes back as it was), and the
 * TLS ones also set `ssl` for Hush's own connections.
 */
export function dbCredentialsFromUrl(url: string): DbCredentials | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const engine = URL_SCHEMES[u.protocol.replace(/:$/, '').toLowerCase()];
  if (!engine || !u.hostname || !u.username || !u.password) return undefined;
  let c: DbCredentials;
  try {
    c = {
      engine,
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: u.port ? Number(u.port) : DEFAULT_PORT[engine],
      username: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    };
    const dbname = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (dbname) c.dbname = dbname;
  } catch {
    return undefined; // a malformed %-escape
  }
  const params = Object.fromEntries(u.searchParams);
  if (Object.keys(params).length) {
    c.params = params;
    const ssl = tlsFromParams(params);
    if (ssl !== undefined) c.ssl = ssl;
  }
  return c;
}

/** The credentials as a connection URL, every part percent-encoded (the inverse of dbCredentialsFromUrl). */
export function dbUrlOf(c: DbCredentials): string {
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  const q = new URLSearchParams();
  if (c.params && typeof c.params === 'object') {
    for (const [k, v] of Object.entries(c.params as Record<string, unknown>)) if (typeof v === 'string') q.set(k, v);
  } else if (c.engine === 'postgres' && c.ssl !== undefined) {
    q.set('sslmode', c.ssl === false ? 'disable' : c.ssl === true || c.ssl.rejectUnauthorized !== false ? 'verify-full' : 'require');
  }
  const query = q.toString();
  return `${c.engine}://${encodeURIComponent(c.username)}:${encodeURIComponent(c.password)}@${host}:${c.port}/${encodeURIComponent(c.dbname ?? '')}${query ? `?${query}` : ''}`;
}
