/**
 * Owns the extension's state: the output channel, the language client and
 * the status bar. Commands and views receive it; nothing else holds global
 * state.
 *
 * The language server is started without waiting for it (activation does not
 * block on it); every request waits for it instead. When the server stops
 * (a crash, or too many in a row), the status bar says so and offers
 * *Hush: Restart Language Server*.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  RequestType,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { AccessExplanations } from './accessExplanations';
import { Config } from './config';
import { ManifestSaver } from './manifestSaver';
import { askPassphrase } from './passphrase';
import { RevealedValues } from './reveal';
import { StatusBar } from './statusBar';
import { RedactingTraceChannel } from './traceChannel';
import {
  AccessDeniedData,
  coreRequest,
  READ_ONLY_OPS,
  CoreOp,
  CoreParams,
  CoreResult,
  InitOptions,
  StoreChangedNotification,
  AskPassphraseRequest,
  StoreState,
  StoreStateNotification,
  RotationStepNotification,
  RotationStep,
  WorkspaceTrustedNotification,
  KeySummary,
  ListKeysRequest,
  MoveAllRequest,
  MoveParams,
  MoveRequest,
  MoveResult,
  OccurrencesRequest,
  Range,
  PutValueParams,
  PutValueRequest,
  PutValueResult,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
  StatusRequest,
  StatusResult,
} from '../shared/protocol';

/** Restarts after a crash, at most this many within RESTART_WINDOW_MS; then the user restarts it. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/** JSON-RPC codes vscode-jsonrpc uses when the server went away under a request. */
const CONNECTION_LOST = new Set([-32097 /* PendingResponseRejected */, -32096 /* ConnectionInactive */]);

export class Ctx {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly statusBar: StatusBar;
  private readonly storeChanged = new vscode.EventEmitter<void>();
  /** Fires when the store changed, from this editor or another process. */
  readonly onStoreChanged = this.storeChanged.event;
  /** What the server last said about the store (undefined until it was opened). */
  store: StoreState | undefined;
  private readonly storeStateChanged = new vscode.EventEmitter<{ previous: StoreState | undefined; current: StoreState | undefined }>();
  /** Fires when the server reports the store's state (open, locked, offline…). */
  readonly onStoreState = this.storeStateChanged.event;
  private readonly rotationStep = new vscode.EventEmitter<RotationStep & { secretName: string }>();
  /** Fires as each step of a rotation ends. */
  readonly onRotationStep = this.rotationStep.event;
  private readonly serverStateChanged = new vscode.EventEmitter<State>();
  /** Fires when the language server starts, runs or stops. */
  readonly onServerState = this.serverStateChanged.event;
  readonly config: Config;
  /** Values shown by *Reveal Value*, while their read-only document is open. */
  readonly revealed: RevealedValues;
  /** Saves `.hush.json` after a move, and after undo/redo of one. */
  readonly manifests: ManifestSaver;
  /** *Explain* documents for access decisions. */
  readonly explanations: AccessExplanations;
  private restarts: number[] = [];
  /** When activation began, for the "first diagnostic" log line. */
  private readonly activatedAt = Date.now();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Hush', { log: true });
    this.statusBar = new StatusBar(this);
    extension.subscriptions.push(this.output, this.statusBar, this.rotationStep, this.storeChanged, this.serverStateChanged, this.storeStateChanged);
    this.config = new Config(extension.subscriptions);
    this.revealed = new RevealedValues(extension.subscriptions);
    this.manifests = new ManifestSaver((line) => this.log(line));
    extension.subscriptions.push(this.manifests);
    this.explanations = new AccessExplanations(extension.subscriptions, (op, params) => this.core(op, params));
  }

  log(line: string): void {
    this.output.info(line);
  }

  /** The language server's state as the status bar shows it. */
  get serverState(): State {
    return this.client?.state ?? State.Stopped;
  }

  /** Creates the language client and starts the server; resolves when it answered `initialize`. */
  start(): Promise<void> {
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const errorHandler: ErrorHandler = {
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        const now = Date.now();
        this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
        if (this.restarts.length <= MAX_RESTARTS) {
          this.output.warn('The Hush language server stopped unexpectedly; restarting it.');
          return { action: CloseAction.Restart, handled: true };
        }
        this.output.error(`The Hush language server stopped ${this.restarts.length} times in 3 minutes; it is not restarted automatically.`);
        void vscode.window
          .showErrorMessage('Hush: the language server keeps stopping, so it was not restarted. Detection and the Secrets view are off until it runs again.', 'Restart Language Server', 'Show Output')
          .then((c) => {
            if (c === 'Restart Language Server') void vscode.commands.executeCommand('hush.restartServer');
            if (c === 'Show Output') this.output.show(true);
          });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
    const clientOptions: LanguageClientOptions = {
      // Every language, in saved files and untitled buffers alike.
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      synchronize: {
        configurationSection: 'hush',
        // The server caches these; it re-reads them when they change.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{.hushignore,.hush.json,.hush/*.json}'),
      },
      outputChannel: this.output,
      // hush.trace.server: the protocol trace, with the payloads that carry values redacted.
      traceOutputChannel: new RedactingTraceChannel(vscode.window.createOutputChannel('Hush Language Server Trace', { log: true })),
      errorHandler,
      initializationOptions: {
        workspaceTrusted: vscode.workspace.isTrusted,
        askPassphrase: true,
        savesManifest: true,
      } satisfies InitOptions,
      // Hovers on environment lookups link to these commands, and only these.
      markdown: { isTrusted: { enabledCommands: ['hush.secret.reveal', 'hush.secret.rotate', 'hush.secret.showInSidebar'] } },
    };
    const client = new LanguageClient('hush', 'Hush Language Server', serverOptions, clientOptions);
    this.client = client;
    this.extension.subscriptions.push(
      client.onNotification(StoreChangedNotification, () => this.storeChanged.fire()),
      client.onNotification(RotationStepNotification, (s) => this.rotationStep.fire(s)),
      client.onNotification(StoreStateNotification, (s) => this.setStoreState(s)),
      client.onRequest(AskPassphraseRequest, (p) => askPassphrase(p, this.extension.secrets)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.setStoreState(undefined); // a new server reports its own store state
        this.serverStateChanged.fire(e.newState);
        this.statusBar.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(WorkspaceTrustedNotification).catch(() => undefined)),
      vscode.languages.onDidChangeDiagnostics((e) => this.firstDiagnostic(e)),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.sawDiagnostic) this.openedAt.set(d.uri.toString(), Date.now());
      }),
    );
    const started = Date.now();
    const ready = client.start().then(
      () => this.log(`Hush language server ready in ${Date.now() - started} ms`),
      (e: unknown) => this.showError('The Hush language server did not start', e),
    );
    this.statusBar.refresh();
    return ready;
  }

  private setStoreState(s: StoreState | undefined): void {
    const previous = this.store;
    this.store = s;
    this.statusBar.refresh();
    this.storeStateChanged.fire({ previous, current: s });
  }

  private sawDiagnostic = false;
  /** When each document was opened (documents open before activation: activation). */
  private readonly openedAt = new Map<string, number>();

  /** Logs, once, how long after activation and after its document opened the first Hush diagnostic arrived (the bench reads it). */
  private firstDiagnostic(e: vscode.DiagnosticChangeEvent): void {
    if (this.sawDiagnostic) return;
    const uri = e.uris.find((u) => vscode.languages.getDiagnostics(u).some((d) => d.source === 'hush'));
    if (!uri) return;
    this.sawDiagnostic = true;
    const now = Date.now();
    const opened = this.openedAt.get(uri.toString()) ?? this.activatedAt;
    this.log(`Hush first diagnostic ${now - this.activatedAt} ms after activation began, ${now - Math.max(opened, this.activatedAt)} ms after its document opened`);
  }

  /** *Hush: Restart Language Server*: a fresh server, the same editor state. */
  async restart(): Promise<void> {
    this.restarts = [];
    const client = this.client;
    if (client?.state === State.Running) return client.restart();
    if (client) {
      try {
        return await client.start();
      } catch {
        await client.dispose().catch(() => undefined); // a client whose start failed: make a new one
      }
    }
    return this.start();
  }

  private running(): LanguageClient {
    if (!this.client) throw new Error('The Hush language server is not running. Run "Hush: Restart Language Server".');
    return this.client;
  }

  /** The server went away while answering (crash, kill): the request never completed. */
  lostConnection(e: unknown): boolean {
    return CONNECTION_LOST.has((e as { code?: number })?.code ?? 0);
  }

  /** Resolves when the server runs again (true), or false after `timeoutMs`. */
  async whenRunning(timeoutMs: number): Promise<boolean> {
    if (this.serverState === State.Running) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(false);
      }, timeoutMs);
      const sub = this.onServerState((s) => {
        if (s !== State.Running) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      });
    });
  }

  status(): Promise<StatusResult> {
    return this.running().sendRequest(StatusRequest);
  }

  scanWorkspace(): Promise<ScanWorkspaceResult> {
    return this.running().sendRequest(ScanWorkspaceRequest);
  }

  /** One Secrets Manager operation on the server (see CoreOps in shared/protocol.ts). */
  async core<K extends CoreOp>(op: K, params: CoreParams<K>): Promise<CoreResult<K>> {
    const result = await this.running().sendRequest(coreRequest(op), params);
    if (!READ_ONLY_OPS.has(op)) this.storeChanged.fire(); // views refresh at once, without waiting for the store's change notification
    return result as CoreResult<K>;
  }

  /** Any other typed request to the server. */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    return this.running().sendRequest(type, params);
  }

  move(p: MoveParams): Promise<MoveResult> {
    return this.running().sendRequest(MoveRequest, p);
  }

  moveAll(p: { uri: string; version: number }): Promise<MoveResult[]> {
    return this.running().sendRequest(MoveAllRequest, p);
  }

  /** Other files holding the value at `range`, for the user to see before a move. */
  occurrences(p: { uri: string; version: number; range: Range }): Promise<{ uri: string; line: number }[]> {
    return this.running().sendRequest(OccurrencesRequest, p);
  }

  listKeys(): Promise<KeySummary[]> {
    return this.running().sendRequest(ListKeysRequest);
  }

  putValue(p: PutValueParams): Promise<PutValueResult> {
    return this.running().sendRequest(PutValueRequest, p);
  }

  /**
   * Shows a server or client error as one sentence with a way to the output.
   * Server errors arrive as `Code: message`; the message never holds a value.
   */
  showError(what: string, e: unknown): void {
    const message = (e as Error)?.message ?? String(e);
    if (message.startsWith('Cancelled:')) return;
    const lost = this.lostConnection(e);
    const shown = lost ? 'the Hush language server stopped before it answered; it is restarting.' : message;
    this.output.error(`${what}: ${message}`);
    // AccessDenied names the action, the resource and the deciding statement; Explain opens the simulation.
    const denied = accessDenied(e);
    const actions = denied?.action && denied.resource ? ['Explain', 'Show Output'] : ['Show Output'];
    void vscode.window.showErrorMessage(`Hush: ${what}. ${shown}`, ...actions).then((c) => {
      if (c === 'Show Output') this.output.show(true);
      if (c === 'Explain' && denied?.action && denied.resource) {
        this.explanations.show(denied.action, denied.resource).catch((x: unknown) => this.output.error(`Could not explain the decision: ${(x as Error)?.message ?? String(x)}`));
      }
    });
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }
}

/** The code a server error carries (`data.code`, else the `Code:` prefix of its message). */
export function errorCode(e: unknown): string | undefined {
  const data = (e as { data?: { code?: unknown } })?.data;
  if (typeof data?.code === 'string') return data.code;
  return /^([A-Z][A-Za-z]+): /.exec((e as Error)?.message ?? '')?.[1];
}

/** What an AccessDenied error says was refused, for Explain; undefined for other errors. */
export function accessDenied(e: unknown): AccessDeniedData | undefined {
  if (errorCode(e) !== 'AccessDenied') return undefined;
  const data = (e as { data?: Partial<AccessDeniedData> })?.data ?? {};
  return { code: 'AccessDenied', ...(typeof data.action === 'string' ? { action: data.action } : {}), ...(typeof data.resource === 'string' ? { resource: data.resource } : {}), ...(typeof data.reason === 'string' ? { reason: data.reason } : {}), ...(typeof data.principal === 'string' ? { principal: data.principal } : {}) };
}
