/**
 * The Secrets view's pages, through the built server and a real LSP client,
 * on an embedded store and on a team store (a real PostgreSQL): one page at
 * a time in name order, every secret exactly once across the pages, the
 * filter box and the tag filter applied by the store (in SQL on the team
 * store), and the same secrets as the whole listing the view used to read.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../shared/compose/openStore';
import { initTeamStore } from '../../shared/compose/teamStore';
import { coreRequest, CoreOp, CoreParams, CoreResult, SecretInfo } from '../../shared/protocol';
import type { SecretsManager } from '../../shared/secrets/secretsManager';
import { newIdentity } from '../support/identities';
import { LspTestClient } from '../support/lspClient';
import { startPostgres, type PgServer } from '../support/pgServer';

const N = 250;

/** Names that sort differently by code unit than by locale: upper case, digits, dashes and slashes. */
function nameOf(i: number): string {
  const groups = ['billing', 'Billing', 'billing-eu', 'shop/db', 'shop', 'z9'];
  return `${groups[i % groups.length]}/${i % 7 === 0 ? 'Webhook' : 'KEY'}_${String(i).padStart(3, '0')}`;
}

async function seed(m: SecretsManager): Promise<void> {
  for (let i = 0; i < N; i++) {
    await m.createSecret({ name: nameOf(i), description: i % 11 === 0 ? 'the WEBHOOK signing key' : `key ${i}`, ...(i % 5 === 0 ? { tags: { env: 'prod' } } : {}) });
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

for (const kind of ['embedded', 'team'] as const) {
  describe(`Secrets view pages over LSP (${kind} store)`, function () {
    this.timeout(120_000);
    let client: LspTestClient;
    let cleanup: () => Promise<void>;
    const call = <K extends CoreOp>(op: K, p: CoreParams<K>): Promise<CoreResult<K>> => client.connection.sendRequest(coreRequest(op), p);

    before(async () => {
      let env: NodeJS.ProcessEnv;
      if (kind === 'embedded') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-pages-'));
        env = { HUSH_STORE: dir, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_PASSPHRASE: '' };
        const o = await openStore({ path: dir, env });
        await seed(o.manager);
        await o.manager.close();
        cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
      } else {
        const pg: PgServer = await startPostgres();
        const me = newIdentity();
        const t = await initTeamStore({ url: pg.url, identity: me, memberName: 'pager' });
        await seed(t.manager);
        await t.manager.close();
        env = { HUSH_STORE: pg.url, HUSH_IDENTITY: me.privateKey.toString('base64'), HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' };
        cleanup = () => pg.stop();
      }
      ({ client } = await LspTestClient.start({ env }));
    });

    after(async () => {
      await client?.stop();
      await cleanup?.();
    });

    async function allPages(p: Omit<CoreParams<'secrets/page'>, 'nextToken'>): Promise<{ pages: SecretInfo[][]; names: string[] }> {
      const pages: SecretInfo[][] = [];
      let nextToken: string | undefined;
      do {
        const page = await call('secrets/page', { ...p, ...(nextToken ? { nextToken } : {}) });
        pages.push(page.secrets);
        nextToken = page.nextToken;
        assert.ok(pages.length < 50, 'paging ends');
      } while (nextToken);
      return { pages, names: pages.flat().map((s) => s.name) };
    }

    it('reads the store one page at a time, in name order, every secret once', async () => {
      const { pages, names } = await allPages({});
      assert.deepEqual(pages.map((p) => p.length), [100, 100, 50]);
      assert.deepEqual(names, Array.from({ length: N }, (_, i) => nameOf(i)).sort(byCodeUnit));
      const first = await call('secrets/page', { pageSize: 7 });
      assert.equal(first.secrets.length, 7);
      assert.ok(first.nextToken, 'a token while there are more');
      assert.equal(first.secrets[0]!.keyAlias, 'alias/hush/default');
      assert.equal(first.secrets[0]!.keyState, 'Enabled');
    });

    it('gives the same secrets as the whole listing', async () => {
      const whole = await call('secrets/list', {});
      const { pages } = await allPages({});
      assert.deepEqual(pages.flat(), whole);
    });

    it('filters by part of a name or description, in any case, on the store', async () => {
      const expected = Array.from({ length: N }, (_, i) => i)
        .filter((i) => nameOf(i).toLowerCase().includes('webhook') || (i % 11 === 0))
        .map(nameOf)
        .sort(byCodeUnit);
      assert.ok(expected.length > 40 && expected.length < N);
      const { names } = await allPages({ filter: 'WEBHOOK', pageSize: 20 });
      assert.deepEqual(names, expected);
      assert.deepEqual((await allPages({ filter: 'billing-eu/' })).names, Array.from({ length: N }, (_, i) => nameOf(i)).filter((n) => n.startsWith('billing-eu/')).sort(byCodeUnit));
      assert.deepEqual((await call('secrets/page', { filter: 'no such secret anywhere' })).secrets, []);
    });

    it('filters by tag key, and by tag and text together', async () => {
      const prod = Array.from({ length: N }, (_, i) => i).filter((i) => i % 5 === 0);
      assert.deepEqual((await allPages({ tagKey: 'env' })).names, prod.map(nameOf).sort(byCodeUnit));
      assert.deepEqual((await allPages({ tagKey: 'env', filter: 'webhook' })).names, prod.filter((i) => i % 7 === 0 || i % 11 === 0).map(nameOf).sort(byCodeUnit));
    });

    it('refuses a page size out of range, and a forged token, with a clear error', async () => {
      await assert.rejects(call('secrets/page', { pageSize: 0 }), /InvalidArgument: The page size must be a whole number from 1 to 100/);
      await assert.rejects(call('secrets/page', { pageSize: 101 }), /InvalidArgument/);
      await assert.rejects(call('secrets/page', { nextToken: 'not a token' }), /InvalidArgument: the paging token is not valid/);
    });
  });
}
