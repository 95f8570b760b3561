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
type StoreModule = typeof import('../shared/compose/openStore') & typeof import('../shared/compose/storeWatch') & typeof import('../shared/store/postgres/connection');
let storeModule: StoreModule | undefined;
function store(): StoreModule {
  storeModule ??= {
    ...(require('../shared/compose/openStore') as object),
    ...(require('../shared/compose/storeWatch') as object),
    ...(require('../shared/store/postgres/connection') as object),
  } as StoreModule;
  return storeModule;
}
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { rotationStatus } from '../shared/secrets/rotation';
import type { AccessDeniedData, AskPassphraseParams, AskPassphraseResult, StoreInfo, StoreState } from '../shared/protocol';

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
/** An unreachable team store is tried again this often. */
export const RETRY_MS = 5_000;
/** Counting due rotations reads every secret: with more than one page of them, at most this often. */
const DUE_RECOUNT_MS = 60_000;

export class SecretsService {
  private opened: Promise<OpenedStore> | undefined;
  private stopWatching: StopWatching | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: { code: string; message: string } | undefined;
  /** Why the team store is offline, while it is (the server retries every RETRY_MS). */
  private offlineMessage: string | undefined;
  private due: { count: number; at: number } | undefined;
  /** The passphrase the user gave this session (memory only), and how they gave it. */
  private passphrase: { value: string; source: 'typed' | 'remembered' } | undefined;

  constructor(
    private storePath: string | undefined,
    private readonly hooks: SecretsServiceHooks,
  ) {}

  get path(): string {
    return this.storePath || store().defaultStorePath();
  }

  /** Where the store is, as the status bar and the views show it: never a database password. */
  private where(): Pick<StoreState, 'path' | 'kind' | 'host'> {
    const m = store();
    const p = this.path;
    return m.isPostgresUrl(p) ? { path: m.redactUrl(p.trim()), kind: 'team', host: m.hostOf(p.trim()) } : { path: p, kind: 'embedded' };
  }

  /** A new store path from settings: close the old store, open lazily again. */
  async setStorePath(p: string | undefined): Promise<void> {
    if ((p || undefined) === this.storePath) return;
    await this.close();
    this.storePath = p || undefined;
    this.passphrase = undefined;
    this.offlineMessage = undefined;
    this.due = undefined;
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
          if (isHushError(e) && e.code === 'StoreUnavailable') {
            this.offline(e.message);
            throw e;
          }
          const locked = isHushError(e) && (e.code === 'StoreLocked' || e.code === 'WrongPassphrase' || e.code === 'RootKeyUnavailable');
          this.hooks.onState?.({ ...this.where(), state: locked ? 'locked' : 'error', message: `${this.lastError.code}: ${this.lastError.message}` });
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

  /**
   * Sends the status bar what it shows: unlocked, by what, and how many
   * rotations are due. Also the probe of a team store that was offline: when
   * it answers again, the views refresh.
   */
  async reportState(o?: OpenedStore): Promise<void> {
    const opened = o ?? (this.opened ? await this.opened.catch(() => undefined) : undefined);
    if (!opened) return;
    try {
      const rotationsDue = await this.rotationsDue(opened);
      this.hooks.onState?.({ state: 'open', path: opened.path, kind: opened.kind, ...(opened.kind === 'team' ? { host: this.where().host } : {}), principal: opened.caller.principal, rootKeySource: opened.rootKeySource, rotationsDue });
      this.online();
    } catch (e) {
      if (isHushError(e) && e.code === 'StoreUnavailable') return this.offline(e.message);
      const { code, message } = errorInfo(e);
      this.hooks.onState?.({ state: 'error', path: opened.path, kind: opened.kind, message: `${code}: ${message}` });
    }
  }

  /**
   * Secrets whose rotation is due. Counting reads every secret, 100 at a
   * time, each read an audited operation: a store of more than a page is
   * recounted at most once a minute (10,000 secrets are 100 reads).
   */
  private async rotationsDue(opened: OpenedStore): Promise<number> {
    const now = new Date();
    if (this.due && Date.now() - this.due.at < DUE_RECOUNT_MS) {
      await opened.manager.listSecrets({ maxResults: 1 }); // still reachable?
      return this.due.count;
    }
    let due = 0;
    let pages = 0;
    let nextToken: string | undefined;
    do {
      const page = await opened.manager.listSecrets({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
      due += page.secrets.filter((s) => rotationStatus(s, now)?.due).length;
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    this.due = pages > 1 ? { count: due, at: Date.now() } : undefined;
    return due;
  }

  async info(): Promise<StoreInfo> {
    try {
      const o = await this.open();
      return { path: o.path, kind: o.kind, ...(o.kind === 'team' ? { host: this.where().host } : {}), rootKeySource: o.rootKeySource };
    } catch {
      const { path, kind, host } = this.where();
      return { path, ...(kind ? { kind } : {}), ...(host ? { host } : {}), ...(this.lastError ? { error: this.lastError } : {}) };
    }
  }

  /** Runs `fn` with the manager; core errors become LSP ResponseErrors carrying the Hush code. */
  async run<T>(fn: (m: SecretsManager) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.manager());
    } catch (e) {
      // Noticed by an operation before the change listener noticed: offline all the same.
      if (this.opened && isHushError(e) && e.code === 'StoreUnavailable') this.offline(e.message);
      throw toResponseError(e);
    }
  }

  /** The team store's database cannot be reached: the status bar and the views say so, and it is tried again every few seconds. */
  private offline(message: string): void {
    if (this.offlineMessage !== message) this.hooks.onState?.({ ...this.where(), state: 'offline', message });
    this.offlineMessage = message;
    this.retryLater();
  }

  /** It answered again: every view refreshes. */
  private online(): void {
    if (this.offlineMessage === undefined) return;
    this.offlineMessage = undefined;
    this.hooks.onChange();
  }

  /** Tries an offline team store again in RETRY_MS: opens it if it never opened, else probes it (reportState). */
  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.opened) void this.reportState();
      else this.open().then(() => undefined, () => undefined); // open() reports, and schedules the next try
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
          // The listener's own words name the URL; the views name the host.
          if (s === 'offline') this.offline(!message || /^the connection to /.test(message) ? `the connection to the team store at ${this.where().host} was lost` : message);
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

/**
 * The action, resource and reason of the core's AccessDenied message
 * (`<principal> may not <action> on <resource>: <reason>`,
 * shared/core/pipeline.ts), so the editor can offer Explain. A denial by the
 * database itself (a team store's row-level security) has none of these.
 */
export function accessDeniedData(message: string): AccessDeniedData {
  const m = /^(\S+) may not ([A-Za-z]+:[A-Za-z*]+)(?: on (\S+))?: (.+)$/s.exec(message);
  if (!m) return { code: 'AccessDenied' };
  return { code: 'AccessDenied', principal: m[1]!, action: m[2]!, ...(m[3] ? { resource: m[3] } : {}), reason: m[4]! };
}

export function toResponseError(e: unknown): ResponseError<{ code: string }> {
  if (e instanceof ResponseError) return e as ResponseError<{ code: string }>;
  const { code, message } = errorInfo(e);
  return new ResponseError(HUSH_ERROR, `${code}: ${message}`, code === 'AccessDenied' ? accessDeniedData(message) : { code });
}
