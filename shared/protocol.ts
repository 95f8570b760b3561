/**
 * The custom LSP messages Hush's client and server speak, defined once and
 * imported by both sides (the vscode-eslint pattern).
 */
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export interface StatusResult {
  /** Server version (package.json). */
  readonly version: string;
  /** Documents the server is tracking now. */
  readonly openDocuments: number;
  /** Findings across the open documents. */
  readonly findings: number;
  /** Milliseconds since the server started. */
  readonly uptimeMs: number;
  /** The server's process id and memory (bytes), for diagnosing and benchmarks. */
  readonly pid?: number;
  readonly memory?: { rss: number; heapUsed: number };
}

export const StatusRequest = new RequestType0<StatusResult, void>('hush/status');

/** Settings the server reads under the `hush` section; the shape of `contributes.configuration`. */
export interface HushSettings {
  enable: boolean;
  severity: 'error' | 'warning' | 'information';
  /** Store folder; empty for the default (the CLI's too). */
  storePath: string;
  /** Lookup template per language id, `NAME` standing for the variable. */
  replacementTemplates: Record<string, string>;
  /** `hush.rotation.runDueInEditor`: the server runs due rotations while it runs. */
  rotationRunDueInEditor: boolean;
}

export const DEFAULT_SETTINGS: HushSettings = {
  enable: true,
  severity: 'warning',
  storePath: '',
  replacementTemplates: {},
  rotationRunDueInEditor: false,
};

/**
 * Merge what a client sent for `workspace/configuration` onto the defaults.
 * Clients may answer with `null` or partial objects (the spec allows it).
 */
export function resolveSettings(raw: unknown): HushSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof HushSettings, unknown>>;
  const severity = s.severity;
  const templates: Record<string, string> = {};
  if (s.replacementTemplates && typeof s.replacementTemplates === 'object') {
    for (const [k, v] of Object.entries(s.replacementTemplates)) if (typeof v === 'string' && v.includes('NAME')) templates[k] = v;
  }
  return {
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    severity:
      severity === 'error' || severity === 'warning' || severity === 'information' ? severity : DEFAULT_SETTINGS.severity,
    storePath: typeof s.storePath === 'string' ? s.storePath : DEFAULT_SETTINGS.storePath,
    replacementTemplates: templates,
    rotationRunDueInEditor: (s as { rotation?: { runDueInEditor?: unknown } }).rotation?.runDueInEditor === true,
  };
}

export interface ScanWorkspaceResult {
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  readonly elapsedMs: number;
  /** The user cancelled; the figures cover what was scanned until then. */
  readonly cancelled: boolean;
}

/** Scans every workspace folder and publishes diagnostics for files that are not open too. */
export const ScanWorkspaceRequest = new RequestType0<ScanWorkspaceResult, void>('hush/scanWorkspace');

// ---- Moving a secret -------------------------------------------------------

/** LSP-shaped range, so this file needs no LSP types beyond the request helpers. */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * Arguments of the `hush.moveToSecretsManager` command that the server's quick
 * fix carries: the server decides the defaults, the client may ask the user
 * to change them (`ask`), then sends `hush/move`.
 */
export interface MoveCommandArgs {
  uri: string;
  version: number;
  range: Range;
  ruleId: string;
  /** Masked value, for prompts. */
  masked: string;
  envVar: string;
  secretName: string;
  /** Ask for name, key and description before moving. */
  ask: boolean;
  /** A connection URL moved whole as database credentials (JSON), read back as a URL (shared/move/dbSecret.ts). */
  dbJson?: boolean;
}

export interface MoveParams {
  uri: string;
  version: number;
  range: Range;
  envVar: string;
  secretName: string;
  kmsKeyId?: string;
  description?: string;
  /** Other files (uris, from hush/occurrences) whose copies of the value are replaced in the same edit. */
  alsoIn?: string[];
  /** See MoveCommandArgs.dbJson. */
  dbJson?: boolean;
  /**
   * When `secretName` exists with another value, or the manifest maps `envVar`
   * to another secret: `fail` (the default: nothing is stored, and the error's
   * data is a NameConflict with a free name to suggest), `newVersion` (store the
   * value as the secret's new CURRENT), `unique` (use the free name).
   * A value already stored is never stored again: its secret is reused.
   */
  onExisting?: 'fail' | 'newVersion' | 'unique';
}

/** The `data` of a move refused because the name or the variable is taken (code SecretExists or VariableTaken). */
export interface NameConflict {
  code: 'SecretExists' | 'VariableTaken';
  secretName: string;
  envVar: string;
  /** For VariableTaken: the secret the manifest maps the variable to. */
  mappedTo?: string;
  /** A secret name and a variable that are both free (`…_2`). */
  suggestedSecretName: string;
  suggestedEnvVar: string;
}

/** Where else in the workspace the value at a range sits (other files), shown to the user before a move. */
export const OccurrencesRequest = new RequestType<{ uri: string; version: number; range: Range }, { uri: string; line: number }[], void>('hush/occurrences');

export interface MoveResult {
  secretName: string;
  versionId: string;
  /** A new secret (true) or a new version of an existing one (false). */
  created: boolean;
  /** The value was already stored in `secretName` (its CURRENT version): nothing new was written. */
  reused: boolean;
  /** The variable the code now reads (the manifest may already have mapped the secret to one). */
  envVar: string;
  /** What the literal became, e.g. `process.env.DB_PASSWORD`. */
  lookup: string;
  /** The workspace manifest that now maps the variable, if any. */
  manifestUri?: string;
  /** False when the secret was stored but the editor refused the edit. */
  applied: boolean;
  /** How many places in the file now read the variable (the same value may occur more than once). */
  occurrences: number;
}

export const MoveRequest = new RequestType<MoveParams, MoveResult, void>('hush/move');

/** "Move all findings in this file", each with its default name, in one edit. */
export const MoveAllRequest = new RequestType<{ uri: string; version: number }, MoveResult[], void>('hush/moveAll');

// ---- The store, keys and secrets, for the views ------------------------------

export interface StoreInfo {
  path: string;
  /** An embedded store (a folder) or a team store (PostgreSQL); absent from older servers. */
  kind?: 'embedded' | 'team';
  /** A team store's host:port (never its password). */
  host?: string;
  /** Where the root key came from (`HUSH_MASTER_KEY`, `HUSH_PASSPHRASE`, `keychain`); absent until opened. */
  rootKeySource?: string;
  /** Why the store could not be opened, as a user-facing message. */
  error?: { code: string; message: string };
}

export const StoreInfoRequest = new RequestType0<StoreInfo, void>('hush/store/info');

export interface KeySummary {
  keyId: string;
  aliases: string[];
  description: string;
  state: string;
  origin: string;
  createdAt: string;
  deletionDate?: string;
  isDefault: boolean;
}

export const ListKeysRequest = new RequestType0<KeySummary[], void>('hush/keys/list');

/** Sent by the server when the store changed (from this editor or the CLI). */
export const StoreChangedNotification = new NotificationType0('hush/store/changed');

export interface PutValueParams {
  secretName: string;
  /** The new value; absent with `generate`. Never logged by either side. */
  value?: string;
  /** Generate a random password instead (length and classes as AWS GetRandomPassword). */
  generate?: { length?: number; excludePunctuation?: boolean };
}

export interface PutValueResult {
  secretName: string;
  versionId: string;
  versionStages: string[];
}

/** A new CURRENT version for an existing secret (the old one becomes PREVIOUS). */
export const PutValueRequest = new RequestType<PutValueParams, PutValueResult, void>('hush/secrets/put');

// ---- Secrets Manager operations for the views and commands -------------------
//
// One typed table; each op travels as the request `hush/<op>`. The server
// implements exactly these (a compile error otherwise), the client calls them
// through `Ctx.core(op, params)`.

export interface VersionInfo {
  versionId: string;
  versionStages: string[];
  createdAt: string;
  kmsKeyId: string;
}

export interface SecretInfo {
  id: string;
  name: string;
  description: string;
  kmsKeyId: string;
  /** The CMK's first alias and state, so the view can flag secrets under a disabled key. */
  keyAlias?: string;
  keyState: string;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  lastAccessedAt?: string;
  deletionDate?: string;
  rotation?: {
    intervalDays: number;
    lastRotatedAt?: string;
    nextRotationDate: string;
    due: boolean;
    /** How a new value is applied: a built-in database rotator, or a hook (absolute path). */
    rotator?: 'postgres' | 'mysql';
    strategy?: 'single' | 'alternating';
    adminSecret?: string;
    hook?: string;
  };
}

export interface SecretDetails extends SecretInfo {
  versions: VersionInfo[];
}

export interface AuditRow {
  seq: number;
  time: string;
  principal: string;
  action: string;
  resource: Record<string, string>;
  outcome: string;
  errorCode?: string;
  /** Who asked how and from where, and what policy said (records written before access policy have none). */
  context?: {
    /** editor, cli or serve. */
    source: string;
    host: string;
    /** How the principal proved who they are: root-key, identity, sigv4. */
    auth: string;
    requestId: string;
    decision?: 'Allow' | 'Deny';
    policy?: string;
    sid?: string;
  };
}

/** Filters of the Audit view; every one given must hold. */
export interface AuditQuery {
  /** Records about one secret (name or id). */
  secret?: string;
  /** The member (principal), exactly. */
  principal?: string;
  /** The action, exactly (`secrets:GetSecretValue`), or a family with a wildcard (`kms:*`). */
  action?: string;
  /** Part of any resource id or name (secret, key, alias, version), case-insensitive. */
  resource?: string;
  outcome?: 'Success' | 'Denied' | 'Failure';
  /** Newest records kept after filtering (default 200). */
  limit?: number;
}

/** One page of the Secrets view, name-sorted; `nextToken` while there are more. */
export interface SecretPage {
  secrets: SecretInfo[];
  nextToken?: string;
}

/**
 * What the sidebar may offer on a secret (its versions and labels included)
 * and on a key. The server says which of these the member may not run, from
 * the same decision function the core uses before it runs them.
 */
export const SECRET_VERBS = ['describe', 'reveal', 'putValue', 'rotate', 'setRotation', 'moveLabel', 'tag', 'delete', 'restore'] as const;
export type SecretVerb = (typeof SECRET_VERBS)[number];
export const KEY_VERBS = ['enable', 'disable', 'rotate', 'scheduleDeletion', 'cancelDeletion', 'import'] as const;
export type KeyVerb = (typeof KEY_VERBS)[number];

/** Why a command is not offered: the first of its actions policy denies, and the statement that decided. */
export interface Denial {
  action: string;
  /** The resource as the policy names it (`secret:prod/db`, `key:…`). */
  resource: string;
  /** "denied by policy 'X', statement Y" or "no statement allows it". */
  reason: string;
  policy?: string;
  sid?: string;
}

export interface AccessDecisions {
  /** Whose decisions these are. */
  principal: string;
  /** By secret name (as asked): the commands denied. A command not listed is allowed. */
  secrets: Record<string, Partial<Record<SecretVerb, Denial>>>;
  /** By key id (as asked): the commands denied. */
  keys: Record<string, Partial<Record<KeyVerb, Denial>>>;
}

/** A policy decision explained: every statement that matched, and the one that decided. */
export interface AccessExplanation {
  principal: string;
  action: string;
  /** The resource as asked, and the canonical names and tags the statements were matched against. */
  resource: string;
  names: string[];
  tags?: Record<string, string>;
  effect: 'Allow' | 'Deny';
  reason: string;
  decidedBy?: { policy?: string; sid?: string };
  matched: { policy: string; sid: string; effect: 'Allow' | 'Deny' }[];
  store: 'embedded' | 'team';
  /**
   * Where the policies came from: the team store's simulation
   * (TeamPolicies.simulate), the member's own policies when they may not
   * read the team's (no team:ListPolicies), or the embedded store's
   * `.hush/policy.json` (or its absence: everything allowed).
   */
  basis: 'team-simulation' | 'own-policies' | 'policy-file' | 'no-policy-file';
  /** The embedded store's policy file. */
  policyFile?: string;
}

/** The `data` of an AccessDenied error, so the editor can offer Explain. */
export interface AccessDeniedData {
  code: 'AccessDenied';
  principal?: string;
  action?: string;
  resource?: string;
  reason?: string;
}

export type AuditCheck =
  /** `gaps`: records lost and declared by `hush audit repair`; a log with gaps is never called intact. */
  | { ok: true; records: number; signed: boolean; gaps?: { from: number; to: number; principal: string; time: string }[] }
  | { ok: false; records: number; line: number; seq?: number; reason: string };

export interface RotationStep {
  step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  ok: boolean;
  /** Hook stderr (values redacted) or the error, when the step failed. */
  detail?: string;
}

export interface RotationResult {
  secretName: string;
  ok: boolean;
  /** The new version (PENDING if the rotation failed, CURRENT if it finished). */
  versionId?: string;
  steps: RotationStep[];
  /** When !ok: which step failed and why, in one sentence. */
  message?: string;
}

export interface CoreOps {
  'secrets/list': [{ includePlannedDeletion?: boolean; tagKey?: string }, SecretInfo[]];
  /** One page for the Secrets view: `filter` is part of a name or description (any case), `pageSize` 1 to 100 (default 100). */
  'secrets/page': [{ filter?: string; tagKey?: string; includePlannedDeletion?: boolean; pageSize?: number; nextToken?: string }, SecretPage];
  'secrets/describe': [{ secretName: string }, SecretDetails];
  'secrets/reveal': [{ secretName: string; versionId?: string }, { value: string; versionId: string; versionStages: string[] }];
  'secrets/create': [
    { name: string; description?: string; kmsKeyId?: string; value?: string; generate?: boolean; tags?: Record<string, string> },
    { name: string; versionId?: string },
  ];
  'secrets/moveLabel': [{ secretName: string; label: string; toVersionId?: string; fromVersionId?: string }, VersionInfo[]];
  'secrets/delete': [{ secretName: string; recoveryDays?: number; force?: boolean }, { deletionDate: string }];
  'secrets/restore': [{ secretName: string }, null];
  'secrets/tag': [{ secretName: string; tags?: Record<string, string>; removeKeys?: string[] }, null];
  'secrets/rotate': [{ secretName: string }, RotationResult];
  /** A relative hook is resolved against the first workspace folder; rotator and hook exclude each other. */
  'secrets/setRotation': [
    {
      secretName: string;
      intervalDays?: number;
      length?: number;
      excludePunctuation?: boolean;
      hook?: string;
      rotator?: 'postgres' | 'mysql';
      strategy?: 'single' | 'alternating';
      adminSecret?: string;
    },
    SecretInfo,
  ];
  'keys/create': [{ alias?: string; description?: string; origin?: 'HUSH' | 'EXTERNAL' }, KeySummary];
  'keys/enable': [{ keyId: string }, KeySummary];
  'keys/disable': [{ keyId: string }, KeySummary];
  'keys/scheduleDeletion': [{ keyId: string; days: number }, KeySummary];
  'keys/cancelDeletion': [{ keyId: string }, KeySummary];
  'keys/rotate': [{ keyId: string }, KeySummary];
  'keys/importParameters': [{ keyId: string }, { keyId: string; importToken: string; publicKey: string; wrappingAlgorithm: string; validTo: string }];
  'keys/import': [{ keyId: string; importToken: string; encryptedMaterial: string; validTo?: string }, KeySummary];
  /** The manifest's variables with their values, for a terminal or a debug session (memory only). */
  'manifest/env': [{ folder: string }, { env: Record<string, string> }];
  'audit/list': [AuditQuery, AuditRow[]];
  'audit/verify': [Record<string, never>, AuditCheck];
  /** The member's decisions on the sidebar's commands for these secrets (names) and keys (ids), in one batch. */
  'access/decide': [{ secrets?: string[]; keys?: string[] }, AccessDecisions];
  /** Why the member may or may not run `action` on `resource` (`secret:NAME`, `key:ID`, `key:alias/NAME`). */
  'access/explain': [{ action: string; resource: string }, AccessExplanation];
}

export type CoreOp = keyof CoreOps;
export type CoreParams<K extends CoreOp> = CoreOps[K][0];
export type CoreResult<K extends CoreOp> = CoreOps[K][1];

/** Operations that never change the store: after the others the views refresh at once. */
export const READ_ONLY_OPS: ReadonlySet<CoreOp> = new Set<CoreOp>([
  'secrets/list',
  'secrets/page',
  'secrets/describe',
  'secrets/reveal',
  'keys/importParameters',
  'manifest/env',
  'audit/list',
  'audit/verify',
  'access/decide',
  'access/explain',
]);

export function coreRequest<K extends CoreOp>(op: K): RequestType<CoreParams<K>, CoreResult<K>, void> {
  return new RequestType<CoreParams<K>, CoreResult<K>, void>(`hush/${op}`);
}

/** What the client tells the server at start (`initializationOptions`). */
export interface InitOptions {
  /** VS Code's Workspace Trust: hooks and workspace-defined commands run only when true. */
  workspaceTrusted: boolean;
  /** The client answers hush/askPassphrase (other LSP clients do not). */
  askPassphrase?: boolean;
  /**
   * The client saves `.hush.json` after applying a move's workspace edit (and
   * after undo/redo of it), so the manifest can be part of that undoable edit.
   * Without it the server writes the manifest to disk itself, outside the edit.
   */
  savesManifest?: boolean;
}

/** The user trusted the workspace after the server started. */
export const WorkspaceTrustedNotification = new NotificationType0('hush/workspaceTrusted');

/** Sent while a rotation runs, one per finished step, so the client can show progress. */
export const RotationStepNotification = new NotificationType<RotationStep & { secretName: string }>('hush/rotationStep');

/** Server → client: the store needs its passphrase (not set in HUSH_PASSPHRASE). */
export interface AskPassphraseParams {
  storePath: string;
  /** The last passphrase given was wrong. */
  wrong: boolean;
  /** The store does not exist yet: the passphrase will protect a new store. */
  creating: boolean;
}

export interface AskPassphraseResult {
  /** Absent when the user cancelled. */
  passphrase?: string;
  /** Typed in this session, or remembered in the editor's secret storage (for the status bar). */
  source?: 'typed' | 'remembered';
}

export const AskPassphraseRequest = new RequestType<AskPassphraseParams, AskPassphraseResult, void>('hush/askPassphrase');

/** Server → client: what the status bar shows about the store. */
export interface StoreState {
  /** `offline`: a team store's database cannot be reached; the server retries and says `open` when it is back. */
  state: 'closed' | 'open' | 'locked' | 'error' | 'offline';
  path: string;
  kind?: 'embedded' | 'team';
  /** A team store's host:port. */
  host?: string;
  /** The member or user the store was opened as. */
  principal?: string;
  /** `HUSH_MASTER_KEY`, `HUSH_PASSPHRASE`, `keychain`, or for a passphrase the user gave the editor: `typed` / `remembered`. */
  rootKeySource?: string;
  rotationsDue?: number;
  message?: string;
}

export const StoreStateNotification = new NotificationType<StoreState>('hush/store/state');

/**
 * Messages whose parameters or result carry a secret value, a passphrase or
 * the text of a document (which may hold a hardcoded credential). A protocol
 * trace shows their method and id, never their payload
 * (client/traceChannel.ts). A new message that carries a value belongs here.
 */
export const VALUE_BEARING_METHODS: ReadonlySet<string> = new Set([
  coreRequest('secrets/reveal').method,
  coreRequest('secrets/create').method,
  coreRequest('manifest/env').method,
  coreRequest('keys/import').method,
  PutValueRequest.method,
  AskPassphraseRequest.method,
  'textDocument/didOpen',
  'textDocument/didChange',
]);

/** Whether `hush serve` serves the open store: started by this editor, or by `hush serve` in a terminal. */
export interface ServeStatus {
  running: boolean;
  /** The endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  url?: string;
  /** Started by this editor (it can stop it); otherwise another process (stop it where it runs). */
  inEditor?: boolean;
  pid?: number;
  /** Requests served (a server started by this editor). */
  requests?: number;
  /** Access keys not revoked: without one, no application can call it. */
  liveKeys?: number;
}

export const ServeStatusRequest = new RequestType<Record<string, never>, ServeStatus, void>('hush/serve/status');
export const ServeStartRequest = new RequestType<{ port?: number }, ServeStatus, void>('hush/serve/start');
export const ServeStopRequest = new RequestType<Record<string, never>, ServeStatus, void>('hush/serve/stop');
