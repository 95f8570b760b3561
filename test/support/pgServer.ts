/**
 * A real PostgreSQL server for tests: HUSH_TEST_PG_URL when it is set,
 * otherwise a throwaway cluster made from the Debian binaries (initdb into a
 * temporary folder, pg_ctl on a private Unix socket and a free TCP port on
 * 127.0.0.1), stopped when the suite calls stop() or the process exits.
 *
 * Local socket logins are trusted (the admin); TCP logins check passwords
 * (scram-sha-256), so tests that care about passwords connect over TCP.
 * `initdb` refuses to run as root: as root the cluster runs as the
 * `postgres` system user the Debian package creates.
 *
 * Every call gets a fresh database, so suites never see each other's rows,
 * whether the server is throwaway or given.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface PgServer {
  /** postgres://postgres@127.0.0.1:PORT/DB with the admin password (TCP). */
  url: string;
  /** The admin over the Unix socket (trusted), for setup SQL with psql. */
  socketUrl: string;
  host: string;
  port: number;
  database: string;
  adminUser: string;
  adminPassword: string;
  /** Drops the database; stops the server if this process started it. */
  stop(): Promise<void>;
  /** Restarts a throwaway server (fast shutdown, then start); throws for a given URL. */
  restart(): void;
  /** Stops a throwaway server (the database is down) until resume(); throws for a given URL. */
  halt(): void;
  resume(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The folder holding initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL server binaries not found (install the Debian package "postgresql", or set HUSH_TEST_PG_URL or PG_BIN)');
}

function asOwner(isRoot: boolean, cmd: string, args: string[]): string[] {
  return isRoot ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function run(argv: string[], what: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

/** psql as the admin over the socket (or the given URL); returns stdout. */
export function psql(server: Pick<PgServer, 'socketUrl'>, sql: string, db?: string): string {
  const url = db ? server.socketUrl.replace(/\/[^/?]*(\?|$)/, `/${db}$1`) : server.socketUrl;
  return execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', url, '-c', sql], { encoding: 'utf8' });
}

interface Cluster {
  dir: string;
  port: number;
  password: string;
  isRoot: boolean;
  bin: string;
  users: number;
}

let cluster: Cluster | undefined;

function startCluster(): Cluster {
  if (cluster) return cluster;
  const bin = postgresBin();
  const isRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'hush-pg-'));
  if (isRoot) chownSync(dir, Number(run(['id', '-u', 'postgres'], 'id postgres').trim()), Number(run(['id', '-g', 'postgres'], 'id postgres').trim()));
  const password = randomBytes(18).toString('base64url');
  const pwfile = join(dir, 'pw');
  run(asOwner(isRoot, 'sh', ['-c', `umask 077; printf %s '${password}' > '${pwfile}'`]), 'writing the admin password file');
  run(
    asOwner(isRoot, join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']),
    'initdb',
  );
  rmSync(pwfile, { force: true });
  const c: Cluster = { dir, port: 0, password, isRoot, bin, users: 0 };
  cluster = c;
  process.on('exit', () => stopCluster());
  return c;
}

function pgCtlStart(c: Cluster): void {
  run(
    asOwner(c.isRoot, join(c.bin, 'pg_ctl'), [
      '-D',
      join(c.dir, 'data'),
      '-l',
      join(c.dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-k ${c.dir} -p ${c.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]),
    'pg_ctl start',
  );
}

function stopCluster(): void {
  const c = cluster;
  if (!c) return;
  cluster = undefined;
  const argv = asOwner(c.isRoot, join(c.bin, 'pg_ctl'), ['-D', join(c.dir, 'data'), '-m', 'immediate', 'stop']);
  spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  rmSync(c.dir, { recursive: true, force: true });
}

/** A fresh database on a real server (see the file comment). */
export async function startPostgres(): Promise<PgServer> {
  const database = `hush_test_${randomBytes(5).toString('hex')}`;
  const given = process.env.HUSH_TEST_PG_URL;
  if (given) {
    const u = new URL(given);
    const server: PgServer = {
      url: '',
      socketUrl: given,
      host: u.hostname,
      port: Number(u.port || 5432),
      database,
      adminUser: decodeURIComponent(u.username || 'postgres'),
      adminPassword: decodeURIComponent(u.password),
      stop: async () => {
        psql(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      },
      restart: () => {
        throw new Error('cannot restart a PostgreSQL server given by HUSH_TEST_PG_URL');
      },
      halt: () => {
        throw new Error('cannot stop a PostgreSQL server given by HUSH_TEST_PG_URL');
      },
      resume: () => {
        throw new Error('cannot start a PostgreSQL server given by HUSH_TEST_PG_URL');
      },
    };
    psql(server, `CREATE DATABASE ${database}`);
    const withDb = new URL(given);
    withDb.pathname = `/${database}`;
    server.url = withDb.toString();
    server.socketUrl = withDb.toString();
    return server;
  }
  const c = startCluster();
  if (c.port === 0) {
    c.port = await freePort();
    pgCtlStart(c);
  }
  c.users++;
  const socketUrl = `postgres://postgres@/${database}?host=${encodeURIComponent(c.dir)}&port=${c.port}`;
  const server: PgServer = {
    url: `postgres://postgres:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/${database}`,
    socketUrl,
    host: '127.0.0.1',
    port: c.port,
    database,
    adminUser: 'postgres',
    adminPassword: c.password,
    stop: async () => {
      try {
        psql({ socketUrl: socketUrl.replace(`/${database}?`, '/postgres?') }, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } catch {
        /* the server may be down in a test that stopped it */
      }
      if (--c.users === 0) stopCluster();
    },
    restart: () => {
      run(asOwner(c.isRoot, join(c.bin, 'pg_ctl'), ['-D', join(c.dir, 'data'), '-m', 'fast', '-w', 'stop']), 'pg_ctl stop');
      pgCtlStart(c);
    },
    halt: () => run(asOwner(c.isRoot, join(c.bin, 'pg_ctl'), ['-D', join(c.dir, 'data'), '-m', 'fast', '-w', 'stop']), 'pg_ctl stop'),
    resume: () => pgCtlStart(c),
  };
  psql({ socketUrl: socketUrl.replace(`/${database}?`, '/postgres?') }, `CREATE DATABASE ${database}`);
  return server;
}
