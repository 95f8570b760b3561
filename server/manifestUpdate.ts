/**
 * The manifest side of a move: `.hush.json` gains `VARIABLE → secret` for
 * each moved value, keeping every field it has. Two ways to get it there,
 * chosen by what the client says it does (InitOptions.savesManifest):
 *  - in the move's workspace edit, so one undo takes back the code and the
 *    manifest entry together; Hush's own client then saves the file if the
 *    editor left it unsaved (after the move, and after undo/redo), so it is
 *    on disk when the move says done. A missing manifest is first created on
 *    disk holding `{"env": {}}`, and the edit fills it: VS Code cannot undo
 *    an edit that created a file it then saved (observed in code-server
 *    1.139: the undo does nothing, the code keeps the lookup), while an edit
 *    of an existing file undoes cleanly, back to a valid empty manifest;
 *  - written to disk by the server once the editor applied the code edit,
 *    for clients that apply an edit to buffers without saving them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocumentEdit, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { writeFileAtomic } from '../shared/fs/atomicWrite';
import { MANIFEST_FILE, parseManifest, SecretRef, withEntry } from '../shared/move/manifest';
import { currentText } from './fileEdits';

export interface ManifestPlan {
  uri: string;
  file: string;
  /** The text now (the open editor's, else the disk's); undefined when there is no manifest yet. */
  current: string | undefined;
  /** What the manifest maps now ({} when absent or unreadable). */
  env: Readonly<Record<string, SecretRef>>;
  /** Why the manifest cannot be read, if it cannot: the move then leaves it alone and says what to add. */
  problem?: string;
}

/**
 * What the server last made each manifest hold through an editor's workspace
 * edit, until the editor's save of it is seen (a watched-file change) or the
 * editor opens it: a manifest not open in the editor is applied and saved by
 * VS Code after the move returned, and the next move must not read the disk
 * before that save lands (it would drop the first move's entry).
 */
export class AppliedManifests {
  private readonly texts = new Map<string, string>();

  applied(uri: string, text: string): void {
    this.texts.set(uri, text);
  }

  /** These files changed on disk (the editor saved them, or someone edited them): the disk is right again. */
  changedOnDisk(uris: readonly string[]): void {
    for (const uri of uris) this.texts.delete(uri);
  }

  get(uri: string): string | undefined {
    return this.texts.get(uri);
  }
}

export function readManifestPlan(documents: TextDocuments<TextDocument>, folder: string, applied: AppliedManifests): ManifestPlan {
  const file = path.join(folder, MANIFEST_FILE);
  const uri = URI.file(file).toString();
  const current = documents.get(uri)?.getText() ?? applied.get(uri) ?? currentText(documents, uri);
  if (current === undefined || !current.trim()) return { uri, file, current, env: {} };
  try {
    return { uri, file, current, env: parseManifest(current, file).env };
  } catch (e) {
    return { uri, file, current, env: {}, problem: (e as Error).message };
  }
}

/** The manifest text with the entries added; undefined when nothing changes (or it cannot be read). */
export function nextManifest(plan: ManifestPlan, entries: readonly { envVar: string; secretName: string; format?: 'url' }[]): string | undefined {
  if (plan.problem) return undefined;
  let next = plan.current;
  for (const { envVar, secretName, format } of entries) {
    const had = plan.env[envVar];
    if (had && had.secret === secretName && !had.stage && !had.versionId && had.format === format && next !== undefined) continue; // already mapped
    next = withEntry(next, envVar, { secret: secretName, ...(format ? { format } : {}) });
  }
  return next === plan.current ? undefined : next;
}

/** What a new manifest holds before a move's edit fills it (and after that edit is undone). */
export const EMPTY_MANIFEST = '{\n  "env": {}\n}\n';

/**
 * The manifest change as part of a workspace edit. A missing manifest is
 * created on disk first, empty (see above); `created` says so, so a refused
 * edit can take it back.
 */
export function manifestEdits(documents: TextDocuments<TextDocument>, plan: ManifestPlan, next: string): { edits: TextDocumentEdit[]; created: boolean } {
  const created = plan.current === undefined;
  if (created) writeFileAtomic(plan.file, EMPTY_MANIFEST, 0o644);
  const open = documents.get(plan.uri);
  // Open in the editor: its exact text and version (the editor refuses the edit if it changed meanwhile).
  // Not open: the whole document, whatever its length, so a text the server could not see is replaced, never spliced.
  const end = open ? open.positionAt(open.getText().length) : { line: WHOLE_DOCUMENT, character: 0 };
  return { edits: [TextDocumentEdit.create({ uri: plan.uri, version: open?.version ?? null }, [{ range: { start: { line: 0, character: 0 }, end }, newText: next }])], created };
}

/** A line past any manifest's end: editors clamp it to the end of the document (LSP's largest uinteger). */
const WHOLE_DOCUMENT = 2147483647;

/** The manifest change written straight to disk, keeping the file's mode. */
export function writeManifest(plan: ManifestPlan, next: string): void {
  let mode = 0o644;
  try {
    mode = fs.statSync(plan.file).mode & 0o777;
  } catch {
    // a new manifest
  }
  writeFileAtomic(plan.file, next, mode);
}
