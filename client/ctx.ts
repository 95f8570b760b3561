/**
 * Owns the extension's state: the output channel, the language client and
 * the status bar item. Commands and views receive it; nothing else holds
 * global state.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import { LanguageClient, LanguageClientOptions, RequestType, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import {
  coreRequest,
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
  MoveParams,
  MoveRequest,
  MoveResult,
  PutValueParams,
  PutValueRequest,
  PutValueResult,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
  StatusRequest,
  StatusResult,
} from '../shared/protocol';

export class Ctx {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly storeChanged = new vscode.EventEmitter<void>();
  /** Fires when the store changed, from this editor or another process. */
  readonly onStoreChanged = this.storeChanged.event;
  /** What the server last said about the store (undefined until it was opened). */
  store: StoreState | undefined;
  private readonly rotationStep = new vscode.EventEmitter<RotationStep & { secretName: string }>();
  /** Fires as each step of a rotation ends. */
  readonly onRotationStep = this.rotationStep.event;
  readonly config: Config;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Hush', { log: true });
    this.statusItem = vscode.window.createStatusBarItem('hush.status', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'Hush';
    this.statusItem.command = 'hush.statusActions';
    extension.subscriptions.push(this.output, this.statusItem, this.rotationStep);
    this.config = new Config(extension.subscriptions);
  }

  log(line: string): void {
    this.output.info(line);
  }

  async start(): Promise<void> {
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
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
      initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted, askPassphrase: true } satisfies InitOptions,
      // Hovers on environment lookups link to these commands, and only these.
      markdown: { isTrusted: { enabledCommands: ['hush.secret.reveal', 'hush.secret.rotate', 'hush.secret.showInSidebar'] } },
    };
    this.client = new LanguageClient('hush', 'Hush Language Server', serverOptions, clientOptions);
    await this.client.start();
    const client = this.client;
    this.extension.subscriptions.push(
      this.storeChanged,
      client.onNotification(StoreChangedNotification, () => this.storeChanged.fire()),
      client.onNotification(RotationStepNotification, (s) => this.rotationStep.fire(s)),
      client.onNotification(StoreStateNotification, (s) => {
        this.store = s;
        this.refreshStatus();
      }),
      client.onRequest(AskPassphraseRequest, async (p) => ({ passphrase: await this.askPassphrase(p) })),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(WorkspaceTrustedNotification)),
    );
    this.extension.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => this.refreshStatus()));
    this.statusItem.show();
    this.refreshStatus();
  }

  private running(): LanguageClient {
    if (!this.client) throw new Error('The Hush language server is not running. Run "Hush: Show Output" to see why.');
    return this.client;
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
    if (!op.endsWith('/list') && !op.endsWith('/describe') && !op.endsWith('/reveal') && op !== 'audit/verify' && op !== 'keys/importParameters') {
      this.storeChanged.fire(); // views refresh at once, without waiting for the file watcher
    }
    return result as CoreResult<K>;
  }

  /** Any other typed request to the server. */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    return this.running().sendRequest(type, params);
  }

  move(p: MoveParams): Promise<MoveResult> {
    return this.running().sendRequest(MoveRequest, p);
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
    this.output.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`Hush: ${what}. ${message}`, 'Show Output').then((c) => {
      if (c === 'Show Output') this.output.show(true);
    });
  }

  /** The status bar: findings in open files, rotations due, and whether the store is locked. */
  private refreshStatus(): void {
    let findings = 0;
    let files = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      const ours = diagnostics.filter((d) => d.source === 'hush' && d.code !== 'missing-secret').length;
      findings += ours;
      if (ours > 0) files++;
    }
    const s = this.store;
    const parts = [findings > 0 ? `$(warning) Hush: ${findings}` : '$(shield) Hush'];
    if (s?.state === 'locked') parts.push('$(lock)');
    if (s?.rotationsDue) parts.push(`$(history) ${s.rotationsDue}`);
    this.statusItem.text = parts.join(' ');
    const lines = [
      findings > 0 ? `${findings} hardcoded credential(s) in ${files} open file(s)` : 'No hardcoded credentials in open files',
      s?.state === 'open' ? `Store unlocked (${s.rootKeySource}): ${s.path}` : s ? `Store ${s.state}: ${s.message ?? s.path}` : 'Store not opened yet',
    ];
    if (s?.rotationsDue) lines.push(`${s.rotationsDue} rotation(s) due`);
    this.statusItem.tooltip = `${lines.join('\n')}\nClick for Hush actions.`;
    this.statusItem.backgroundColor = s?.rotationsDue ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Asks for the store's passphrase; with hush.rememberPassphrase, VS Code's secret storage keeps it. */
  private async askPassphrase(p: { storePath: string; wrong: boolean; creating: boolean }): Promise<string | undefined> {
    const key = `hush.passphrase:${p.storePath}`;
    const remember = vscode.workspace.getConfiguration('hush').get<boolean>('rememberPassphrase', false);
    if (remember && !p.wrong) {
      const saved = await this.extension.secrets.get(key);
      if (saved) return saved;
    }
    if (p.wrong) await this.extension.secrets.delete(key);
    const passphrase = await vscode.window.showInputBox({
      title: p.creating ? 'Hush: choose a passphrase for the new store' : 'Hush: unlock the secrets store',
      prompt: p.creating
        ? `The OS keychain is not available, so the store in ${p.storePath} will be protected by this passphrase. The CLI reads it from HUSH_PASSPHRASE.`
        : `${p.wrong ? 'That passphrase did not unlock it. ' : ''}Passphrase of the store in ${p.storePath} (kept in memory for this session).`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (p.creating && v.length < 12 ? 'Use at least 12 characters.' : undefined),
    });
    if (passphrase && remember) await this.extension.secrets.store(key, passphrase);
    return passphrase || undefined;
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }
}
