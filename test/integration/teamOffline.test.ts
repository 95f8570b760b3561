/**
 * A team store whose PostgreSQL goes away and comes back, through the built
 * server and a real LSP client against a real server that the test stops
 * and starts: the server says the store is offline, naming the host; a
 * request fails with one clear StoreUnavailable message (no stack, no hang);
 * detection in open documents keeps working; and when the database is back
 * the server says so and tells the views to refresh, by itself. Also when
 * the database is already down as the editor starts.
 */
import * as assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { watchStore } from '../../shared/compose/storeWatch';
import { initTeamStore } from '../../shared/compose/teamStore';
import { coreRequest, StoreChangedNotification, StoreState, StoreStateNotification } from '../../shared/protocol';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { newIdentity } from '../support/identities';
import { LspTestClient } from '../support/lspClient';
import { startPostgres, type PgServer } from '../support/pgServer';

/** What the server told one client about the store, in order. */
class StoreEvents {
  readonly states: StoreState[] = [];
  changes = 0;
  constructor(client: LspTestClient) {
    client.connection.onNotification(StoreStateNotification, (s) => this.states.push(s));
    client.connection.onNotification(StoreChangedNotification, () => this.changes++);
  }

  async until<T>(what: string, f: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = f();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; states: ${JSON.stringify(this.states.map((s) => [s.state, s.message]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  last(): StoreState | undefined {
    return this.states[this.states.length - 1];
  }
}

describe('A team store offline and back, over LSP', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let env: NodeJS.ProcessEnv;
  const clients: LspTestClient[] = [];

  before(async () => {
    pg = await startPostgres();
    const me = newIdentity();
    const t = await initTeamStore({ url: pg.url, identity: me, memberName: 'alice' });
    await t.manager.createSecret({ name: 'app/TOKEN', value: 'token-value-1' });
    await t.manager.close();
    env = { HUSH_STORE: pg.url, HUSH_IDENTITY: me.privateKey.toString('base64'), HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' };
  });

  after(async () => {
    for (const c of clients) await c.stop();
    try {
      pg.resume(); // a failed test may leave it stopped
    } catch {
      /* running */
    }
    await pg?.stop();
  });

  async function start(): Promise<{ client: LspTestClient; events: StoreEvents }> {
    const { client } = await LspTestClient.start({ env });
    clients.push(client);
    return { client, events: new StoreEvents(client) };
  }

  it('says offline with the host, keeps detecting, fails requests clearly, and recovers by itself', async () => {
    const { client, events } = await start();
    const page = () => client.connection.sendRequest(coreRequest('secrets/page'), {});
    assert.deepEqual((await page()).secrets.map((s) => s.name), ['app/TOKEN']);
    const open = await events.until('the store open', () => events.states.find((s) => s.state === 'open'));
    assert.equal(open.kind, 'team');
    assert.equal(open.host, `127.0.0.1:${pg.port}`);
    assert.equal(open.principal, 'alice');
    assert.ok(!open.path.includes(pg.adminPassword), 'never the database password');

    pg.halt();
    const offline = await events.until('offline', () => events.states.find((s) => s.state === 'offline'));
    assert.equal(offline.host, `127.0.0.1:${pg.port}`);
    assert.equal(offline.kind, 'team');
    assert.ok(!JSON.stringify(events.states).includes(pg.adminPassword), 'never the database password');

    const t0 = Date.now();
    const err = await page().then(
      () => assert.fail('the database is down'),
      (e: Error) => e,
    );
    console.log(`      a request while offline failed in ${Date.now() - t0} ms`);
    assert.match(err.message, new RegExp(`^StoreUnavailable: the team store at 127\\.0\\.0\\.1:${pg.port} is unreachable \\(.*\\); check that PostgreSQL is running there`));
    assert.ok(!/\n\s+at /.test(err.message), 'no stack');

    // Detection does not need the store.
    const uri = 'file:///offline/config.ts';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text: `export const key = "${fakeAwsAccessKeyId()}";\n` },
    });
    const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.equal(d.diagnostics[0]!.source, 'hush');

    const changesBefore = events.changes;
    const statesBefore = events.states.length;
    pg.resume();
    const back = await events.until('open again', () => events.states.slice(statesBefore).find((s) => s.state === 'open'));
    assert.equal(back.host, `127.0.0.1:${pg.port}`);
    await events.until('a refresh of the views', () => events.changes > changesBefore);
    assert.deepEqual((await page()).secrets.map((s) => s.name), ['app/TOKEN']);
  });

  it('tries the change listener again about once a second while the database is down, not more and more often', async () => {
    const t = await (await import('../../shared/compose/openStore')).openStore({ path: pg.url, env });
    let offline = 0;
    let online = 0;
    const stop = await watchStore(t, { onChange: () => undefined, onState: (s) => (s === 'offline' ? offline++ : online++) });
    try {
      pg.halt();
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 6000));
      const seconds = (Date.now() - t0) / 1000;
      // Each failed attempt reports once; the attempts used to double every second (63 by now).
      assert.ok(offline >= 2 && offline <= seconds + 2, `${offline} offline reports in ${seconds.toFixed(1)} s`);
      pg.resume();
      const deadline = Date.now() + 15_000;
      while (online === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(online, 1, 'back once');
    } finally {
      await stop();
      await t.manager.close();
    }
  });

  it('starts offline when the database is down, then opens the store once it is up', async () => {
    pg.halt();
    const { client, events } = await start();
    const err = await client.connection.sendRequest(coreRequest('secrets/page'), {}).then(
      () => assert.fail('the database is down'),
      (e: Error) => e,
    );
    assert.match(err.message, /^StoreUnavailable: the team store at 127\.0\.0\.1:\d+ is unreachable/);
    const offline = await events.until('offline', () => events.states.find((s) => s.state === 'offline'));
    assert.equal(offline.host, `127.0.0.1:${pg.port}`);
    const changesBefore = events.changes;
    pg.resume();
    // Nobody asks: the server tries again every 5 s, opens the store and says so.
    await events.until('open', () => events.states.find((s) => s.state === 'open'));
    await events.until('a refresh of the views', () => events.changes > changesBefore);
    assert.equal((await client.connection.sendRequest(coreRequest('secrets/page'), {})).secrets.length, 1);
  });
});
