/**
 * The built-in database rotators against real servers started by the tests
 * (test/support/pgServer.ts, mysqlServer.ts): PostgreSQL and MariaDB, the
 * single and alternating strategies, `hush run --watch` restarting an app
 * that then logs in with the new credentials, and failures injected at each
 * step (the database down at setSecret, a wrong admin password, testSecret
 * failing) leaving CURRENT unchanged and working, with a rerun that
 * completes. Logins go over TCP, where both servers check passwords.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { Client } from 'pg';
import { openStore } from '../../shared/compose/openStore';
import type { SecretsManager } from '../../shared/secrets/secretsManager';
import { rotateSecret } from '../../shared/secrets/rotation';
import type { RotationStep } from '../../shared/protocol';
import { startPostgres, PgServer } from '../support/pgServer';
import { startMysql, MysqlServer } from '../support/mysqlServer';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const sha = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);
const pw = () => `Pw-${randomBytes(12).toString('base64url')}`;

/** What the tests need of a server, the same for both engines. */
interface Db {
  label: string;
  rotator: 'postgres' | 'mysql';
  engine: 'postgres' | 'mariadb';
  host: string;
  port: number;
  dbname: string;
  adminUser: string;
  adminPassword: string;
  /** Creates a login user that may read table `t_<user>`. */
  createUser(user: string, password: string): Promise<void>;
  /** Logs in over TCP and reads the user's table (a clone reads the original's). */
  logsIn(user: string, password: string, table: string): Promise<boolean>;
  /** As the admin: sets a user's password (to make testSecret fail). */
  setPassword(user: string, password: string): Promise<void>;
  /** Starts logging every statement; returns a function that reads what was logged since. */
  logStatements(): Promise<(() => Promise<string>) | undefined>;
  halt(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

async function pgDb(): Promise<Db> {
  const s: PgServer = await startPostgres();
  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ host: s.host, port: s.port, user: s.adminUser, password: s.adminPassword, database: s.database });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    label: 'PostgreSQL',
    rotator: 'postgres',
    engine: 'postgres',
    host: s.host,
    port: s.port,
    dbname: s.database,
    adminUser: s.adminUser,
    adminPassword: s.adminPassword,
    createUser: (user, password) =>
      admin(async (c) => {
        await c.query(`CREATE ROLE ${c.escapeIdentifier(user)} LOGIN PASSWORD ${c.escapeLiteral(password)}`);
        await c.query(`CREATE TABLE ${c.escapeIdentifier(`t_${user}`)} (n int)`);
        await c.query(`GRANT SELECT ON ${c.escapeIdentifier(`t_${user}`)} TO ${c.escapeIdentifier(user)}`);
      }),
    logsIn: async (user, password, table) => {
      const c = new Client({ host: s.host, port: s.port, user, password, database: s.database });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query(`SELECT count(*) FROM ${c.escapeIdentifier(table)}`);
        return true;
      } catch {
        return false;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    setPassword: (user, password) => admin(async (c) => void (await c.query(`ALTER ROLE ${c.escapeIdentifier(user)} PASSWORD ${c.escapeLiteral(password)}`))),
    logStatements: async () => {
      if (process.env.HUSH_TEST_PG_URL) return undefined; // the log of a given server is not ours to read
      const dataDir = await admin(async (c) => (await c.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d);
      const log = path.join(path.dirname(dataDir), 'log'); // pgServer.ts: pg_ctl -l <dir>/log
      await admin((c) => c.query('ALTER SYSTEM SET log_statement = \'all\'').then(() => c.query('SELECT pg_reload_conf()')));
      const from = fs.statSync(log).size;
      return async () => {
        await admin((c) => c.query('ALTER SYSTEM RESET log_statement').then(() => c.query('SELECT pg_reload_conf()')));
        return fs.readFileSync(log, 'utf8').slice(from);
      };
    },
    halt: async () => s.halt(),
    resume: async () => s.resume(),
    stop: () => s.stop(),
  };
}

async function mariaDb(): Promise<Db> {
  const s: MysqlServer = await startMysql();
  return {
    label: 'MariaDB',
    rotator: 'mysql',
    engine: 'mariadb',
    host: s.host,
    port: s.port,
    dbname: s.database,
    adminUser: s.adminUser,
    adminPassword: s.adminPassword,
    createUser: async (user, password) => {
      await s.admin("CREATE USER ?@'%' IDENTIFIED BY ?", [user, password]);
      await s.admin(`CREATE TABLE \`${s.database}\`.\`t_${user}\` (n int)`);
      await s.admin(`GRANT SELECT ON \`${s.database}\`.\`t_${user}\` TO ?@'%'`, [user]);
    },
    logsIn: async (user, password, table) => {
      let c: mysql.Connection | undefined;
      try {
        c = await mysql.createConnection({ host: s.host, port: s.port, user, password, database: s.database });
        await c.query(`SELECT COUNT(*) FROM \`${table}\``);
        return true;
      } catch {
        return false;
      } finally {
        await c?.end().catch(() => undefined);
      }
    },
    setPassword: async (user, password) => void (await s.admin("SET PASSWORD FOR ?@'%' = PASSWORD(?)", [user, password])),
    logStatements: async () => {
      if (process.env.HUSH_TEST_MYSQL_URL) return undefined;
      const file = path.join(os.tmpdir(), `hush-general-${randomBytes(4).toString('hex')}.log`);
      await s.admin('SET GLOBAL general_log_file = ?', [file]);
      await s.admin('SET GLOBAL general_log = 1');
      return async () => {
        await s.admin('SET GLOBAL general_log = 0');
        const text = fs.readFileSync(file, 'utf8');
        fs.rmSync(file, { force: true });
        return text;
      };
    },
    halt: () => s.halt(),
    resume: () => s.resume(),
    stop: () => s.stop(),
  };
}

for (const make of [pgDb, mariaDb]) {
  describe(`database rotator: ${make === pgDb ? 'PostgreSQL' : 'MariaDB'} (a real server)`, function () {
    this.timeout(120_000);
    let db: Db;
    let store: string;
    let env: NodeJS.ProcessEnv;
    let user: string;
    let first: string;

    const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: 'utf8' });
    const creds = (username: string, password: string) => ({ engine: db.engine, host: db.host, port: db.port, username, password, dbname: db.dbname });
    async function withManager<T>(f: (m: SecretsManager) => Promise<T>): Promise<T> {
      const o = await openStore({ path: store, env });
      try {
        return await f(o.manager);
      } finally {
        await o.manager.close();
      }
    }
    const value = (stage = 'CURRENT') => withManager(async (m) => JSON.parse((await m.getSecretValue('db/app', { versionStage: stage })).secretString!) as { username: string; password: string });
    const table = () => `t_${user}`;

    before(async () => {
      db = await make();
    });
    after(async () => {
      await db?.stop();
    });

    beforeEach(async () => {
      store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rotators-'));
      env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
      delete env.HUSH_PASSPHRASE;
      user = `app_${randomBytes(4).toString('hex')}`;
      first = pw();
      await db.createUser(user, first);
      assert.equal(await db.logsIn(user, first, table()), true, 'the test user logs in before any rotation');
      assert.equal(hush(['secrets', 'create', 'db/app'], JSON.stringify(creds(user, first))).status, 0);
      assert.equal(hush(['secrets', 'create', 'db/admin'], JSON.stringify(creds(db.adminUser, db.adminPassword))).status, 0);
    });
    afterEach(() => fs.rmSync(store, { recursive: true, force: true }));

    it('single user: the new password logs in, the old one does not; no password in any output or statement text', async () => {
      const set = hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator]);
      assert.equal(set.status, 0, set.stderr);
      assert.match(set.stderr, new RegExp(`applied by: ${db.rotator} rotator, single user`));
      const describe = hush(['secrets', 'describe', 'db/app']);
      assert.match(describe.stdout, new RegExp(`Rotator: +${db.rotator} rotator, single user`));
      const readLog = await db.logStatements();
      const r = hush(['secrets', 'rotate', 'db/app']);
      const logged = await readLog?.();
      assert.equal(r.status, 0, r.stderr);
      const how = db.engine === 'postgres' ? `ALTER ROLE ${user} as itself, with a SCRAM-SHA-256 verifier` : `SET PASSWORD for ${user} as itself, with a mysql_native_password hash`;
      assert.equal(
        r.stderr,
        [
          `db/app: createSecret ok — new password for ${user}`,
          `db/app: setSecret ok — ${how}`,
          `db/app: testSecret ok — ${user} logs in with the PENDING password`,
          'db/app: finishSecret ok',
          `rotated db/app: version ${JSON.parse(hush(['secrets', 'versions', 'db/app', '--json']).stdout).find((v: { versionStages: string[] }) => v.versionStages.includes('CURRENT')).versionId} is CURRENT`,
          '',
        ].join('\n'),
      );
      const now = await value();
      assert.equal(now.username, user);
      assert.notEqual(now.password, first);
      assert.equal(now.password.length, 32);
      assert.ok(!/[/@"'\\`:]/.test(now.password), 'no character the engines or URLs dislike');
      assert.equal(await db.logsIn(user, now.password, table()), true, 'the new password logs in');
      assert.equal(await db.logsIn(user, first, table()), false, 'the old password does not');
      assert.equal((await value('PREVIOUS')).password, first);
      for (const out of [r.stdout, r.stderr, set.stderr, describe.stdout]) {
        assert.ok(!out.includes(now.password) && !out.includes(first), 'no password in the CLI output');
      }
      if (logged !== undefined) {
        const verifier = db.engine === 'postgres' ? /ALTER ROLE .*SCRAM-SHA-256\$4096:/ : new RegExp(["SET PASSWORD = '", "\\*[0-9A-F]{40}'"].join(''));
        assert.match(logged, verifier, 'the statement was logged, with a verifier');
        assert.ok(!logged.includes(now.password), 'the new password is not in the statement log');
        assert.ok(!logged.includes(first), 'the old password is not in the statement log');
      }
    });

    it('single user with an admin secret: the admin changes the password', async () => {
      assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--admin-secret', 'db/admin']).status, 0);
      const r = await withManager((m) => rotateSecret(m, 'db/app', { allowHooks: false }));
      assert.equal(r.ok, true, r.message);
      assert.match(r.steps.find((s) => s.step === 'setSecret')?.detail ?? '', new RegExp(`as ${db.adminUser}`));
      const now = await value();
      assert.equal(await db.logsIn(user, now.password, table()), true);
      assert.equal(await db.logsIn(user, first, table()), false);
    });

    it('alternating users: the clone gets the grants; the previous user keeps working until the next rotation', async () => {
      const set = hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--strategy', 'alternating', '--admin-secret', 'db/admin']);
      assert.equal(set.status, 0, set.stderr);
      assert.match(hush(['secrets', 'describe', 'db/app']).stdout, /Rotator: +\w+ rotator, alternating users, admin secret db\/admin/);

      const r1 = hush(['secrets', 'rotate', 'db/app']);
      assert.equal(r1.status, 0, r1.stderr);
      const one = await value();
      assert.equal(one.username, `${user}_clone`);
      assert.equal(await db.logsIn(one.username, one.password, table()), true, 'the clone logs in and reads the original user\'s table');
      assert.equal(await db.logsIn(user, first, table()), true, 'the previous user still logs in with its password');

      const r2 = hush(['secrets', 'rotate', 'db/app']);
      assert.equal(r2.status, 0, r2.stderr);
      const two = await value();
      assert.equal(two.username, user, 'back to the first user');
      assert.notEqual(two.password, first);
      assert.equal(await db.logsIn(user, two.password, table()), true, 'the first user logs in with its new password');
      assert.equal(await db.logsIn(user, first, table()), false, 'its password from two rotations ago no longer does');
      assert.equal(await db.logsIn(one.username, one.password, table()), true, 'the previous user (the clone) still logs in');
      assert.deepEqual(await value('PREVIOUS'), { ...(await value('PREVIOUS')), username: one.username, password: one.password });
    });

    it('alternating without an admin secret, or on a secret that is not database JSON, is refused at set time', () => {
      const r = hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--strategy', 'alternating']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /alternating strategy needs an admin secret/);
      assert.equal(hush(['secrets', 'create', 'plain'], 'not-json-at-all-1234').status, 0);
      const bad = hush(['secrets', 'rotation', 'set', 'plain', '--every', '30', '--rotator', db.rotator]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /secret plain is not JSON\. A database secret is JSON like \{"engine"/);
      assert.ok(!bad.stderr.includes('not-json-at-all-1234'), 'the value is not quoted back');
      const other = hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator === 'postgres' ? 'mysql' : 'postgres']);
      assert.equal(other.status, 2);
      assert.match(other.stderr, /which the \w+ rotator does not handle; use --rotator/);
    });

    it('the database down at setSecret: CURRENT unchanged and still logging in; a rerun resumes and completes', async function () {
      if (process.env[db.engine === 'postgres' ? 'HUSH_TEST_PG_URL' : 'HUSH_TEST_MYSQL_URL']) this.skip(); // cannot stop a given server
      assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator]).status, 0);
      await db.halt();
      let failed;
      try {
        failed = await withManager((m) => rotateSecret(m, 'db/app', { allowHooks: false }));
      } finally {
        await db.resume();
      }
      assert.equal(failed.ok, false);
      assert.match(failed.message ?? '', new RegExp(`failed at setSecret: ${db.engine === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} at ${db.host}:${db.port} as ${user}: .*CURRENT did not move; the new version \\w{8} keeps the PENDING label, and rotating again resumes from it\\.`));
      assert.equal((await value()).password, first, 'CURRENT unchanged');
      assert.equal(await db.logsIn(user, first, table()), true, 'and still logging in');
      const pending = await value('PENDING');
      assert.ok(!(failed.message ?? '').includes(pending.password) && !(failed.message ?? '').includes(first));

      const again = await withManager((m) => rotateSecret(m, 'db/app', { allowHooks: false }));
      assert.equal(again.ok, true, again.message);
      assert.equal(again.versionId, failed.versionId, 'the rerun took up the PENDING version');
      assert.match(again.steps[0]!.detail ?? '', /resumed with the PENDING version/);
      assert.equal(await db.logsIn(user, pending.password, table()), true);
      assert.equal((await value()).password, pending.password);
    });

    it('honours the secret\'s TLS option: "ssl": true against this server (no TLS) is refused at setSecret, nothing changes', async () => {
      assert.equal(hush(['secrets', 'put', 'db/app'], JSON.stringify({ ...creds(user, first), ssl: true })).status, 0);
      assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator]).status, 0);
      const r = await withManager((m) => rotateSecret(m, 'db/app', { allowHooks: false }));
      assert.equal(r.ok, false);
      assert.match(r.message ?? '', /failed at setSecret: .*(does not support SSL|support secure connection)/i);
      assert.equal(await db.logsIn(user, first, table()), true, 'the password did not change');
    });

    it('a wrong admin password: fails at setSecret, CURRENT unchanged; with the admin secret fixed, a rerun completes', async () => {
      assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--strategy', 'alternating', '--admin-secret', 'db/admin']).status, 0);
      const wrong = pw();
      assert.equal(hush(['secrets', 'put', 'db/admin'], JSON.stringify(creds(db.adminUser, wrong))).status, 0);
      const r = hush(['secrets', 'rotate', 'db/app']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`failed at setSecret: .* as ${db.adminUser}: .*(password authentication failed|Access denied)`));
      assert.ok(!r.stderr.includes(wrong), 'the admin password is not in the message');
      assert.equal((await value()).username, user, 'CURRENT unchanged');
      assert.equal(await db.logsIn(user, first, table()), true, 'and still logging in');

      assert.equal(hush(['secrets', 'put', 'db/admin'], JSON.stringify(creds(db.adminUser, db.adminPassword))).status, 0);
      const again = hush(['secrets', 'rotate', 'db/app']);
      assert.equal(again.status, 0, again.stderr);
      const now = await value();
      assert.equal(now.username, `${user}_clone`);
      assert.equal(await db.logsIn(now.username, now.password, table()), true);
    });

    for (const strategy of ['single', 'alternating'] as const) {
      it(`testSecret failing (${strategy}): CURRENT unchanged and still logging in; a rerun completes`, async () => {
        assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--strategy', strategy, '--admin-secret', 'db/admin']).status, 0);
        const target = strategy === 'single' ? user : `${user}_clone`;
        // Someone changes the user's password between setSecret and testSecret: the PENDING login fails.
        const failed = await withManager((m) =>
          rotateSecret(m, 'db/app', {
            allowHooks: false,
            onStep: async (s: RotationStep) => {
              if (s.step === 'setSecret' && s.ok) await db.setPassword(target, pw());
            },
          }),
        );
        assert.equal(failed.ok, false, 'testSecret failed');
        assert.match(failed.message ?? '', new RegExp(`failed at testSecret: .* as ${target}: .*; ${strategy === 'single' ? `the CURRENT password of ${user} was set back` : `${user} \\(CURRENT\\) was not changed`}`));
        assert.equal((await value()).password, first, 'CURRENT unchanged');
        assert.equal(await db.logsIn(user, first, table()), true, 'and still logging in');

        const again = await withManager((m) => rotateSecret(m, 'db/app', { allowHooks: false }));
        assert.equal(again.ok, true, again.message);
        assert.equal(again.versionId, failed.versionId);
        const now = await value();
        assert.equal(now.username, target);
        assert.equal(await db.logsIn(target, now.password, table()), true);
      });
    }

    it('hush run --watch restarts the app, which then logs in with the new credentials', async () => {
      assert.equal(hush(['secrets', 'rotation', 'set', 'db/app', '--every', '30', '--rotator', db.rotator, '--strategy', 'alternating', '--admin-secret', 'db/admin']).status, 0);
      const app = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-dbapp-'));
      fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { DB_SECRET: 'db/app' } }));
      // The app: reads its credentials from DB_SECRET (the JSON), logs in, reads its table, says who it is (never the password).
      const driver = db.engine === 'postgres' ? require.resolve('pg') : require.resolve('mysql2/promise');
      const appJs = path.join(app, 'app.js');
      fs.writeFileSync(
        appJs,
        db.engine === 'postgres'
          ? `const { Client } = require(${JSON.stringify(driver)}); const c = JSON.parse(process.env.DB_SECRET);
const client = new Client({ host: c.host, port: c.port, user: c.username, password: c.password, database: c.dbname });
client.connect().then(() => client.query('SELECT current_user AS u, count(*) FROM ' + client.escapeIdentifier(${JSON.stringify(table())})))
  .then((r) => console.log('connected as ' + r.rows[0].u + ' ' + require('crypto').createHash('sha256').update(c.password).digest('hex').slice(0, 16)))
  .catch((e) => console.log('failed ' + e.code));
setInterval(() => {}, 1000);`
          : `const mysql = require(${JSON.stringify(driver)}); const c = JSON.parse(process.env.DB_SECRET);
mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, database: c.dbname })
  .then(async (conn) => { const [rows] = await conn.query('SELECT CURRENT_USER() AS u, (SELECT COUNT(*) FROM ' + conn.escapeId(${JSON.stringify(table())}) + ') AS n'); console.log('connected as ' + String(rows[0].u).split('@')[0] + ' ' + require('crypto').createHash('sha256').update(c.password).digest('hex').slice(0, 16)); })
  .catch((e) => console.log('failed ' + e.code));
setInterval(() => {}, 1000);`,
      );
      const child: ChildProcess = spawn(process.execPath, [CLI, 'run', '--watch', '--yes', '--grace', '2', '--', process.execPath, appJs], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const waitFor = async (needle: string): Promise<void> => {
        const deadline = Date.now() + 30_000;
        while (!out.includes(needle)) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for '${needle}'; stdout: ${out}; stderr: ${err}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      try {
        await waitFor(`connected as ${user} ${sha(first)}`);
        const r = hush(['secrets', 'rotate', 'db/app']);
        assert.equal(r.status, 0, r.stderr);
        const now = await value();
        await waitFor(`connected as ${user}_clone ${sha(now.password)}`);
        assert.match(err, /a secret changed \(DB_SECRET\); restarting/);
        assert.ok(!out.includes('failed'), out);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        fs.rmSync(app, { recursive: true, force: true });
      }
    });
  });
}
