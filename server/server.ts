/**
 * The Hush language server: documents → detector → diagnostics and hovers.
 * Runs alone with `node dist/server.js --stdio` (any LSP client) or under
 * the VS Code client over IPC. It never shows UI; it never logs a value.
 */
import {
  CancellationToken,
  CodeActionKind,
  createConnection,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeFinding, scanText } from '../shared/detect/engine';
import { explainFinding } from '../shared/detect/evidence';
import { Finding } from '../shared/detect/finding';
import { readTextFile, walkFiles } from '../shared/detect/files';
import {
  DEFAULT_SETTINGS,
  HushSettings,
  ListKeysRequest,
  MoveRequest,
  MoveAllRequest,
  OccurrencesRequest,
  PutValueRequest,
  resolveSettings,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
  StatusRequest,
  StoreChangedNotification,
  StoreInfoRequest,
  WorkspaceTrustedNotification,
  InitOptions,
  RotationStepNotification,
  AskPassphraseRequest,
  StoreStateNotification,
} from '../shared/protocol';
import { handlers, keySummary, registerCoreOps } from './coreOps';
import { URI } from 'vscode-uri';
import { VERSION } from '../shared/version';
import { codeActions, folderOf, move, moveAll, MoveContext, occurrences } from './move';
import { FolderDetectCache, withoutBaselined } from './folderDetect';
import { ignoreActions } from './ignoreActions';
import { KnownSecrets } from './knownSecrets';
import { AppliedManifests } from './manifestUpdate';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { MemoryReleaser } from './memoryReleaser';
import * as path from 'node:path';
import { SecretsService } from './secretsService';
import { DueRotations } from './dueRotations';
import { ReferenceFeatures } from './references';
import { registerLocalSecretsServer } from './localSecretsServer';

const startedAt = Date.now();
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Findings per open document version, for hovers and status. */
const findingsByUri = new Map<string, { version: number; findings: Finding[] }>();
let settings: HushSettings = DEFAULT_SETTINGS;
let canAskConfiguration = false;
let workspaceFolders: string[] = [];
/** Other LSP clients know no Workspace Trust: they get the safe answer unless they say otherwise. */
let workspaceTrusted = false;
/** Only Hush's own client answers hush/askPassphrase. */
let canAskPassphrase = false;
/** Hush's own client saves .hush.json after a move's edit; for other clients the server writes it. */
let clientSavesManifest = false;
const secrets = new SecretsService(undefined, {
  onChange: () => {
    references.storeChanged();
    void connection.sendNotification(StoreChangedNotification);
    for (const doc of documents.all()) publish(doc); // missing-secret warnings may have changed
  },
  askPassphrase: async (p) => (canAskPassphrase ? connection.sendRequest(AskPassphraseRequest, p) : {}),
  onState: (s) => {
    void connection.sendNotification(StoreStateNotification, s);
    const opened = s.state === 'open' && !storeOpen;
    storeOpen = s.state === 'open';
    if (opened) void dueRotations.runOnce();
    // Opened or changed: refresh the fingerprints of the stored values, then re-check open files.
    if (s.state === 'open') {
      void secrets
        .manager()
        .then((m) => known.rebuild(m))
        .then(() => documents.all().forEach(publish), () => undefined);
    }
  },
});
const known = new KnownSecrets();
/** Due rotations, only with hush.rotation.runDueInEditor on, and only once the store is open (never to prompt for it). */
let storeOpen = false;
const dueRotations = new DueRotations({
  manager: () => (storeOpen ? secrets.manager() : Promise.reject(new Error('the store is not open'))),
  enabled: () => settings.rotationRunDueInEditor,
  trusted: () => workspaceTrusted,
  onStep: (secretName, step) => void connection.sendNotification(RotationStepNotification, { secretName, ...step }),
  onResult: (r) =>
    void (r.ok
      ? connection.window.showInformationMessage(`Hush: rotated ${r.secretName} (its rotation was due); version ${r.versionId?.slice(0, 8)} is CURRENT.`)
      : connection.window.showWarningMessage(`Hush: ${r.message}`)),
});
const references = new ReferenceFeatures(documents, secrets, () => workspaceFolders);
const moveContext: MoveContext = {
  connection,
  documents,
  secrets,
  findingsOf: (uri) => {
    const entry = findingsByUri.get(uri);
    return entry && entry.version === documents.get(uri)?.version ? entry.findings : undefined;
  },
  workspaceFolders: () => workspaceFolders,
  templates: () => settings.replacementTemplates,
  ignoreActions: (doc, f, diagnostics) =>
    ignoreActions(
      {
        documents,
        folderOf: (file) => folderOf(file, workspaceFolders),
        baselineOf: (folder) => folderDetect.get(folder).baseline,
      },
      doc,
      f,
      diagnostics,
    ),
  detect: (uri, text) => detect(uri, text),
  trusted: () => workspaceTrusted,
  savesManifest: () => clientSavesManifest,
  appliedManifests: new AppliedManifests(),
  holderOf: async (m, value) => {
    await known.rebuild(m); // one listing of the stored fingerprints; no value is decrypted
    return known.holding(value);
  },
};

connection.onInitialize((params) => {
  canAskConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceFolders = (params.workspaceFolders ?? [])
    .map((f) => URI.parse(f.uri))
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
  const init = params.initializationOptions as Partial<InitOptions> | undefined;
  workspaceTrusted = init?.workspaceTrusted === true;
  canAskPassphrase = init?.askPassphrase === true;
  clientSavesManifest = init?.savesManifest === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      completionProvider: { triggerCharacters: ['.', '"', "'", '`', '{', ':'] },
    },
    serverInfo: { name: 'hush', version: VERSION },
  };
});

/** Settings are read once after `initialized`; documents opened before that wait for them. */
let settingsLoaded: Promise<void> = Promise.resolve();

connection.onInitialized(() => {
  settingsLoaded = reloadSettings();
});

connection.onDidChangeConfiguration(async (change) => {
  // Push model (clients without workspace/configuration) sends the section in the notification.
  const pushed = (change.settings as { hush?: unknown } | undefined)?.hush;
  if (!canAskConfiguration && pushed !== undefined) {
    settings = resolveSettings(pushed);
    followRotationSetting();
  } else await reloadSettings();
  for (const doc of documents.all()) publish(doc);
});

function followRotationSetting(): void {
  if (settings.rotationRunDueInEditor) dueRotations.start();
  else dueRotations.stop();
}

async function reloadSettings(): Promise<void> {
  if (!canAskConfiguration) return;
  try {
    const [raw] = (await connection.workspace.getConfiguration([{ section: 'hush' }])) as unknown[];
    settings = resolveSettings(raw);
    await secrets.setStorePath(settings.storePath);
    followRotationSetting();
  } catch (e) {
    connection.console.warn(`Could not read the hush settings, using defaults: ${(e as Error).message}`);
  }
}

const SEVERITY: Record<HushSettings['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

function toDiagnostics(doc: TextDocument, findings: Finding[]): Diagnostic[] {
  return findings.map((f) => ({
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: SEVERITY[settings.severity],
    source: 'hush',
    code: f.ruleId,
    message: describeFinding(f),
  }));
}

function publish(doc: TextDocument): void {
  void settingsLoaded.then(() => publishNow(doc));
}

/** Each folder's .hushignore, .hush/rules.json and .hush/baseline.json; problems with them are shown once. */
const folderDetect = new FolderDetectCache((problem) => void connection.window.showWarningMessage(`Hush: ${problem}`));

/** The findings for a text: the folder's rules, minus ignored paths and baselined findings. */
function detect(uri: string, text: string): Finding[] {
  if (!settings.enable) return [];
  const u = URI.parse(uri);
  const file = u.scheme === 'file' ? u.fsPath : undefined;
  const folder = file ? folderOf(file, workspaceFolders) : undefined;
  const knownSecrets = known.index;
  if (!file || !folder) return scanText(text, { path: u.path, ...(knownSecrets ? { knownSecrets } : {}) });
  const cfg = folderDetect.get(folder);
  if (cfg.ignored(path.relative(folder, file).split(path.sep).join('/'))) return [];
  const found = scanText(text, {
    path: file,
    rules: cfg.rules.rules,
    disabledRules: cfg.rules.disabledRules,
    severities: cfg.rules.severities,
    ...(knownSecrets ? { knownSecrets } : {}),
  });
  return withoutBaselined(cfg, text, file, found);
}

// The client watches .hushignore, .hush.json and .hush/*.json (see client/ctx.ts).
connection.onDidChangeWatchedFiles((p) => {
  moveContext.appliedManifests.changedOnDisk(p.changes.map((c) => c.uri));
  folderDetect.clear();
  references.manifestsChanged();
  for (const doc of documents.all()) publish(doc);
});

async function publishNow(doc: TextDocument): Promise<void> {
  if (documents.get(doc.uri) !== doc) return; // closed meanwhile
  const version = doc.version;
  const findings = detect(doc.uri, doc.getText());
  findingsByUri.set(doc.uri, { version, findings });
  const diagnostics = toDiagnostics(doc, findings);
  // Findings go out at once; lookups of missing secrets follow when the store answered.
  void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
  const missing = settings.enable ? await references.diagnostics(doc).catch(() => []) : [];
  if (missing.length > 0 && documents.get(doc.uri) === doc && doc.version === version) {
    void connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [...diagnostics, ...missing] });
  }
}

/**
 * Scans every workspace folder (honouring .gitignore and .hushignore) and
 * publishes diagnostics for files that are not open; open documents are
 * already live. Shows progress, can be cancelled, and yields between files
 * so the server keeps answering while it runs.
 */
async function scanWorkspace(token: CancellationToken): Promise<ScanWorkspaceResult> {
  const started = Date.now();
  const result = { filesScanned: 0, filesSkipped: 0, findings: 0, filesWithFindings: 0, cancelled: false };
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Hush: scanning for hardcoded credentials', undefined, 'listing files…', true);
  const stop = () => token.isCancellationRequested || progress.token.isCancellationRequested;
  try {
    for (const folder of workspaceFolders) {
      for (const file of walkFiles(folder)) {
        if (stop()) {
          result.cancelled = true;
          return { ...result, elapsedMs: Date.now() - started };
        }
        const uri = URI.file(file).toString();
        const open = findingsByUri.get(uri);
        let count: number;
        if (open && documents.get(uri)) {
          count = open.findings.length;
        } else {
          const read = readTextFile(file);
          if (read.kind === 'skipped') {
            result.filesSkipped++;
            continue;
          }
          const findings = detect(uri, read.text);
          count = findings.length;
          void connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(TextDocument.create(uri, 'plaintext', 0, read.text), findings) });
        }
        result.filesScanned++;
        result.findings += count;
        if (count > 0) result.filesWithFindings++;
        if (result.filesScanned % 25 === 0) {
          progress.report(`${result.filesScanned} files, ${result.findings} finding(s)`);
          await new Promise((resolve) => setImmediate(resolve)); // let other requests in
        }
      }
    }
    return { ...result, elapsedMs: Date.now() - started };
  } finally {
    progress.done();
  }
}

/** Typing publishes once the keystrokes pause (per document); opening a document publishes at once. */
const scheduler = new DiagnosticsScheduler((uri) => {
  const doc = documents.get(uri);
  if (doc) publish(doc);
});
/** After many or large documents closed, a full garbage collection gives their memory back. */
const memory = new MemoryReleaser();
// TextDocuments fires onDidChangeContent for an opened document too.
documents.onDidChangeContent((e) => scheduler.changed(e.document.uri));
documents.onDidClose((e) => {
  scheduler.closed(e.document.uri);
  findingsByUri.delete(e.document.uri);
  memory.released(e.document.getText().length * 2);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover(async (params): Promise<Hover | null> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const offset = doc.offsetAt(params.position);
  const f = findingsByUri.get(doc.uri)?.findings.find((x) => x.start <= offset && offset <= x.end);
  if (!f) return references.hover(doc, offset).catch(() => null);
  return {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    contents: {
      kind: MarkupKind.Markdown,
      value: [
        `**Hush: ${f.title}** \`${f.masked}\``,
        '',
        `A credential in source code is readable by everyone with the repository and stays in its history.`,
        `Move it to the Secrets Manager and read it from \`${f.suggestedEnvVar}\` at run time.`,
        '',
        `Why: ${explainFinding(f)}`,
        '',
        `Silence this line with a \`hush:ignore\` comment`,
      ].join('\n'),
    },
  };
});

connection.onRequest(StatusRequest, () => {
  let findings = 0;
  for (const { findings: f } of findingsByUri.values()) findings += f.length;
  const mem = process.memoryUsage();
  return {
    version: VERSION,
    openDocuments: documents.all().length,
    findings,
    uptimeMs: Date.now() - startedAt,
    pid: process.pid,
    memory: { rss: mem.rss, heapUsed: mem.heapUsed },
  };
});

connection.onRequest(ScanWorkspaceRequest, (token) => scanWorkspace(token));

connection.onCodeAction((params) => codeActions(moveContext, params));
connection.onCompletion((params) => references.completion(params));
connection.onRequest(MoveRequest, (params) => move(moveContext, params));
connection.onRequest(MoveAllRequest, (params) => moveAll(moveContext, params));
connection.onRequest(OccurrencesRequest, (params) => occurrences(moveContext, params));
connection.onRequest(StoreInfoRequest, () => secrets.info());
connection.onRequest(ListKeysRequest, () => secrets.run(async (m) => (await m.kms.listKeys()).map(keySummary)));
connection.onNotification(WorkspaceTrustedNotification, () => (workspaceTrusted = true));
registerCoreOps(
  connection,
  secrets,
  handlers({
    hookCwd: () => workspaceFolders[0],
    trusted: () => workspaceTrusted,
    onRotationStep: (secretName, step) => void connection.sendNotification(RotationStepNotification, { secretName, ...step }),
    opened: async () => (await secrets.openedStore())!,
  }),
);
connection.onRequest(PutValueRequest, (p) =>
  secrets.run(async (m) => {
    const value = p.generate ? await m.getRandomPassword({ length: p.generate.length ?? 32, excludePunctuation: p.generate.excludePunctuation ?? false }) : p.value;
    if (!value) throw new Error('no value given: pass a value or ask for a generated one');
    const r = await m.putSecretValue(p.secretName, value);
    return { secretName: r.name, versionId: r.versionId, versionStages: r.versionStages };
  }),
);
const localSecretsServer = registerLocalSecretsServer(connection, secrets);
connection.onShutdown(async () => {
  dueRotations.stop();
  scheduler.dispose();
  memory.dispose();
  await localSecretsServer.stop();
  return secrets.close();
});

documents.listen(connection);
connection.listen();
