/**
 * *Hush: Start Local Secrets Server* from the editor: `hush serve` run inside
 * the language server, on the store it already has open (no second unlock,
 * no passphrase handed to another process), on loopback only. Its status
 * also covers a `hush serve` another process (a terminal) runs for the same
 * store, found through the announcements in shared/serve/serveRegistry.ts.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { OpenedStore } from '../shared/compose/openStore';
import { watchStore } from '../shared/compose/storeWatch';
import { RunningServer, startServer } from '../shared/serve/serveServer';
import { announce, runningFor } from '../shared/serve/serveRegistry';
import { ServeStartRequest, ServeStatus, ServeStatusRequest, ServeStopRequest } from '../shared/protocol';
import { SecretsService, toResponseError } from './secretsService';

export const DEFAULT_PORT = 4597;

interface Running {
  server: RunningServer;
  store: OpenedStore;
  withdraw(): void;
}

export class LocalSecretsServer {
  private running: Running | undefined;

  constructor(
    private readonly secrets: SecretsService,
    private readonly log: (line: string) => void,
  ) {}

  async status(): Promise<ServeStatus> {
    const store = await this.secrets.openedStore(true);
    if (this.running && this.running.store !== store) await this.stop(); // the store was switched or closed under it
    if (!store) return { running: false };
    const other = this.running ? undefined : runningFor(store.manager.storeId)[0];
    // Nothing serves this store: the access keys are not read. Reading them is an audited
    // operation, and the status bar asks every few seconds, in every member's editor.
    if (!this.running && !other) return { running: false };
    const liveKeys = (await store.credentials.list().catch(() => [])).filter((c) => !c.revokedAt).length;
    if (this.running) {
      const s = this.running.server.stats();
      return { running: true, inEditor: true, url: this.running.server.url, pid: process.pid, requests: s.requests, liveKeys };
    }
    return { running: true, inEditor: false, url: other!.url, pid: other!.pid, liveKeys };
  }

  async start(port = DEFAULT_PORT): Promise<ServeStatus> {
    await this.secrets.openedStore(); // opens (or unlocks) the store first
    const current = await this.status();
    if (current.running) return current;
    const store = (await this.secrets.openedStore())!;
    const server = await startServer({
      manager: store.manager,
      credentials: store.credentials,
      host: '127.0.0.1',
      port,
      log: (l) => this.log(`hush serve: ${l}`),
      watch: (onChange) => watchStore(store, { onChange }),
    });
    const withdraw = announce({ storeId: store.manager.storeId, url: server.url, pid: process.pid, startedAt: new Date().toISOString() });
    this.running = { server, store, withdraw };
    this.log(`hush serve: ${server.url} serves ${store.path}`);
    return this.status();
  }

  async stop(): Promise<ServeStatus> {
    const r = this.running;
    this.running = undefined;
    if (r) {
      r.withdraw();
      await r.server.close(2_000);
      this.log(`hush serve: stopped after ${r.server.stats().requests} requests`);
    }
    return { running: false };
  }
}

export function registerLocalSecretsServer(connection: Connection, secrets: SecretsService): LocalSecretsServer {
  const local = new LocalSecretsServer(secrets, (l) => connection.console.log(l));
  const guard =
    <T>(f: () => Promise<T>) =>
    async (): Promise<T> => {
      try {
        return await f();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw toResponseError(new Error(`port ${DEFAULT_PORT} is in use (another hush serve, or another program); stop it, or run 'hush serve --listen 127.0.0.1:PORT' in a terminal`));
        throw toResponseError(e);
      }
    };
  connection.onRequest(ServeStatusRequest, guard(() => local.status()));
  connection.onRequest(ServeStopRequest, guard(() => local.stop()));
  connection.onRequest(ServeStartRequest, (p) => guard(() => local.start(p?.port ?? DEFAULT_PORT))());
  return local;
}
