/**
 * Walks folders for scanning: skips what never holds hand-written secrets
 * (VCS folders, dependencies, build output), paths in `.hushignore` and
 * `.gitignore`, binary files, files too large to be source, lock files and
 * minified bundles. Reads files as text the way an editor does (UTF-8 or
 * UTF-16, by BOM or by shape; a stray NUL does not make a file binary).
 * Used by the CLI and by the server's workspace scan, so both see the same
 * text the editor shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreSet } from './ignores';

export const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.cache', '.venv', '__pycache__']);
/** Larger files are not source code someone typed a key into; they are reported as skipped. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** How much of a file decides whether it is text (git looks at the same 8 000 bytes). */
const SNIFF_BYTES = 8000;

/** Lock files: generated, full of hashes, never hand-edited. */
const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'Cargo.lock', 'Gemfile.lock',
  'poetry.lock', 'Pipfile.lock', 'composer.lock', 'go.sum', 'flake.lock', 'packages.lock.json', 'mix.lock', 'pubspec.lock',
  'Podfile.lock', 'gradle.lockfile', 'uv.lock', 'pdm.lock', 'deno.lock', 'Package.resolved',
]);

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'lockfile' | 'minified' | 'sourcemap';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export type FileVerdict =
  | { kind: 'text'; text: string; encoding: TextEncoding }
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

/**
 * Bytes to text, as an editor opens them: a BOM names the encoding (UTF-8,
 * UTF-16LE, UTF-16BE; the BOM is not part of the text, as in the editor);
 * without one, text whose every other byte is NUL is UTF-16; anything else
 * is UTF-8. Undefined when the bytes are not text: more than one character
 * in ten of the first 8 000 is a control character no text file holds or a
 * byte sequence that is not UTF-8. So a stray NUL, or a few Latin-1 bytes,
 * leave a file text; images, archives and executables are binary.
 */
export function decodeText(buf: Uint8Array): { text: string; encoding: TextEncoding } | undefined {
  let encoding: TextEncoding = 'utf-8';
  let body = buf;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) body = buf.subarray(3);
  else if (buf[0] === 0xff && buf[1] === 0xfe) [encoding, body] = ['utf-16le', buf.subarray(2)];
  else if (buf[0] === 0xfe && buf[1] === 0xff) [encoding, body] = ['utf-16be', buf.subarray(2)];
  else encoding = utf16ByShape(buf) ?? 'utf-8';
  let text: string;
  if (encoding === 'utf-8') {
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  } else {
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      // Not UTF-16 after all (an odd length, unpaired surrogates): judge the bytes as UTF-8.
      encoding = 'utf-8';
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf);
    }
  }
  return looksBinary(text) ? undefined : { text, encoding };
}

/** UTF-16 without a BOM: in mostly-ASCII text one byte of each pair is NUL, always the same one. */
function utf16ByShape(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length, SNIFF_BYTES) & ~1;
  if (n < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) zeroEven++;
    if (buf[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd >= pairs / 2 && zeroEven <= pairs / 20) return 'utf-16le';
  if (zeroEven >= pairs / 2 && zeroOdd <= pairs / 20) return 'utf-16be';
  return undefined;
}

/** More than one in ten of the first characters are controls text never holds (not tab, line breaks, form feed, ESC) or undecodable bytes. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, SNIFF_BYTES);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1b) || c === 0xfffd) odd++;
  }
  return odd * 10 > n;
}

/** A file's bytes as scannable text, or why not: binary, or (unless included) a lock file or minified bundle. */
export function textOf(file: string, buf: Uint8Array, opts: ReadOptions = {}): FileVerdict {
  const decoded = decodeText(buf);
  if (!decoded) return { kind: 'skipped', reason: 'binary' };
  if (!opts.includeGenerated) {
    const g = generatedKind(file, decoded.text);
    if (g) return { kind: 'skipped', reason: g };
  }
  return { kind: 'text', ...decoded };
}

/** Reads a file as text (see decodeText), or says why it was skipped. */
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
  return textOf(file, buf, opts);
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
