/**
 * Time per rotation by engine and strategy: the whole createSecret →
 * setSecret → testSecret → finishSecret against real servers (the throwaway
 * PostgreSQL and MariaDB of test/support, or HUSH_TEST_PG_URL /
 * HUSH_TEST_MYSQL_URL), with a rotation that stores a random value and
 * applies nothing as the baseline. Printed, never asserted.
 * `HUSH_BENCH_ROTATIONS` sets the count per row (default 20).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { rotateSecret, setRotationPolicy } from '../shared/secrets/rotation';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { openStore } from '../shared/compose/openStore';
import { startMysql } from '../test/support/mysqlServer';
import { startPostgres } from '../test/support/pgServer';

const fmt = (x: number) => x.toFixed(1).padStart(7);

async function timeRotations(m: SecretsManager, name: string, n: number): Promise<{ p50: number; p90: number; mean: number; steps: Record<string, number> }> {
  const samples: number[] = [];
  const steps: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    let last = process.hrtime.bigint();
    const t = last;
    const r = await rotateSecret(m, name, {
      allowHooks: false,
      onStep: (s) => {
        const now = process.hrtime.bigint();
        steps[s.step] = (steps[s.step] ?? 0) + Number(now - last) / 1e6 / n;
        last = now;
      },
    });
    if (!r.ok) throw new Error(r.message);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(n / 2)]!, p90: samples[Math.min(n - 1, Math.floor(n * 0.9))]!, mean: samples.reduce((a, b) => a + b, 0) / n, steps };
}

export async function run(): Promise<void> {
  const n = Number(process.env.HUSH_BENCH_ROTATIONS ?? 20);
  const root = mkdtempSync(join(tmpdir(), 'hush-bench-rot-'));
  const { manager: m } = await openStore({ path: join(root, 'store'), env: { HUSH_MASTER_KEY: randomBytes(32).toString('base64') }, principal: 'bench' });
  const pg = await startPostgres();
  const my = await startMysql();
  const password = () => `B-${randomBytes(12).toString('base64url')}`;
  try {
    // Users and admin secrets, made the way an operator would.
    const pgAdmin = new Client({ host: pg.host, port: pg.port, user: pg.adminUser, password: pg.adminPassword, database: pg.database });
    await pgAdmin.connect();
    const rows: string[] = [];
    const row = (what: string, r: Awaited<ReturnType<typeof timeRotations>>) =>
      rows.push(
        `  ${what.padEnd(30)} p50 ${fmt(r.p50)} ms  p90 ${fmt(r.p90)} ms  mean ${fmt(r.mean)} ms   (${Object.entries(r.steps)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')})`,
      );

    await m.createSecret({ name: 'bench/plain', value: password() });
    await setRotationPolicy(m, 'bench/plain', { intervalDays: 30, length: 32, excludePunctuation: false });
    row('no rotator (store only)', await timeRotations(m, 'bench/plain', n));

    const pgCreds = (username: string, pw: string) => JSON.stringify({ engine: 'postgres', host: pg.host, port: pg.port, username, password: pw, dbname: pg.database });
    const myCreds = (username: string, pw: string) => JSON.stringify({ engine: 'mariadb', host: my.host, port: my.port, username, password: pw, dbname: my.database });
    await m.createSecret({ name: 'bench/pg-admin', value: pgCreds(pg.adminUser, pg.adminPassword) });
    await m.createSecret({ name: 'bench/my-admin', value: myCreds(my.adminUser, my.adminPassword) });
    for (const strategy of ['single', 'alternating'] as const) {
      const user = `bench_${strategy}`;
      const pw = password();
      await pgAdmin.query(`CREATE ROLE ${pgAdmin.escapeIdentifier(user)} LOGIN PASSWORD ${pgAdmin.escapeLiteral(pw)}`);
      await m.createSecret({ name: `bench/pg-${strategy}`, value: pgCreds(user, pw) });
      await setRotationPolicy(m, `bench/pg-${strategy}`, { intervalDays: 30, length: 32, excludePunctuation: false, rotator: 'postgres', strategy, ...(strategy === 'alternating' ? { adminSecret: 'bench/pg-admin' } : {}) });
      row(`PostgreSQL, ${strategy}`, await timeRotations(m, `bench/pg-${strategy}`, n));

      await my.admin("CREATE USER ?@'%' IDENTIFIED BY ?", [user, pw]);
      await my.admin(`GRANT SELECT ON \`${my.database}\`.* TO ?@'%'`, [user]);
      await m.createSecret({ name: `bench/my-${strategy}`, value: myCreds(user, pw) });
      await setRotationPolicy(m, `bench/my-${strategy}`, { intervalDays: 30, length: 32, excludePunctuation: false, rotator: 'mysql', strategy, ...(strategy === 'alternating' ? { adminSecret: 'bench/my-admin' } : {}) });
      row(`MariaDB ${my.version.split('-')[0]}, ${strategy}`, await timeRotations(m, `bench/my-${strategy}`, n));
    }
    await pgAdmin.end();
    console.log(`  ${n} rotations per row; step columns are mean ms per step (the first alternating rotation also creates the clone)`);
    for (const r of rows) console.log(r);
  } finally {
    await m.close();
    await pg.stop();
    await my.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
