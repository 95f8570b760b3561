/**
 * Walks folders for scanning: skips what never holds hand-written secrets
 * (VCS folders, dependencies, build output), paths in `.hushignore` and
 * `.gitignore`, binary files, files too large to be source, lock files and
 * minified bundles. Used by the CLI and by the server's workspace scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreSet } from './ignores';

export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.cache', '.venv', '__pycache__']);
/** Larger files are not source code someone typed a key into; they are reported as skipped. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;

/** Lock files: generated, full of hashes, never hand-edited. */
const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'Cargo.lock', 'Gemfile.lock',
  'poetry.lock', 'Pipfile.lock', 'composer.lock', 'go.sum', 'flake.lock', 'packages.lock.json', 'mix.lock', 'pubspec.lock',
  'Podfile.lock', 'gradle.lockfile', 'uv.lock', 'pdm.lock', 'deno.lock', 'Package.resolved',
]);

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'lockfile' | 'minified' | 'sourcemap';

export type FileVerdict =
  | { kind: 'text'; text: string }
  | { kind: 'skipped'; reason: SkipReason; detail?: string };

export interface ReadOptions {
  /** Scan lock files and minified bundles too (default false: they are skipped). */
  readonly includeGenerated?: boolean;
}

/** Is this a lock file or a minified bundle? Judged by name, then by shape (long lines, few of them). */
export function generatedKind(file: string, text?: string): 'lockfile' | 'minified' | 'sourcemap' | undefined {
  const base = path.basename(file);
  if (LOCK_FILES.has(base)) return 'lockfile';
  if (/\.(?:js|mjs|cjs|css)\.map$/.test(base)) return 'sourcemap';
  if (/\.min\.(?:js|mjs|cjs|css)$|[.-]bundle\.js$|\.chunk\.js$/.test(base)) return 'minified';
  if (text !== undefined && /\.(?:m?js|cjs|css)$/.test(base) && text.length > 2000) {
    // Minified: most of the text sits on lines longer than 1 000 characters.
    let long = 0;
    let start = 0;
    const n = Math.min(text.length, 64 * 1024);
    while (start < n) {
      let end = text.indexOf('\n', start);
      if (end === -1 || end > n) end = n;
      if (end - start > 1000) long += end - start;
      start = end + 1;
    }
    if (long / n > 0.8) return 'minified';
  }
  return undefined;
}

/** Reads a file as UTF-8 text, or says why it was skipped. A NUL byte in the first 8 000 bytes means binary (git's heuristic). */
export function readTextFile(file: string, opts: ReadOptions = {}): FileVerdict {
  const byName = opts.includeGenerated ? undefined : generatedKind(file);
  if (byName) return { kind: 'skipped', reason: byName };
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_FILE_BYTES) return { kind: 'skipped', reason: 'too-large', detail: `${st.size} bytes` };
    buf = fs.readFileSync(file);
  } catch (e) {
    return { kind: 'skipped', reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'skipped', reason: 'binary' };
  const text = buf.toString('utf8');
  if (!opts.includeGenerated) {
    const g = generatedKind(file, text);
    if (g) return { kind: 'skipped', reason: g };
  }
  return { kind: 'text', text };
}

export interface WalkOptions {
  /** Honour `.gitignore` files (default true). `.hushignore` is always honoured. */
  readonly gitignore?: boolean;
}

/** Yields every regular file under `root` (or `root` itself if it is a file), in a stable order, minus ignored paths. */
export function* walkFiles(root: string, opts: WalkOptions = {}): Generator<string> {
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
  const ignores = new IgnoreSet(root, opts.gitignore !== false);
  yield* walkDir(root, '', ignores);
}

function* walkDir(root: string, rel: string, ignores: IgnoreSet): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  const token = ignores.enter(rel);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (SKIPPED_DIRS.has(e.name) || ignores.ignores(childRel, true)) continue;
      yield* walkDir(root, childRel, ignores);
    } else if (e.isFile()) {
      if (ignores.ignores(childRel, false)) continue;
      yield path.join(root, childRel);
    }
  }
  ignores.leave(token);
}
