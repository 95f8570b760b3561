/**
 * A real LSP client over stdio against the built server (`dist/server.js`),
 * for integration tests: the same JSON-RPC framing any editor uses.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  ConfigurationRequest,
  ExitNotification,
  ShutdownRequest,
  InitializeResult,
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  ApplyWorkspaceEditResult,
  ShowMessageNotification,
  ShowMessageParams,
  ShowMessageRequest,
  ShowMessageRequestParams,
  MessageActionItem,
  WorkDoneProgressCreateRequest,
  ProgressType,
  WorkDoneProgressBegin,
  WorkDoneProgressReport,
  WorkDoneProgressEnd,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.join(__dirname, '..', '..', '..', 'dist', 'server.js');

export interface ClientOptions {
  rootPath?: string;
  /** What the client answers to `workspace/configuration` for `hush` (may be null, as some editors send). */
  settings?: unknown;
  /** Whether the client advertises `workspace.configuration`. */
  configurationCapability?: boolean;
  /** Extra environment for the server process (store path, root key). */
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly proc: ChildProcessWithoutNullStreams;
  readonly stderr: string[] = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: (() => void)[] = [];
  exitCode: number | null = null;
  /** Edits the server asked to apply, and what this client answers (applied by default). */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  applyEdit: (p: ApplyWorkspaceEditParams) => ApplyWorkspaceEditResult = () => ({ applied: true });
  /** Messages the server showed, and how this client answers its questions (first action by default). */
  readonly messages: ShowMessageParams[] = [];
  answer: (p: ShowMessageRequestParams) => MessageActionItem | null = (p) => p.actions?.[0] ?? null;
  /** Work-done progress the server reported, by token. */
  readonly progress = new Map<string | number, (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[]>();

  private constructor(private readonly opts: ClientOptions) {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...opts.env } });
    this.proc.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.proc.on('exit', (code) => (this.exitCode = code));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
    this.connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => this.opts.settings ?? null));
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      this.appliedEdits.push(p);
      return this.applyEdit(p);
    });
    this.connection.onNotification(ShowMessageNotification.type, (p) => this.messages.push(p));
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.progress.set(p.token, []);
      this.connection.onProgress(new ProgressType<WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd>(), p.token, (v) => this.progress.get(p.token)!.push(v));
      return null;
    });
    this.connection.onRequest(ShowMessageRequest.type, (p) => {
      this.messages.push(p);
      return this.answer(p);
    });
    this.connection.listen();
  }

  /** The server process id (benchmarks read its memory from /proc). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Every diagnostics notification received for `uri`, oldest first. */
  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  static async start(opts: ClientOptions = {}): Promise<{ client: LspTestClient; init: InitializeResult }> {
    const client = new LspTestClient(opts);
    const rootUri = opts.rootPath ? `file://${opts.rootPath}` : null;
    const init = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      initializationOptions: opts.initializationOptions,
      capabilities: {
        workspace: {
          configuration: opts.configurationCapability ?? true,
          applyEdit: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } },
        window: { workDoneProgress: true },
      },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, init };
  }

  /** Resolves with the next diagnostics published for `uri` that satisfy `pred`. */
  async waitForDiagnostics(
    uri: string,
    pred: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = (this.diagnostics.get(uri) ?? []).filter(pred).pop();
      if (hit) return hit;
      if (Date.now() > deadline) {
        throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  clearDiagnostics(): void {
    this.diagnostics.clear();
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone; the kill below covers it.
    }
    await new Promise<void>((resolve) => {
      if (this.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
