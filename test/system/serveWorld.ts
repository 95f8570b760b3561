/**
 * A store (embedded, or a team store on a real PostgreSQL) with `hush serve`
 * running on it in this process, an access key, and clients of the real AWS
 * SDK for JavaScript v3 pointed at it. Each world is fresh.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KMSClient } from '@aws-sdk/client-kms';
import { openStore, OpenedStore } from '../../shared/compose/openStore';
import { initTeamStore } from '../../shared/compose/teamStore';
import { watchStore } from '../../shared/compose/storeWatch';
import { RunningServer, ServeOptions, startServer } from '../../shared/serve/serveServer';
import { newIdentity } from '../support/identities';
import { startPostgres, type PgServer } from '../support/pgServer';

export type StoreKind = 'embedded' | 'team';

export interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface World {
  kind: StoreKind;
  opened: OpenedStore;
  server: RunningServer;
  key: Key;
  log: string[];
  sm(key?: Key): SecretsManagerClient;
  kms(key?: Key): KMSClient;
  close(): Promise<void>;
}

/** A value built at run time (never a literal that looks like a credential). */
export function fakeValue(tag = 'v'): string {
  return ['serve', tag, randomBytes(12).toString('hex')].join('-');
}

export async function makeWorld(kind: StoreKind, o: Partial<ServeOptions> = {}): Promise<World> {
  const cleanups: (() => Promise<void> | void)[] = [];
  let opened: OpenedStore;
  let pg: PgServer | undefined;
  if (kind === 'embedded') {
    const root = mkdtempSync(join(tmpdir(), 'hush-serve-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const env = { HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors') };
    opened = await openStore({ path: join(root, 'store'), env, source: 'serve' });
  } else {
    pg = await startPostgres();
    const t = await initTeamStore({ url: pg.url, identity: newIdentity(), memberName: 'serve-host' });
    opened = { manager: t.manager, store: t.store, path: t.location, kind: 'team', created: true, rootKeySource: 'test', caller: t.caller, team: t.team, policies: t.policies, credentials: t.credentials };
    // A team store denies what no policy allows: the test applications may do everything.
    await t.policies.putPolicy('TestApps', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    for (const app of ['billing', 'short-lived']) await t.policies.attach('TestApps', { app });
  }
  const log: string[] = [];
  const server = await startServer({
    manager: opened.manager,
    credentials: opened.credentials,
    host: '127.0.0.1',
    port: 0,
    log: (l) => log.push(l),
    watch: (onChange) => watchStore(opened, { onChange, pollMs: 200 }),
    ...o,
  });
  const issued = await opened.credentials.create('billing');
  const key = { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey };
  const clients: { destroy(): void }[] = [];
  const world: World = {
    kind,
    opened,
    server,
    key,
    log,
    sm(k = key) {
      const c = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials: k, maxAttempts: 2 });
      clients.push(c);
      return c;
    },
    kms(k = key) {
      const c = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials: k, maxAttempts: 2 });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
      await opened.manager.close();
      await pg?.stop();
      for (const f of cleanups) await f();
    },
  };
  return world;
}

/** Resolves when `f` holds, polling; rejects after `ms`. */
export async function eventually(f: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await f()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
