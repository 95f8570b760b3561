/**
 * The team store on a real PostgreSQL (a throwaway server, or
 * HUSH_TEST_PG_URL): puts and gets per second with 1 and with 8 clients,
 * ListSecrets over 10,000 secrets (the first page, and every page), and the
 * time from a put by one member to the NOTIFY another member's watcher
 * receives. The 8 clients are 8 members' stores in one process (8 database
 * connections; the JavaScript side shares one core), which is what a busy
 * language server or `hush serve` looks like. Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { initTeamStore, openTeamStore, OpenedTeamStore } from '../shared/compose/teamStore';
import { newIdentity } from '../test/support/identities';
import { psql, startPostgres } from '../test/support/pgServer';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const value = (): string => ['bench', randomBytes(12).toString('hex')].join('-');

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function rate(clients: OpenedTeamStore[], perClient: number, op: (o: OpenedTeamStore, i: number) => Promise<unknown>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const lat: number[] = [];
  const t0 = Date.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < perClient; i++) lat.push(await timed(() => op(c, i)));
    }),
  );
  return { perSecond: (clients.length * perClient) / ((Date.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99) };
}

export async function run(): Promise<void> {
  const pg = await startPostgres();
  const opened: OpenedTeamStore[] = [];
  try {
    const admin = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: admin, memberName: 'admin' });
    opened.push(a);
    await a.policies.putPolicy('Everything', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const members: OpenedTeamStore[] = [a];
    for (let i = 1; i < 8; i++) {
      const id = newIdentity();
      await a.team.addMember(`m${i}`, id.publicKey);
      await a.team.grantKey('alias/hush/default', `m${i}`);
      await a.policies.attach('Everything', { member: `m${i}` });
      const o = await openTeamStore({ url: pg.url, identity: id });
      opened.push(o);
      members.push(o);
    }
    for (let i = 0; i < 8; i++) await a.manager.createSecret({ name: `bench/s${i}`, value: value() });

    for (const n of [1, 8]) {
      const clients = members.slice(0, n);
      const per = n === 1 ? 200 : 40;
      const puts = await rate(clients, per, (o, i) => o.manager.putSecretValue(`bench/s${i % 8}`, value()));
      const gets = await rate(clients, per, (o, i) => o.manager.getSecretValue(`bench/s${i % 8}`));
      console.log(`${n} client(s): put ${puts.perSecond.toFixed(0)}/s (p50 ${ms(puts.p50)}, p99 ${ms(puts.p99)}); get ${gets.perSecond.toFixed(0)}/s (p50 ${ms(gets.p50)}, p99 ${ms(gets.p99)})`);
    }

    // 10,000 secrets, written straight into the table (metadata only: listing never reads values).
    const t0 = Date.now();
    psql(
      pg,
      `INSERT INTO hush_secrets (id, name, description, kms_key_id, tags, created_at, updated_at)
       SELECT gen_random_uuid()::text, 'many/s' || lpad(g::text, 5, '0'), '', (SELECT id FROM hush_keys LIMIT 1), '{"team":"bench"}', '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'
       FROM generate_series(1, 10000) g`,
      pg.database,
    );
    console.log(`10,000 secrets inserted in ${Date.now() - t0} ms (with the database's policy checks on every row)`);
    const first: number[] = [];
    for (let i = 0; i < 20; i++) first.push(await timed(() => a.manager.listSecrets({ maxResults: 100 })));
    let pages = 0;
    const all = await timed(async () => {
      let token: string | undefined;
      do {
        const page = await a.manager.listSecrets({ maxResults: 100, ...(token ? { nextToken: token } : {}) });
        token = page.nextToken;
        pages++;
      } while (token);
    });
    const filtered = await timed(() => a.manager.listSecrets({ maxResults: 100, name: 'many/s09' }));
    console.log(`ListSecrets over 10,008 secrets: first page p50 ${ms(pct(first, 50))}, p95 ${ms(pct(first, 95))}; all ${pages} pages ${ms(all)}; a name-prefix page ${ms(filtered)}`);

    // A put by one member → the NOTIFY another member's watcher gets.
    const watcher = members[1]!;
    let resolveNext: (() => void) | undefined;
    const stop = await watcher.store.watch(() => resolveNext?.());
    const notify: number[] = [];
    for (let i = 0; i < 30; i++) {
      const got = new Promise<void>((r) => (resolveNext = r));
      const t = process.hrtime.bigint();
      await a.manager.putSecretValue('bench/s0', value());
      await got;
      notify.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await stop();
    console.log(`put by one member → NOTIFY at another member's watcher (includes the put): p50 ${ms(pct(notify, 50))}, p95 ${ms(pct(notify, 95))}`);
  } finally {
    for (const o of opened) await o.manager.close().catch(() => undefined);
    await pg.stop();
  }
}
