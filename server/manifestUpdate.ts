/**
 * The manifest side of a move: `.hush.json` gains `VARIABLE → secret` for
 * each moved value, keeping every field it has. Two ways to get it there,
 * chosen by what the client says it does (InitOptions.savesManifest):
 *  - in the move's workspace edit, so one undo takes back the code and the
 *    manifest together; Hush's own client then saves the file (after the
 *    move, and after undo/redo), so it is on disk when the move says done;
 *  - written to disk by the server once the editor applied the code edit,
 *    for clients that apply an edit to buffers without saving them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateFile, TextDocumentEdit, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { writeFileAtomic } from '../shared/fs/atomicWrite';
import { MANIFEST_FILE, parseManifest, SecretRef, withEntry } from '../shared/move/manifest';
import { currentText, replaceFileEdits } from './fileEdits';

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

export function readManifestPlan(documents: TextDocuments<TextDocument>, folder: string): ManifestPlan {
  const file = path.join(folder, MANIFEST_FILE);
  const uri = URI.file(file).toString();
  const current = currentText(documents, uri);
  if (current === undefined || !current.trim()) return { uri, file, current, env: {} };
  try {
    return { uri, file, current, env: parseManifest(current, file).env };
  } catch (e) {
    return { uri, file, current, env: {}, problem: (e as Error).message };
  }
}

/** The manifest text with the entries added; undefined when nothing changes (or it cannot be read). */
export function nextManifest(plan: ManifestPlan, entries: readonly { envVar: string; secretName: string }[]): string | undefined {
  if (plan.problem) return undefined;
  let next = plan.current;
  for (const { envVar, secretName } of entries) {
    const had = plan.env[envVar];
    if (had && had.secret === secretName && !had.stage && !had.versionId && next !== undefined) continue; // already mapped
    next = withEntry(next, envVar, { secret: secretName });
  }
  return next === plan.current ? undefined : next;
}

/** The manifest change as part of a workspace edit (created when missing). */
export function manifestEdits(documents: TextDocuments<TextDocument>, plan: ManifestPlan, next: string): (TextDocumentEdit | CreateFile)[] {
  return replaceFileEdits(documents, plan.uri, plan.current, next);
}

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
