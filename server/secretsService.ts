/**
 * The language server's handle on the Secrets Manager: opens the store on
 * first use (the same store and root key the CLI finds), turns core errors
 * into LSP errors a client can show, and tells the client when the store
 * changes, also when the CLI changed it.
 */
import * as fs from 'node:fs';
import { ResponseError } from 'vscode-languageserver/node';
import { HushError, isHushError } from '../shared/errors';
import type { OpenedStore } from '../shared/compose/openStore';
import type { StopWatching } from '../shared/compose/storeWatch';

/**
 * The store, KMS and envelope code (a third of the server bundle, with the
 * AWS Encryption SDK and the PostgreSQL client) loads on the first store
 * operation, not at start: nothing on the way to the first diagnostic needs it.
 */
type StoreModule = typeof import('../shared/compose/openStore') & typeof import('../shared/compose/storeWatch');
let storeModule: StoreModule | undefined;
function store(): StoreModule {
  storeModule ??= { ...(require('../shared/compose/openStore') as object), ...(require('../shared/compose/storeWatch') as object) } as StoreModule;
  return storeModule;
}
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { rotationStatus } from '../shared/secrets/rotation';
import type { AskPassphraseParams, AskPassphraseResult, StoreInfo, StoreState } from '../shared/protocol';

/** JSON-RPC error code range reserved for the application: Hush errors travel with their code in `data`. */
export const HUSH_ERROR = -32050;

export interface SecretsServiceHooks {
  /** The store changed (this server's writes or another process's). */
  onChange(): void;
  /** Asks the user for the store's passphrase; undefined when they cancel. */
  askPassphrase?(p: AskPassphraseParams): Promise<AskPassphraseResult>;
  /** Lock state and rotations due, for the status bar. */
  onState?(s: StoreState): void;
}

const MAX_PASSPHRASE_TRIES = 3;
const RETRY_MS = 5_000;

export class SecretsService {
  private opened: Promise<OpenedStore> | undefined;
  private stopWatching: StopWatching | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: { code: string; message: string } | undefined;
  /** The passphrase the user gave this session (memory only), and how they gave it. */
  private passphrase: { value: string; source: 'typed' | 'remembered' } | undefined;

  constructor(
    private storePath: string | undefined,
    private readonly hooks: SecretsServiceHooks,
  ) {}

  get path(): string {
    return this.storePath || store().defaultStorePath();
  }

  /** A new store path from settings: close the old store, open lazily again. */
  async setStorePath(p: string | undefined): Promise<void> {
    if ((p || undefined) === this.storePath) return;
    await this.close();
    this.storePath = p || undefined;
    this.passphrase = undefined;
    this.hooks.onChange();
  }

  /** The open store itself (hush serve started from the editor serves it); `ifOpen`: never opens it (no passphrase prompt). */
  async openedStore(ifOpen = false): Promise<OpenedStore | undefined> {
    if (ifOpen) return this.opened ? this.opened.catch(() => undefined) : undefined;
    return this.open();
  }

  /** The manager, opening the store (and creating it, first time) on demand. */
  async manager(): Promise<SecretsManager> {
    return (await this.open()).manager;
  }

  private open(): Promise<OpenedStore> {
    if (!this.opened) {
      this.opened = this.unlock().then(
        (o) => {
          this.lastError = undefined;
          void this.watch(o);
          void this.reportState(o);
          return o;
        },
        (e: unknown) => {
          this.opened = undefined; // try again next time: the user may fix the cause
          this.lastError = errorInfo(e);
          const locked = isHushError(e) && (e.code === 'StoreLocked' || e.code === 'WrongPassphrase' || e.code === 'RootKeyUnavailable');
          this.hooks.onState?.({ state: locked ? 'locked' : 'error', path: this.path, message: `${this.lastError.code}: ${this.lastError.message}` });
          if (isHushError(e) && e.code === 'StoreUnavailable') this.retryLater();
          throw e;
        },
      );
    }
    return this.opened;
  }

  /**
   * Opens the store with the root key the CLI would find; when that needs a
   * passphrase nobody set (or the keychain is missing for a new store), asks
   * the user, up to three tries, and keeps it in memory for the session.
   */
  private async unlock(): Promise<OpenedStore> {
    const path = this.path;
    // A passphrase given through the editor unlocks like HUSH_PASSPHRASE, but the status bar says where it came from.
    const open = async (given?: { value: string; source: 'typed' | 'remembered' }): Promise<OpenedStore> => {
      const o = await store().openStore({ path, source: 'editor', ...(given ? { rootKey: { passphrase: given.value } } : {}) });
      return given && o.rootKeySource === 'HUSH_PASSPHRASE' ? { ...o, rootKeySource: given.source } : o;
    };
    let first: unknown;
    try {
      return await open(this.passphrase);
    } catch (e) {
      first = e;
    }
    const needsPassphrase =
      isHushError(first) &&
      ((first.code === 'RootKeyUnavailable' && /passphrase/.test(first.message)) ||
        first.code === 'WrongPassphrase' ||
        (first.code === 'KeychainUnavailable' && !fs.existsSync(`${path}/store.json`)));
    if (!needsPassphrase || !this.hooks.askPassphrase) throw first;
    const creating = (first as HushError).code === 'KeychainUnavailable';
    let wrong = (first as HushError).code === 'WrongPassphrase';
    for (let i = 0; i < MAX_PASSPHRASE_TRIES; i++) {
      const answer = await this.hooks.askPassphrase({ storePath: path, wrong, creating });
      if (!answer.passphrase) throw new HushError('StoreLocked', `the store in ${path} stays locked: no passphrase was given. Run any Hush command to be asked again.`);
      const given = { value: answer.passphrase, source: answer.source ?? 'typed' };
      try {
        const o = await open(given);
        this.passphrase = given;
        return o;
      } catch (e) {
        if (!(isHushError(e) && e.code === 'WrongPassphrase')) throw e;
        wrong = true;
      }
    }
    throw new HushError('WrongPassphrase', `the passphrase did not unlock the store in ${path} after ${MAX_PASSPHRASE_TRIES} tries`);
  }

  /** Sends the status bar what it shows: unlocked, by what, and how many rotations are due. */
  async reportState(o?: OpenedStore): Promise<void> {
    if (!this.hooks.onState) return;
    const opened = o ?? (this.opened ? await this.opened.catch(() => undefined) : undefined);
    if (!opened) return;
    try {
      const now = new Date();
      let due = 0;
      let nextToken: string | undefined;
      do {
        const page = await opened.manager.listSecrets({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
        due += page.secrets.filter((s) => rotationStatus(s, now)?.due).length;
        nextToken = page.nextToken;
      } while (nextToken);
      this.hooks.onState({ state: 'open', path: opened.path, rootKeySource: opened.rootKeySource, rotationsDue: due });
    } catch (e) {
      const { code, message } = errorInfo(e);
      this.hooks.onState({ state: 'error', path: opened.path, message: `${code}: ${message}` });
    }
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

  /** An unreachable team store is tried again every few seconds; the views refresh when it is back. */
  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open().then(
        () => this.hooks.onChange(),
        () => undefined, // open() scheduled the next try
      );
    }, RETRY_MS);
    this.retryTimer.unref?.();
  }

  /** Store changes from anywhere (this server, the CLI, a teammate) refresh the views, debounced. */
  private async watch(o: OpenedStore): Promise<void> {
    await this.stopWatching?.();
    try {
      this.stopWatching = await store().watchStore(o, {
        onChange: () => {
          clearTimeout(this.changeTimer);
          this.changeTimer = setTimeout(() => {
            this.hooks.onChange();
            void this.reportState();
          }, 250);
        },
        onState: (s, message) => {
          if (s === 'offline') this.hooks.onState?.({ state: 'error', path: o.path, message: `StoreUnavailable: ${message ?? 'the team store is offline'}; retrying` });
          else void this.reportState();
        },
      });
    } catch {
      this.stopWatching = undefined; // no change notifications: views refresh on their own actions only
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.stopWatching?.();
    this.stopWatching = undefined;
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
