/**
 * Where running `hush serve` instances announce themselves, so the editor
 * can show whether one serves the store it has open (whether the CLI started
 * it in a terminal or the editor did): one small JSON file per server, named
 * by store id and process id, in a folder only this user can read
 * ($XDG_RUNTIME_DIR/hush-serve, else the temp folder's hush-serve-UID).
 * A file whose process is gone is stale and is removed when read. Nothing in
 * it is secret: the store id, the URL, the process id and the start time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ServeAnnouncement {
  storeId: string;
  url: string;
  pid: number;
  startedAt: string;
}

export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'hush-serve');
  return path.join(os.tmpdir(), `hush-serve-${process.getuid?.() ?? os.userInfo().username}`);
}

/** The folder, if it is ours and private (a folder someone else made in /tmp is not trusted). */
function privateDir(dir: string, create: boolean): boolean {
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (process.getuid && st.uid !== process.getuid()) return false;
    return (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Announces a running server; returns the function that withdraws the announcement (call it on stop). */
export function announce(a: ServeAnnouncement, env: NodeJS.ProcessEnv = process.env): () => void {
  const dir = registryDir(env);
  if (!privateDir(dir, true)) return () => undefined; // no private folder: the server runs unannounced
  const file = path.join(dir, `${a.storeId}.${a.pid}.json`);
  try {
    fs.writeFileSync(file, JSON.stringify(a), { mode: 0o600 });
  } catch {
    return () => undefined;
  }
  return () => fs.rmSync(file, { force: true });
}

/** The live servers of a store, newest first; stale announcements are removed. */
export function runningFor(storeId: string, env: NodeJS.ProcessEnv = process.env): ServeAnnouncement[] {
  const dir = registryDir(env);
  if (!privateDir(dir, false)) return [];
  const out: ServeAnnouncement[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(`${storeId}.`) || !f.endsWith('.json')) continue;
    try {
      const a = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ServeAnnouncement;
      if (a.storeId !== storeId || !Number.isInteger(a.pid) || typeof a.url !== 'string') continue;
      if (alive(a.pid)) out.push(a);
      else fs.rmSync(path.join(dir, f), { force: true });
    } catch {
      continue; // being written, or not ours to read
    }
  }
  return out.sort((x, y) => y.startedAt.localeCompare(x.startedAt));
}
