/**
 * The Secrets view's first paint with 10,000 secrets, on an embedded store
 * and on a team store (a throwaway PostgreSQL): the time from a refresh to
 * the first page of tree items, through the built server and a real LSP
 * client, as the tree asks for it.
 *
 *  - whole list (before paging): `hush/secrets/list`, every secret in one
 *    answer (the server pages through ListSecrets 100 at a time);
 *  - first page (the tree now): `hush/secrets/page` (one page, name-sorted)
 *    then `hush/access/decide` for the commands on those items (one batch).
 *
 * Also the cost of "Load more…" (the next page) and of a filter that
 * matches few secrets. Prints figures; asserts nothing about time.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../shared/compose/openStore';
import { initTeamStore } from '../shared/compose/teamStore';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { coreRequest, CoreOp, CoreParams, CoreResult } from '../shared/protocol';
import { newIdentity } from '../test/support/identities';
import { LspTestClient } from '../test/support/lspClient';
import { startPostgres } from '../test/support/pgServer';

const N = Number(process.env.HUSH_BENCH_SIDEBAR_SECRETS ?? 10_000);
const RUNS = 5;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** 10 teams × 10 apps × N/100 secrets: the nesting a shared store has. */
export function benchSecretName(i: number): string {
  const perApp = Math.max(1, Math.floor(N / 100));
  const app = Math.floor(i / perApp);
  return `team${String(Math.floor(app / 10) % 10).padStart(2, '0')}/app${String(app % 10).padStart(2, '0')}/SECRET_${String(i).padStart(5, '0')}`;
}

async function seed(m: SecretsManager): Promise<number> {
  const t0 = performance.now();
  // Metadata only (no value): the view lists names, descriptions, tags and keys, never values.
  for (let i = 0; i < N; i++) await m.createSecret({ name: benchSecretName(i), description: i % 97 === 0 ? 'billing webhook' : `secret ${i}`, tags: { team: `t${i % 10}` } });
  return performance.now() - t0;
}

async function measure(label: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { client } = await LspTestClient.start({ env });
  const call = <K extends CoreOp>(op: K, p: CoreParams<K>): Promise<CoreResult<K>> => client.connection.sendRequest(coreRequest(op), p);
  try {
    const tOpen = performance.now();
    await call('secrets/page', { pageSize: 1 }); // opens the store, so the figures below are refreshes
    const openMs = performance.now() - tOpen;
    const whole: number[] = [];
    const first: number[] = [];
    const more: number[] = [];
    const filtered: number[] = [];
    let count = 0;
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      count = (await call('secrets/list', {})).length;
      whole.push(performance.now() - t);

      t = performance.now();
      const page = await call('secrets/page', {});
      await call('access/decide', { secrets: page.secrets.map((s) => s.name), keys: [...new Set(page.secrets.map((s) => s.kmsKeyId))] });
      first.push(performance.now() - t);

      t = performance.now();
      const next = await call('secrets/page', { nextToken: page.nextToken! });
      await call('access/decide', { secrets: next.secrets.map((s) => s.name) });
      more.push(performance.now() - t);

      t = performance.now();
      const hits = await call('secrets/page', { filter: 'webhook' });
      await call('access/decide', { secrets: hits.secrets.map((s) => s.name) });
      filtered.push(performance.now() - t);
    }
    const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms, max ${Math.max(...xs).toFixed(0).padStart(5)} ms`;
    console.log(`${label}: ${count} secrets; store opened in ${openMs.toFixed(0)} ms`);
    console.log(`  refresh → whole list (before paging):        ${f(whole)}`);
    console.log(`  refresh → first page + decisions (100 items): ${f(first)}`);
    console.log(`  "Load more…" → next page + decisions:          ${f(more)}`);
    console.log(`  filter "webhook" → first page of matches:     ${f(filtered)}`);
  } finally {
    await client.stop();
  }
}

export async function run(): Promise<void> {
  // Embedded store.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-sidebar-'));
  const env: NodeJS.ProcessEnv = { HUSH_STORE: dir, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_PASSPHRASE: '' };
  try {
    const o = await openStore({ path: dir, env });
    const ms = await seed(o.manager);
    await o.manager.close();
    console.log(`seeded ${N} secrets in the embedded store in ${(ms / 1000).toFixed(1)} s`);
    await measure('embedded store', env);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Team store on a throwaway PostgreSQL.
  const pg = await startPostgres();
  try {
    const me = newIdentity();
    const t = await initTeamStore({ url: pg.url, identity: me, memberName: 'bench' });
    const ms = await seed(t.manager);
    await t.manager.close();
    console.log(`seeded ${N} secrets in the team store in ${(ms / 1000).toFixed(1)} s`);
    await measure('team store (PostgreSQL)', { HUSH_STORE: pg.url, HUSH_IDENTITY: me.privateKey.toString('base64'), HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' });
  } finally {
    await pg.stop();
  }
}
