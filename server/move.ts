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
  Diagnostic,
  ResponseError,
  TextDocumentEdit,
  TextDocuments,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Finding } from '../shared/detect/finding';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { isHushError } from '../shared/errors';
import { MANIFEST_FILE } from '../shared/move/manifest';
import { connectionUrlAround, DB_URL_RULES, dbSecretFromUrl } from '../shared/move/dbSecret';
import { planReplacement, TextEdit } from '../shared/move/replacement';
import { languageIdOf } from '../shared/move/languages';
import { readTextFile, walkFiles } from '../shared/detect/files';
import type { MoveCommandArgs, MoveParams, MoveResult, Range } from '../shared/protocol';
import { HUSH_ERROR, SecretsService, toResponseError } from './secretsService';
import { AppliedManifests, manifestEdits, nextManifest, readManifestPlan, writeManifest } from './manifestUpdate';
import { chooseTarget, currentVersion, holdsValue, MoveTarget, TargetContext } from './moveTarget';

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
  /** Workspace Trust: in Restricted Mode a move stores nothing. */
  trusted(): boolean;
  /** The client saves the manifest after the move's edit (InitOptions.savesManifest); else the server writes it. */
  savesManifest(): boolean;
  /** Which stored secret, if any, holds this literal as its CURRENT value. */
  holderOf(m: SecretsManager, value: string): Promise<string | undefined>;
  /** Manifest texts applied through the editor and not yet seen saved. */
  appliedManifests: AppliedManifests;
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
    // A literal equal to a stored secret becomes a lookup of that secret; nothing is stored again.
    const known = f.ruleId === 'known-secret' ? f.suggestedSecretName : undefined;
    const args: MoveCommandArgs = {
      uri: doc.uri,
      version: doc.version,
      range,
      ruleId: f.ruleId,
      masked: f.masked,
      envVar: f.suggestedEnvVar,
      secretName: known ?? defaultSecretName(f.suggestedEnvVar, folder),
      ask: false,
    };
    const move: CodeAction[] = known
      ? [
          {
            title: `Replace with a lookup of the stored secret ${known}`,
            kind: CodeActionKind.QuickFix,
            isPreferred: true,
            diagnostics,
            command: { title: 'Replace with a lookup', command: 'hush.moveToSecretsManager', arguments: [args] },
          },
        ]
      : [
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
        ];
    actions.push(...move, ...ctx.ignoreActions(doc, f, diagnostics));
    if (!known && DB_URL_RULES.has(f.ruleId) && connectionUrlAround(doc.getText(), f.start, f.end)) {
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
        arguments: [
          {
            uri: doc.uri,
            version: doc.version,
            names: findings.map((f) => (f.ruleId === 'known-secret' ? `${f.masked} → a lookup of ${f.suggestedSecretName}` : `${f.masked} → ${defaultSecretName(f.suggestedEnvVar, folder)}`)),
          },
        ],
      },
    });
  }
  return actions;
}

/**
 * Moves run one at a time: two quick fixes fired back to back would
 * otherwise both read the manifest before either edit landed, and both
 * choose the same free name.
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(f: () => Promise<T>): Promise<T> {
  const run = queue.then(f, f);
  queue = run.catch(() => undefined);
  return run;
}

export async function move(ctx: MoveContext, p: MoveParams): Promise<MoveResult> {
  const [r] = await oneAtATime(() => moveMany(ctx, p.uri, p.version, [p], `Move secret to ${p.secretName}`));
  return r;
}

/** "Move all findings in this file": every finding with its default name, in one edit. */
export function moveAll(ctx: MoveContext, p: { uri: string; version: number }): Promise<MoveResult[]> {
  return oneAtATime(() => moveAllNow(ctx, p));
}

async function moveAllNow(ctx: MoveContext, p: { uri: string; version: number }): Promise<MoveResult[]> {
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
    // Names the store or the manifest already use for another value get the next free `…_N`: no question mid-way.
    byValue.set(value, { uri: doc.uri, version: doc.version, range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }, envVar, secretName: defaultSecretName(envVar, folder), onExisting: 'unique' });
  }
  if (byValue.size === 0) return [];
  return moveMany(ctx, doc.uri, doc.version, [...byValue.values()], `Move ${byValue.size} secrets to the Secrets Manager`);
}

function openAt(ctx: MoveContext, uri: string, version: number): TextDocument {
  const doc = ctx.documents.get(uri);
  if (!doc) throw new ResponseError(HUSH_ERROR, 'NotFound: the language server does not have this document open (closed, or the server has just restarted); run the quick fix again.', { code: 'NotFound' });
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
 * Stores each value (durably, one secret or version each; a value already
 * stored is reused, see server/moveTarget.ts), then applies one workspace
 * edit: every literal, every other occurrence of the same value in the file,
 * the imports (once), and the manifest (server/manifestUpdate.ts). One undo
 * reverts the code and the manifest entry together.
 */
async function moveMany(ctx: MoveContext, uri: string, version: number, items: MoveParams[], label: string): Promise<MoveResult[]> {
  if (!ctx.trusted()) {
    throw new ResponseError(
      HUSH_ERROR,
      'UntrustedWorkspace: in Restricted Mode Hush only detects credentials. Trust this workspace to move secrets into your store; nothing was stored.',
      { code: 'UntrustedWorkspace' },
    );
  }
  const doc = openAt(ctx, uri, version);
  const text = doc.getText();
  const findings = ctx.findingsOf(doc.uri) ?? [];
  /** The replacements of one value (and its repeats in this file) by a lookup of `envVar`. */
  const replacements = (p: MoveParams, envVar: string) => {
    const start = doc.offsetAt(p.range.start);
    const end = doc.offsetAt(p.range.end);
    const value = text.slice(start, end);
    // Other findings with the same value in this file are read from the same variable.
    // A connection URL moved as database credentials: the whole URL is the span, and only it.
    const url = p.dbJson ? connectionUrlAround(text, start, end) : undefined;
    const spans = url ? [url] : [{ start, end }, ...findings.filter((f) => f.start !== start && text.slice(f.start, f.end) === value)];
    try {
      return spans.map((s) => planReplacement({ languageId: doc.languageId, text, start: s.start, end: s.end, envVar, templates: ctx.templates() }));
    } catch (e) {
      throw new ResponseError(HUSH_ERROR, `InvalidArgument: ${(e as Error).message}`, { code: 'InvalidArgument' });
    }
  };
  const valued = items.map((p) => {
    const [first] = replacements(p, p.envVar);
    return { p, value: text.slice(first.valueStart, first.valueEnd) };
  });
  const folder = folderOfDoc(ctx, doc);
  const relative = folder && URI.parse(doc.uri).scheme === 'file' ? path.relative(folder, URI.parse(doc.uri).fsPath) : undefined;
  const m = await ctx.secrets.manager().catch((e: unknown) => {
    throw toResponseError(e);
  });
  const manifest = folder ? readManifestPlan(ctx.documents, folder, ctx.appliedManifests) : undefined;

  // 1. Where each value goes. A conflict stops the move here, before anything is stored.
  const targetContext: TargetContext = { manager: m, manifest: manifest?.env ?? {}, holderOf: (v) => ctx.holderOf(m, v), reserved: { names: new Set(), vars: new Set() } };
  const targets: MoveTarget[] = [];
  for (const x of valued) targets.push(await chooseTarget(targetContext, x.p, x.value));
  const planned = valued.map((x, i) => ({ ...x, target: targets[i], plans: replacements(x.p, targets[i].envVar) }));
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
        fileEdits = mergeEdits(spans.flatMap((sp) => planReplacement({ languageId: file.languageId, text: file.text, start: sp.start, end: sp.end, envVar: x.target.envVar, templates: ctx.templates() }).edits));
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

  // 2. Store the values. Only after these writes are durable does the code change.
  const stored: { secretName: string; versionId: string; created: boolean; reused: boolean }[] = [];
  for (const x of planned) stored.push(await storeValue(m, x.p, x.p.dbJson ? dbSecretFromUrl(x.value) : x.value, x.target, relative));

  // 3. One workspace edit: the literals, the imports, and (when the client saves it) the manifest.
  const edit: WorkspaceEdit = {
    documentChanges: [
      TextDocumentEdit.create(
        { uri: doc.uri, version: doc.version },
        edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
      ),
      ...elsewhere,
    ],
  };
  const entries = planned.map((x, i) => ({ envVar: x.target.envVar, secretName: stored[i].secretName, ...(x.p.dbJson ? { format: 'url' as const } : {}) }));
  const next = manifest ? nextManifest(manifest, entries) : undefined;
  if (manifest?.problem) {
    const wanted = entries.map((e) => `"${e.envVar}": "${e.secretName}"`).join(', ');
    void ctx.connection.window.showWarningMessage(`${MANIFEST_FILE} could not be updated: ${manifest.problem} Add ${wanted} to its "env" by hand.`);
  }
  let createdManifest = false;
  if (manifest && next !== undefined && ctx.savesManifest()) {
    const m = manifestEdits(ctx.documents, manifest, next);
    edit.documentChanges!.push(...m.edits);
    createdManifest = m.created;
  }
  const result = await ctx.connection.workspace.applyEdit({ label, edit });
  if (!result.applied && createdManifest) fs.rmSync(manifest!.file, { force: true }); // the empty manifest made for this edit
  if (result.applied && manifest && next !== undefined && ctx.savesManifest()) ctx.appliedManifests.applied(manifest.uri, next);
  if (!result.applied) {
    const why = result.failureReason ? ` (${result.failureReason})` : '';
    const what = stored.map((s) => (s.reused ? `${s.secretName} (already stored, nothing new)` : `${s.secretName} (version ${s.versionId.slice(0, 8)})`)).join(', ');
    void ctx.connection.window.showErrorMessage(
      `Hush stored ${what}, but the editor did not apply the change${why}. ` +
        'The code is unchanged. Run the quick fix again, or delete the new version if you no longer need it.',
    );
  } else if (manifest && next !== undefined && !ctx.savesManifest()) {
    try {
      writeManifest(manifest, next);
    } catch (e) {
      void ctx.connection.window.showErrorMessage(`Hush changed the code, but could not write ${manifest.file}: ${(e as Error).message}. Add ${entries.map((x) => `"${x.envVar}": "${x.secretName}"`).join(', ')} to its "env".`);
    }
  }
  return planned.map((x, i) => ({
    ...stored[i],
    envVar: x.target.envVar,
    lookup: x.plans[0].lookup,
    occurrences: x.plans.length + elsewhere.reduce((n, e) => n + e.edits.filter((ed) => ed.newText.includes(x.target.envVar)).length, 0),
    ...(manifest ? { manifestUri: manifest.uri } : {}),
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

/** Writes the value where its target says: a new secret, a new version, or nothing (already stored). */
async function storeValue(
  m: SecretsManager,
  p: MoveParams,
  value: string,
  target: MoveTarget,
  relativeFile: string | undefined,
): Promise<{ secretName: string; versionId: string; created: boolean; reused: boolean }> {
  try {
    switch (target.kind) {
      case 'reuse':
        return { secretName: target.secretName, versionId: target.versionId, created: false, reused: true };
      case 'newVersion': {
        const r = await m.putSecretValue(target.secretName, value);
        return { secretName: r.name, versionId: r.versionId, created: false, reused: false };
      }
      case 'create': {
        const r = await m.createSecret({
          name: target.secretName,
          value,
          ...(p.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}),
          description: p.description ?? (relativeFile ? `Moved from ${relativeFile} by Hush` : 'Moved by Hush'),
        });
        return { secretName: r.name, versionId: r.versionId ?? '', created: true, reused: false };
      }
    }
  } catch (e) {
    // Created by another move between the check and now: the same value is the same secret.
    if (isHushError(e) && e.code === 'SecretExists' && (await holdsValue(m, target.secretName, value))) {
      return { secretName: target.secretName, versionId: await currentVersion(m, target.secretName), created: false, reused: true };
    }
    throw toResponseError(e);
  }
}
