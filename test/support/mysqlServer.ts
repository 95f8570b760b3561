/**
 * A real MariaDB (or MySQL) server for tests, the twin of pgServer.ts:
 * HUSH_TEST_MYSQL_URL (mysql://admin:password@host:port/) when it is set,
 * otherwise a throwaway server made from Debian's `mariadb-server` package,
 * stopped when the last suite calls stop() or the process exits.
 *
 * What worked on these machines (Debian 12, MariaDB 10.11, as root, measured
 * 2026-12-01):
 * - `mariadb-install-db --no-defaults --datadir=D/data --user=mysql
 *   --auth-root-authentication-method=socket --skip-test-db` takes ~0.6 s.
 *   `--no-defaults` keeps /etc/mysql/my.cnf (the system server's socket,
 *   port and log paths) out of it.
 * - `mariadbd --no-defaults --user=mysql --datadir=D/data --socket=D/sock
 *   --port=P --bind-address=127.0.0.1 --skip-name-resolve --skip-log-bin
 *   --innodb-buffer-pool-size=16M --init-file=D/init.sql` accepts logins
 *   ~0.1–0.3 s after the spawn. As root, `--user=mysql` makes it drop to the
 *   `mysql` system user the package creates (it refuses to run as root
 *   otherwise), so the folder is chowned to that user.
 * - The admin is made by the init file, which the server runs at start with
 *   full rights: `CREATE USER 'hush_admin'@'%' IDENTIFIED BY PASSWORD '*…'`
 *   with the password pre-hashed (mysql_native_password's documented
 *   `*` + hex(SHA1(SHA1(password)))), so no file holds it in clear. TCP
 *   logins check passwords, which is what the rotation tests need.
 * - SIGTERM stops it cleanly in well under a second; `process.on('exit')`
 *   sends SIGKILL to a server a crashed test left behind.
 *
 * Every call gets a fresh database, so suites never see each other's rows.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as mysql from 'mysql2/promise';
import { freePort } from './pgServer';

export interface MysqlServer {
  host: string;
  port: number;
  database: string;
  adminUser: string;
  adminPassword: string;
  /** MariaDB's version string, e.g. 10.11.19-MariaDB-0+deb12u1. */
  version: string;
  /** Runs SQL as the admin (placeholders `?` bound by mysql2); returns the rows. */
  admin(sql: string, params?: unknown[]): Promise<unknown[]>;
  /** Drops the database; stops the server when this process started it and no other suite uses it. */
  stop(): Promise<void>;
  /** Stops a throwaway server (the database is down) until resume(); throws for a given URL. */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

/** mysql_native_password's stored form: `*` and the upper-case hex of SHA1(SHA1(password)). */
function nativeHash(password: string): string {
  const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest();
  return `*${sha1(sha1(password)).toString('hex').toUpperCase()}`;
}

interface Instance {
  dir: string;
  port: number;
  password: string;
  isRoot: boolean;
  child?: ChildProcess;
  users: number;
}

let instance: Instance | undefined;

function mariadbd(): string {
  for (const p of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld']) if (existsSync(p)) return p;
  throw new Error('MariaDB server binaries not found (install the Debian package "mariadb-server", or set HUSH_TEST_MYSQL_URL)');
}

function run(argv: string[], what: string): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-5).join(' | ')}`);
}

async function connectAdmin(host: string, port: number, user: string, password: string, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({ host, port, user, password, ...(database ? { database } : {}), connectTimeout: 5000 });
}

async function waitUntilUp(i: Instance): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const c = await connectAdmin('127.0.0.1', i.port, 'hush_admin', i.password);
      await c.end();
      return;
    } catch (e) {
      if (i.child?.exitCode !== null && i.child?.exitCode !== undefined) throw new Error(`mariadbd exited with ${i.child.exitCode}; see ${join(i.dir, 'error.log')}`);
      if (Date.now() > deadline) throw new Error(`mariadbd did not accept logins within 30 s (${(e as Error).message}); see ${join(i.dir, 'error.log')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function spawnServer(i: Instance): void {
  const args = [
    '--no-defaults',
    `--datadir=${join(i.dir, 'data')}`,
    `--socket=${join(i.dir, 'sock')}`,
    `--pid-file=${join(i.dir, 'pid')}`,
    `--log-error=${join(i.dir, 'error.log')}`,
    `--port=${i.port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
    `--init-file=${join(i.dir, 'init.sql')}`,
    ...(i.isRoot ? ['--user=mysql'] : []),
  ];
  i.child = spawn(mariadbd(), args, { stdio: 'ignore' });
  i.child.unref();
}

async function startInstance(): Promise<Instance> {
  if (instance) return instance;
  const isRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'hush-mysql-'));
  const password = randomBytes(18).toString('base64url');
  writeFileSync(
    join(dir, 'init.sql'),
    `CREATE USER IF NOT EXISTS 'hush_admin'@'%' IDENTIFIED BY PASSWORD '${nativeHash(password)}';\n` +
      `GRANT ALL PRIVILEGES ON *.* TO 'hush_admin'@'%' WITH GRANT OPTION;\n`,
    { mode: 0o600 },
  );
  if (isRoot) {
    const uid = Number(spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'init.sql'), uid, gid);
  }
  run(
    [
      'mariadb-install-db',
      '--no-defaults',
      `--datadir=${join(dir, 'data')}`,
      ...(isRoot ? ['--user=mysql'] : []),
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
    ],
    'mariadb-install-db',
  );
  const i: Instance = { dir, port: await freePort(), password, isRoot, users: 0 };
  instance = i;
  process.on('exit', () => killInstance(i));
  spawnServer(i);
  await waitUntilUp(i);
  return i;
}

function killInstance(i: Instance): void {
  if (instance === i) instance = undefined;
  try {
    i.child?.kill('SIGKILL');
  } catch {
    /* already gone */
  }
  rmSync(i.dir, { recursive: true, force: true });
}

async function stopProcess(i: Instance): Promise<void> {
  const child = i.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A fresh database on a real server (see the file comment). */
export async function startMysql(): Promise<MysqlServer> {
  const database = `hush_test_${randomBytes(5).toString('hex')}`;
  const given = process.env.HUSH_TEST_MYSQL_URL;
  let host: string;
  let port: number;
  let adminUser: string;
  let adminPassword: string;
  let i: Instance | undefined;
  if (given) {
    const u = new URL(given);
    host = u.hostname;
    port = Number(u.port || 3306);
    adminUser = decodeURIComponent(u.username || 'root');
    adminPassword = decodeURIComponent(u.password);
  } else {
    i = await startInstance();
    i.users++;
    host = '127.0.0.1';
    port = i.port;
    adminUser = 'hush_admin';
    adminPassword = i.password;
  }
  const admin = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    const c = await connectAdmin(host, port, adminUser, adminPassword);
    try {
      const [rows] = await c.query(sql, params);
      return Array.isArray(rows) ? rows : [rows];
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE \`${database}\``);
  const [v] = (await admin('SELECT VERSION() AS v')) as { v: string }[];
  return {
    host,
    port,
    database,
    adminUser,
    adminPassword,
    version: v!.v,
    admin,
    stop: async () => {
      await admin(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
      if (i && --i.users === 0) {
        await stopProcess(i);
        killInstance(i);
      }
    },
    halt: async () => {
      if (!i) throw new Error('cannot stop a MariaDB server given by HUSH_TEST_MYSQL_URL');
      await stopProcess(i);
    },
    resume: async () => {
      if (!i) throw new Error('cannot start a MariaDB server given by HUSH_TEST_MYSQL_URL');
      spawnServer(i);
      await waitUntilUp(i);
    },
  };
}
