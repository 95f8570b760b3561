/**
 * Path ignores for folder scans: `.hushignore` (gitignore syntax, at the
 * scan root) always, and `.gitignore` files (at every level, as git applies
 * them) unless turned off. Matching is done by the `ignore` package, which
 * implements git's rules (negation, anchoring, `**`, directory-only `/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const HUSHIGNORE = '.hushignore';

/** One ignore file's rules, scoped to the folder holding it. */
interface Scope {
  /** Folder of the ignore file, relative to the scan root, with a trailing slash ('' for the root). */
  readonly base: string;
  readonly ig: Ignore;
}

function readRules(file: string): Ignore | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return ignore({ allowRelativePaths: true }).add(text);
}

/** Decides, during a walk, which paths are ignored. */
export class IgnoreSet {
  private readonly scopes: Scope[] = [];

  /**
   * @param root folder the scan starts at
   * @param gitignore honour `.gitignore` files (default true)
   */
  constructor(
    readonly root: string,
    readonly gitignore = true,
  ) {
    const hush = readRules(path.join(root, HUSHIGNORE));
    if (hush) this.scopes.push({ base: '', ig: hush });
  }

  /** Called on entering a folder (relative path, '' for root): picks up its `.gitignore`. Returns a token for `leave`. */
  enter(relDir: string): number {
    const before = this.scopes.length;
    if (this.gitignore) {
      const ig = readRules(path.join(this.root, relDir, '.gitignore'));
      if (ig) this.scopes.push({ base: relDir ? `${relDir}/` : '', ig });
    }
    return before;
  }

  leave(token: number): void {
    this.scopes.length = token;
  }

  /** Is this path (relative to the root, forward slashes) ignored? */
  ignores(relPath: string, isDir: boolean): boolean {
    for (const s of this.scopes) {
      if (!relPath.startsWith(s.base)) continue;
      const sub = relPath.slice(s.base.length);
      if (!sub) continue;
      if (s.ig.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  }
}

/** A `.hushignore` matcher alone, for a single file's path (the language server's open documents). */
export function hushIgnoreFor(root: string): (relPath: string) => boolean {
  const ig = readRules(path.join(root, HUSHIGNORE));
  return ig ? (rel) => rel !== '' && !rel.startsWith('..') && ig.ignores(rel.replace(/\\/g, '/')) : () => false;
}
