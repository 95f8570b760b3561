/**
 * Walks folders for scanning: skips what never holds hand-written secrets
 * (VCS folders, dependencies, build output), binary files and files too
 * large to be source. Used by the CLI and by the server's workspace scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.cache', '.venv', '__pycache__']);
/** Larger files are not source code someone typed a key into; they are reported as skipped. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;

export type FileVerdict =
  | { kind: 'text'; text: string }
  | { kind: 'skipped'; reason: 'binary' | 'too-large' | 'unreadable'; detail?: string };

/** Reads a file as UTF-8 text, or says why it was skipped. A NUL byte in the first 8 000 bytes means binary (git's heuristic). */
export function readTextFile(file: string): FileVerdict {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_FILE_BYTES) return { kind: 'skipped', reason: 'too-large', detail: `${st.size} bytes` };
    buf = fs.readFileSync(file);
  } catch (e) {
    return { kind: 'skipped', reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'skipped', reason: 'binary' };
  return { kind: 'text', text: buf.toString('utf8') };
}

/** Yields every regular file under `root` (or `root` itself if it is a file), in a stable order. */
export function* walkFiles(root: string): Generator<string> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(root);
  } catch {
    return;
  }
  if (st.isFile()) {
    yield root;
    return;
  }
  if (!st.isDirectory()) return; // symlinks, sockets, devices: not followed
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory() && SKIPPED_DIRS.has(e.name)) continue;
    yield* walkFiles(path.join(root, e.name));
  }
}
