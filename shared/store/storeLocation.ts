/**
 * Where the store is when nobody says: HUSH_STORE (a folder, or a team
 * store's postgres:// URL), else the user's data folder.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPostgresUrl } from './postgres/connection';

/** $XDG_DATA_HOME/hush, ~/.local/share/hush; the platform's equivalent elsewhere. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HUSH_STORE && isPostgresUrl(env.HUSH_STORE)) return env.HUSH_STORE.trim();
  if (env.HUSH_STORE) return resolve(env.HUSH_STORE);
  const home = env.HOME || homedir();
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'hush');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'hush');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'hush');
}
