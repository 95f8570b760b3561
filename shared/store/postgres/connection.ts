/**
 * Connecting to the team store's PostgreSQL: URLs, libpq environment
 * variables, and errors a user can act on. node-postgres (`pg`, pure
 * JavaScript) reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and the
 * URL's `sslmode` itself, as libpq does; Hush adds a connect timeout, so an
 * unreachable database is one clear message naming the host, never a hang.
 */
import { Pool, type PoolConfig } from 'pg';
import { HushError } from '../../errors';

export const CONNECT_TIMEOUT_MS = 5_000;

export function isPostgresUrl(s: string | undefined): boolean {
  return s !== undefined && /^postgres(ql)?:\/\//i.test(s.trim());
}

/** The URL without its password, for messages and the status bar. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** host:port as the connection will use it (URL, else PGHOST/PGPORT, else the libpq defaults). */
export function hostOf(url: string, env: NodeJS.ProcessEnv = process.env): string {
  let host = '';
  let port = '';
  try {
    const u = new URL(url);
    host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || '';
    port = u.port || u.searchParams.get('port') || '';
  } catch {
    /* fall back to the environment */
  }
  host ||= env.PGHOST || 'localhost';
  port ||= env.PGPORT || '5432';
  return host.startsWith('/') ? `${host} (socket), port ${port}` : `${host}:${port}`;
}

export function newPool(url: string, o: { max?: number } = {}): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: o.max ?? 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    application_name: 'hush',
  };
  const pool = new Pool(config);
  // An idle connection that dies (a server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Turns a pg or network error into a HushError naming the host and what to do; HushErrors pass through. */
export function dbError(e: unknown, url: string, env: NodeJS.ProcessEnv = process.env): HushError {
  if (e instanceof HushError) return e;
  const err = e as { code?: string; message?: string; routine?: string };
  const host = hostOf(url, env);
  const msg = String(err?.message ?? e).split('\n')[0]!.slice(0, 200);
  const code = err?.code ?? '';
  if (UNREACHABLE.has(code) || /timeout|terminated|Connection ended|connect/i.test(msg) || code.startsWith('08') || code === '57P01' || code === '57P03') {
    return new HushError('StoreUnavailable', `the team store at ${host} is unreachable (${msg}); check that PostgreSQL is running there and that HUSH_STORE is right`);
  }
  if (code === '28P01' || code === '28000') {
    return new HushError('StoreUnavailable', `PostgreSQL at ${host} refused the login (${msg}); check the user and password in the store URL or PGPASSWORD`);
  }
  if (code === '3D000') return new HushError('StoreNotFound', `PostgreSQL at ${host} has no such database (${msg}); create it, then run 'hush store init URL'`);
  if (code === '42501') return new HushError('AccessDenied', `PostgreSQL at ${host} refused the change (${msg})`);
  if (code === '42P01') return new HushError('StoreNotFound', `the database at ${host} is not a Hush team store (${msg}); run 'hush store init URL' first`);
  return new HushError('Internal', `PostgreSQL at ${host}: ${msg}${code ? ` (${code})` : ''}`);
}
