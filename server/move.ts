/**
 * The main flow: quick fixes on a finding, and `hush/move`, which stores the
 * value as a secret version and only then replaces the literal, with the
 * manifest update, as one workspace edit (one undo).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Connection,
  CreateFile,
  Diagnostic,
  ResponseError,
  TextDocumentEdit,
  TextDocuments,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Finding } from '../shared/detect/finding';
import { isHushError } from '../shared/errors';
import { MANIFEST_FILE, withEntry } from '../shared/move/manifest';
import { planReplacement } from '../shared/move/replacement';
import type { MoveCommandArgs, MoveParams, MoveResult } from '../shared/protocol';
import { HUSH_ERROR, SecretsService, toResponseError } from './secretsService';

export interface MoveContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  secrets: SecretsService;
  /** Findings of an open document at its current version. */
  findingsOf(uri: string): Finding[] | undefined;
  workspaceFolders(): string[];
  templates(): Record<string, string>;
}

/** The workspace folder holding `file`, the deepest one when folders nest. */
export function folderOf(file: string, folders: string[]): string | undefined {
  return folders
    .filter((f) => file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
    .sort((a, b) => b.length - a.length)[0];
}

/** `myapp/DB_PASSWORD`: the workspace folder's name as a path prefix, then the variable. */
export function defaultSecretName(envVar: string, folder: string | undefined): string {
  const prefix = folder ? path.basename(folder).replace(/[^A-Za-z0-9_+=.@-]/g, '-') : '';
  return prefix ? `${prefix}/${envVar}` : envVar;
}

export function codeActions(ctx: MoveContext, params: CodeActionParams): CodeAction[] {
  const doc = ctx.documents.get(params.textDocument.uri);
  const findings = doc && ctx.findingsOf(doc.uri);
  if (!doc || !findings) return [];
  const from = doc.offsetAt(params.range.start);
  const to = doc.offsetAt(params.range.end);
  const folder = folderOf(URI.parse(doc.uri).fsPath, ctx.workspaceFolders());
  const actions: CodeAction[] = [];
  for (const f of findings) {
    if (f.end < from || f.start > to) continue;
    const range = { start: doc.positionAt(f.start), end: doc.positionAt(f.end) };
    const diagnostics = (params.context.diagnostics ?? []).filter(
      (d: Diagnostic) => d.source === 'hush' && d.range.start.line === range.start.line && d.range.start.character === range.start.character,
    );
    const args: MoveCommandArgs = {
      uri: doc.uri,
      version: doc.version,
      range,
      ruleId: f.ruleId,
      masked: f.masked,
      envVar: f.suggestedEnvVar,
      secretName: defaultSecretName(f.suggestedEnvVar, folder),
      ask: false,
    };
    actions.push(
      {
        title: `Move to Secrets Manager as ${args.secretName}`,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics,
        command: { title: 'Move to Secrets Manager', command: 'hush.moveToSecretsManager', arguments: [args] },
      },
      {
        title: 'Move to Secrets Manager…',
        kind: CodeActionKind.QuickFix,
        diagnostics,
        command: { title: 'Move to Secrets Manager…', command: 'hush.moveToSecretsManager', arguments: [{ ...args, ask: true }] },
      },
      ignoreAction(doc, f, diagnostics),
    );
  }
  return actions;
}

const HASH_COMMENT_LANGUAGES = new Set([
  'python', 'ruby', 'shellscript', 'yaml', 'dockercompose', 'dotenv', 'properties', 'toml', 'perl', 'r', 'powershell',
  'dockerfile', 'makefile', 'ini', 'elixir', 'coffeescript', 'terraform',
]);

/** "Ignore this finding": a `hush:ignore` comment at the end of the line, in the language's comment syntax. */
function ignoreAction(doc: TextDocument, f: Finding, diagnostics: Diagnostic[]): CodeAction {
  const line = doc.positionAt(f.end).line;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const comment = HASH_COMMENT_LANGUAGES.has(doc.languageId) ? '# hush:ignore' : doc.languageId === 'sql' ? '-- hush:ignore' : '// hush:ignore';
  const canComment = doc.languageId !== 'json' && doc.languageId !== 'plaintext';
  return {
    title: canComment ? `Ignore this finding (${comment})` : 'Ignore this finding (hush:ignore)',
    kind: CodeActionKind.QuickFix,
    diagnostics,
    edit: {
      changes: {
        [doc.uri]: [{ range: { start: { line, character: lineText.length }, end: { line, character: lineText.length } }, newText: ` ${comment}` }],
      },
    },
  };
}

export async function move(ctx: MoveContext, p: MoveParams): Promise<MoveResult> {
  const doc = ctx.documents.get(p.uri);
  if (!doc) throw new ResponseError(HUSH_ERROR, 'NotFound: the document is no longer open; open it and run the quick fix again.', { code: 'NotFound' });
  if (doc.version !== p.version) {
    throw new ResponseError(HUSH_ERROR, 'PreconditionFailed: the document changed since the quick fix was offered; run it again.', { code: 'PreconditionFailed' });
  }
  const text = doc.getText();
  let plan;
  try {
    plan = planReplacement({
      languageId: doc.languageId,
      text,
      start: doc.offsetAt(p.range.start),
      end: doc.offsetAt(p.range.end),
      envVar: p.envVar,
      templates: ctx.templates(),
    });
  } catch (e) {
    throw new ResponseError(HUSH_ERROR, `InvalidArgument: ${(e as Error).message}`, { code: 'InvalidArgument' });
  }
  const file = URI.parse(doc.uri);
  const folder = file.scheme === 'file' ? folderOf(file.fsPath, ctx.workspaceFolders()) : ctx.workspaceFolders()[0];

  // 1. Store the value. Only after this write is durable does the code change.
  const stored = await storeValue(ctx, p, text.slice(plan.valueStart, plan.valueEnd), folder ? path.relative(folder, file.fsPath) : undefined);

  // 2. One workspace edit: the literal, the import, the manifest.
  const edit: WorkspaceEdit = {
    documentChanges: [
      TextDocumentEdit.create(
        { uri: doc.uri, version: doc.version },
        plan.edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
      ),
    ],
  };
  let manifestUri: string | undefined;
  if (folder) {
    manifestUri = URI.file(path.join(folder, MANIFEST_FILE)).toString();
    edit.documentChanges!.push(...manifestChanges(ctx, manifestUri, p.envVar, stored.secretName));
  }
  const result = await ctx.connection.workspace.applyEdit({ label: `Move secret to ${stored.secretName}`, edit });
  if (!result.applied) {
    const why = result.failureReason ? ` (${result.failureReason})` : '';
    void ctx.connection.window.showErrorMessage(
      `Hush stored the value as ${stored.secretName} (version ${stored.versionId.slice(0, 8)}), but the editor did not apply the change${why}. ` +
        'The code is unchanged. Run the quick fix again, or delete the new version if you no longer need it.',
    );
  }
  return { ...stored, lookup: plan.lookup, manifestUri, applied: result.applied };
}

async function storeValue(
  ctx: MoveContext,
  p: MoveParams,
  value: string,
  relativeFile: string | undefined,
): Promise<{ secretName: string; versionId: string; created: boolean }> {
  const m = await ctx.secrets.manager().catch((e: unknown) => {
    throw toResponseError(e);
  });
  try {
    const r = await m.createSecret({
      name: p.secretName,
      value,
      ...(p.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}),
      description: p.description ?? (relativeFile ? `Moved from ${relativeFile} by Hush` : 'Moved by Hush'),
    });
    return { secretName: r.name, versionId: r.versionId ?? '', created: true };
  } catch (e) {
    if (!isHushError(e) || e.code !== 'SecretExists') throw toResponseError(e);
  }
  const choice = await ctx.connection.window.showWarningMessage(
    `A secret named ${p.secretName} already exists. Store this value as its new CURRENT version? (The current one becomes PREVIOUS.)`,
    { title: 'Put New Version' },
    { title: 'Cancel' },
  );
  if (choice?.title !== 'Put New Version') {
    throw new ResponseError(HUSH_ERROR, 'Cancelled: nothing was stored and the code is unchanged.', { code: 'Cancelled' });
  }
  try {
    const r = await m.putSecretValue(p.secretName, value);
    return { secretName: r.name, versionId: r.versionId, created: false };
  } catch (e) {
    throw toResponseError(e);
  }
}

/** Creates or updates `.hush.json`, keeping fields it does not know. */
function manifestChanges(ctx: MoveContext, uri: string, envVar: string, secretName: string): (TextDocumentEdit | CreateFile)[] {
  const open = ctx.documents.get(uri);
  const file = URI.parse(uri).fsPath;
  let current: string | undefined = open?.getText();
  if (current === undefined) {
    try {
      current = fs.readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
  }
  let next: string;
  try {
    next = withEntry(current, envVar, { secret: secretName });
  } catch (e) {
    void ctx.connection.window.showWarningMessage(
      `${MANIFEST_FILE} could not be updated: ${(e as Error).message} Add "${envVar}": "${secretName}" to its "env" by hand.`,
    );
    return [];
  }
  if (current === undefined) {
    return [CreateFile.create(uri, { ignoreIfExists: true }), TextDocumentEdit.create({ uri, version: null }, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: next }])];
  }
  const lines = current.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return [TextDocumentEdit.create({ uri, version: open ? open.version : null }, [{ range: { start: { line: 0, character: 0 }, end }, newText: next }])];
}
