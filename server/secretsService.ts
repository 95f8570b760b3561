/**
 * The language server's handle on the Secrets Manager: opens the store on
 * first use (the same store and root key the CLI finds), turns core errors
 * into LSP errors a client can show, and tells the client when the store
 * changes, also when the CLI changed it.
 */
import * as fs from 'node:fs';
import { ResponseError } from 'vscode-languageserver/node';
import { isHushError } from '../shared/errors';
import { defaultStorePath, openStore, OpenedStore } from '../shared/store/openStore';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import type { StoreInfo } from '../shared/protocol';

/** JSON-RPC error code range reserved for the application: Hush errors travel with their code in `data`. */
export const HUSH_ERROR = -32050;

export class SecretsService {
  private opened: Promise<OpenedStore> | undefined;
  private watcher: fs.FSWatcher | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private lastError: { code: string; message: string } | undefined;

  constructor(
    private storePath: string | undefined,
    private readonly onChange: () => void,
  ) {}

  get path(): string {
    return this.storePath || defaultStorePath();
  }

  /** A new store path from settings: close the old store, open lazily again. */
  async setStorePath(p: string | undefined): Promise<void> {
    if ((p || undefined) === this.storePath) return;
    await this.close();
    this.storePath = p || undefined;
    this.onChange();
  }

  /** The manager, opening the store (and creating it, first time) on demand. */
  async manager(): Promise<SecretsManager> {
    return (await this.open()).manager;
  }

  private open(): Promise<OpenedStore> {
    if (!this.opened) {
      this.opened = openStore({ path: this.path }).then(
        (o) => {
          this.lastError = undefined;
          this.watch(o.path);
          return o;
        },
        (e: unknown) => {
          this.opened = undefined; // try again next time: the user may fix the cause
          this.lastError = errorInfo(e);
          throw e;
        },
      );
    }
    return this.opened;
  }

  async info(): Promise<StoreInfo> {
    try {
      const o = await this.open();
      return { path: o.path, rootKeySource: o.rootKeySource };
    } catch {
      return { path: this.path, error: this.lastError };
    }
  }

  /** Runs `fn` with the manager; core errors become LSP ResponseErrors carrying the Hush code. */
  async run<T>(fn: (m: SecretsManager) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.manager());
    } catch (e) {
      throw toResponseError(e);
    }
  }

  private watch(dir: string): void {
    this.watcher?.close();
    try {
      this.watcher = fs.watch(dir, (_event, file) => {
        if (file !== 'store.log') return;
        clearTimeout(this.changeTimer);
        this.changeTimer = setTimeout(() => this.onChange(), 250);
      });
    } catch {
      this.watcher = undefined; // no change notifications: views refresh on their own actions only
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.changeTimer);
    const o = this.opened;
    this.opened = undefined;
    if (o) await o.then((x) => x.manager.close(), () => undefined);
  }
}

export function errorInfo(e: unknown): { code: string; message: string } {
  if (isHushError(e)) return { code: e.code, message: e.message };
  return { code: 'Internal', message: (e as Error)?.message ?? String(e) };
}

export function toResponseError(e: unknown): ResponseError<{ code: string }> {
  if (e instanceof ResponseError) return e as ResponseError<{ code: string }>;
  const { code, message } = errorInfo(e);
  return new ResponseError(HUSH_ERROR, `${code}: ${message}`, { code });
}
