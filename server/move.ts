/**
 * The main flow: quick fixes on a finding, and `hush/move`, which stores the
 * value as a secret version and only then replaces the literal, with the
 * manifest update, as one workspace edit (one undo).
 */
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
import { connectionUrlAround, DB_URL_RULES, dbSecretFromUrl } from '../shared/move/dbSecret';
import { planReplacement, TextEdit } from '../shared/move/replacement';
import { languageIdOf } from '../shared/move/languages';
import { readTextFile, walkFiles } from '../shared/detect/files';
import type { MoveCommandArgs, MoveParams, MoveResult, Range } from '../shared/protocol';
import { HUSH_ERROR, SecretsService, toResponseError } from './secretsService';
import { currentText, replaceFileEdits } from './fileEdits';

export interface MoveContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  secrets: SecretsService;
  /** Findings of an open document at its current version. */
  findingsOf(uri: string): Finding[] | undefined;
  workspaceFolders(): string[];
  templates(): Record<string, string>;
  /** "Ignore …" and "Add to baseline" quick fixes for a finding (server/ignoreActions.ts). */
  ignoreActions(doc: TextDocument, f: Finding, diagnostics: Diagnostic[]): CodeAction[];
  /** The findings in any text, with the folder's rules (for occurrences in other files). */
  detect(uri: string, text: string): Finding[];
}

interface OtherFile {
  uri: string;
  text: string;
  /** The open editor's version; null for a file on disk. */
  version: number | null;
  languageId: string;
}

/** Every other file of the workspace (open editors first, then the disk) whose findings include `value`. */
function otherFilesWith(ctx: MoveContext, exceptUri: string, value: string): { file: OtherFile; spans: { start: number; end: number }[] }[] {
  const out: { file: OtherFile; spans: { start: number; end: number }[] }[] = [];
  const seen = new Set([exceptUri]);
  const consider = (file: OtherFile): void => {
    seen.add(file.uri);
    if (!file.text.includes(value)) return; // cheap filter before the detector
    const spans = ctx.detect(file.uri, file.text).filter((f) => file.text.slice(f.start, f.end) === value);
    if (spans.length) out.push({ file, spans });
  };
  for (const d of ctx.documents.all()) if (!seen.has(d.uri)) consider({ uri: d.uri, text: d.getText(), version: d.version, languageId: d.languageId });
  for (const folder of ctx.workspaceFolders()) {
    for (const f of walkFiles(folder)) {
      const uri = URI.file(f).toString();
      if (seen.has(uri)) continue;
      const read = readTextFile(f);
      if (read.kind === 'text') consider({ uri, text: read.text, version: null, languageId: languageIdOf(f) });
    }
  }
  return out;
}

/** `hush/occurrences`: where else the value at this range sits, for the user to see before moving. */
export function occurrences(ctx: MoveContext, p: { uri: string; version: number; range: Range }): { uri: string; line: number }[] {
  const doc = openAt(ctx, p.uri, p.version);
  const value = doc.getText(p.range);
  return otherFilesWith(ctx, doc.uri, value).flatMap(({ file, spans }) => {
    const td = TextDocument.create(file.uri, file.languageId, 0, file.text);
    return spans.map((s) => ({ uri: file.uri, line: td.positionAt(s.start).line }));
  });
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
      ...ctx.ignoreActions(doc, f, diagnostics),
    );
    if (DB_URL_RULES.has(f.ruleId) && connectionUrlAround(doc.getText(), f.start, f.end)) {
      actions.push({
        title: `Move the connection URL to Secrets Manager as database credentials (JSON, rotatable) ${args.secretName}`,
        kind: CodeActionKind.QuickFix,
        diagnostics,
        command: { title: 'Move as database credentials', command: 'hush.moveToSecretsManager', arguments: [{ ...args, dbJson: true }] },
      });
    }
  }
  const distinct = new Set(findings.map((f) => doc.getText().slice(f.start, f.end))).size;
  if (actions.length > 0 && distinct > 1) {
    actions.push({
      title: `Move all ${distinct} secrets in this file to Secrets Manager`,
      kind: CodeActionKind.QuickFix,
      command: {
        title: 'Move all secrets in this file',
        command: 'hush.moveAllInFile',
        arguments: [{ uri: doc.uri, version: doc.version, names: findings.map((f) => `${f.masked} → ${defaultSecretName(f.suggestedEnvVar, folder)}`) }],
      },
    });
  }
  return actions;
}

export async function move(ctx: MoveContext, p: MoveParams): Promise<MoveResult> {
  const [r] = await moveMany(ctx, p.uri, p.version, [p], `Move secret to ${p.secretName}`);
  return r;
}

/** "Move all findings in this file": every finding with its default name, in one edit. */
export async function moveAll(ctx: MoveContext, p: { uri: string; version: number }): Promise<MoveResult[]> {
  const doc = openAt(ctx, p.uri, p.version);
  const findings = ctx.findingsOf(doc.uri) ?? [];
  const folder = folderOfDoc(ctx, doc);
  const text = doc.getText();
  const byValue = new Map<string, MoveParams>();
  const usedVars = new Set<string>();
  for (const f of findings) {
    const value = text.slice(f.start, f.end);
    if (byValue.has(value)) continue; // the same value again: moved with the first (see moveMany)
    let envVar = f.suggestedEnvVar;
    for (let n = 2; usedVars.has(envVar); n++) envVar = `${f.suggestedEnvVar}_${n}`;
    usedVars.add(envVar);
    byValue.set(value, { uri: doc.uri, version: doc.version, range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }, envVar, secretName: defaultSecretName(envVar, folder) });
  }
  if (byValue.size === 0) return [];
  return moveMany(ctx, doc.uri, doc.version, [...byValue.values()], `Move ${byValue.size} secrets to the Secrets Manager`);
}

function openAt(ctx: MoveContext, uri: string, version: number): TextDocument {
  const doc = ctx.documents.get(uri);
  if (!doc) throw new ResponseError(HUSH_ERROR, 'NotFound: the document is no longer open; open it and run the quick fix again.', { code: 'NotFound' });
  if (doc.version !== version) {
    throw new ResponseError(HUSH_ERROR, 'PreconditionFailed: the document changed since the quick fix was offered; run it again.', { code: 'PreconditionFailed' });
  }
  return doc;
}

function folderOfDoc(ctx: MoveContext, doc: TextDocument): string | undefined {
  const file = URI.parse(doc.uri);
  return file.scheme === 'file' ? folderOf(file.fsPath, ctx.workspaceFolders()) : ctx.workspaceFolders()[0];
}

/**
 * Stores each value (durably, one secret or version each), then applies one
 * workspace edit: every literal, every other occurrence of the same value in
 * the file, the imports (once), and the manifest. One undo reverts the code.
 */
async function moveMany(ctx: MoveContext, uri: string, version: number, items: MoveParams[], label: string): Promise<MoveResult[]> {
  const doc = openAt(ctx, uri, version);
  const text = doc.getText();
  const findings = ctx.findingsOf(doc.uri) ?? [];
  const planned = items.map((p) => {
    const start = doc.offsetAt(p.range.start);
    const end = doc.offsetAt(p.range.end);
    const value = text.slice(start, end);
    // Other findings with the same value in this file are read from the same variable.
    // A connection URL moved as database credentials: the whole URL is the span, and only it.
    const url = p.dbJson ? connectionUrlAround(text, start, end) : undefined;
    const spans = url ? [url] : [{ start, end }, ...findings.filter((f) => f.start !== start && text.slice(f.start, f.end) === value)];
    try {
      const plans = spans.map((s) => planReplacement({ languageId: doc.languageId, text, start: s.start, end: s.end, envVar: p.envVar, templates: ctx.templates() }));
      return { p, plans, value: text.slice(plans[0].valueStart, plans[0].valueEnd) };
    } catch (e) {
      throw new ResponseError(HUSH_ERROR, `InvalidArgument: ${(e as Error).message}`, { code: 'InvalidArgument' });
    }
  });
  const edits = mergeEdits(planned.flatMap((x) => x.plans.flatMap((pl) => pl.edits)));
  // "Replace everywhere": the same value in other files reads the same variable, in the same edit.
  const elsewhere: TextDocumentEdit[] = [];
  for (const x of planned) {
    if (!x.p.alsoIn?.length || x.p.dbJson) continue;
    const wanted = new Set(x.p.alsoIn);
    for (const { file, spans } of otherFilesWith(ctx, doc.uri, text.slice(doc.offsetAt(x.p.range.start), doc.offsetAt(x.p.range.end)))) {
      if (!wanted.has(file.uri)) continue;
      const td = TextDocument.create(file.uri, file.languageId, 0, file.text);
      let fileEdits: TextEdit[];
      try {
        fileEdits = mergeEdits(spans.flatMap((sp) => planReplacement({ languageId: file.languageId, text: file.text, start: sp.start, end: sp.end, envVar: x.p.envVar, templates: ctx.templates() }).edits));
      } catch {
        continue; // a span this language cannot rewrite safely stays as it is (it is still reported)
      }
      elsewhere.push(
        TextDocumentEdit.create(
          { uri: file.uri, version: file.version },
          fileEdits.map((e) => ({ range: { start: td.positionAt(e.start), end: td.positionAt(e.end) }, newText: e.newText })),
        ),
      );
    }
  }
  const folder = folderOfDoc(ctx, doc);
  const relative = folder && URI.parse(doc.uri).scheme === 'file' ? path.relative(folder, URI.parse(doc.uri).fsPath) : undefined;

  // 1. Store the values. Only after these writes are durable does the code change.
  const stored: { secretName: string; versionId: string; created: boolean }[] = [];
  for (const x of planned) stored.push(await storeValue(ctx, x.p, x.p.dbJson ? dbSecretFromUrl(x.value) : x.value, relative));

  // 2. One workspace edit: the literals, the imports, the manifest.
  const edit: WorkspaceEdit = {
    documentChanges: [
      TextDocumentEdit.create(
        { uri: doc.uri, version: doc.version },
        edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
      ),
      ...elsewhere,
    ],
  };
  let manifestUri: string | undefined;
  if (folder) {
    manifestUri = URI.file(path.join(folder, MANIFEST_FILE)).toString();
    edit.documentChanges!.push(...manifestChanges(ctx, manifestUri, planned.map((x, i) => [x.p.envVar, stored[i].secretName, x.p.dbJson] as const)));
  }
  const result = await ctx.connection.workspace.applyEdit({ label, edit });
  if (!result.applied) {
    const why = result.failureReason ? ` (${result.failureReason})` : '';
    void ctx.connection.window.showErrorMessage(
      `Hush stored ${stored.map((s) => `${s.secretName} (version ${s.versionId.slice(0, 8)})`).join(', ')}, but the editor did not apply the change${why}. ` +
        'The code is unchanged. Run the quick fix again, or delete the new version if you no longer need it.',
    );
  }
  return planned.map((x, i) => ({
    ...stored[i],
    lookup: x.plans[0].lookup,
    occurrences: x.plans.length + elsewhere.reduce((n, e) => n + e.edits.filter((ed) => ed.newText.includes(x.p.envVar)).length, 0),
    ...(manifestUri ? { manifestUri } : {}),
    applied: result.applied,
  }));
}

/** Sorted, without duplicates (the same import asked by several plans); overlapping edits are refused. */
export function mergeEdits(all: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  const out: TextEdit[] = [];
  for (const e of [...all].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const key = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const last = out[out.length - 1];
    if (last && e.start < last.end) {
      throw new ResponseError(HUSH_ERROR, 'InvalidArgument: two findings overlap in the same literal; move them one at a time.', { code: 'InvalidArgument' });
    }
    out.push(e);
  }
  return out;
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
function manifestChanges(ctx: MoveContext, uri: string, entries: readonly (readonly [string, string, boolean?])[]): (TextDocumentEdit | CreateFile)[] {
  const current = currentText(ctx.documents, uri);
  let next: string | undefined = current;
  try {
    for (const [envVar, secretName, dbJson] of entries) next = withEntry(next, envVar, { secret: secretName, ...(dbJson ? { format: 'url' as const } : {}) });
  } catch (e) {
    const wanted = entries.map(([v, n]) => `"${v}": "${n}"`).join(', ');
    void ctx.connection.window.showWarningMessage(`${MANIFEST_FILE} could not be updated: ${(e as Error).message} Add ${wanted} to its "env" by hand.`);
    return [];
  }
  return next === undefined ? [] : replaceFileEdits(ctx.documents, uri, current, next);
}
