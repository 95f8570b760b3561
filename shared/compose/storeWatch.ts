/**
 * "Tell me when the store changes", for whatever kind of store is open: the
 * language server refreshes its views and fingerprints, `hush run --watch`
 * restarts its child. A team store announces every commit with
 * LISTEN/NOTIFY (any machine's change arrives within a round trip); an
 * embedded store is watched through its folder (file events, plus a slow
 * poll of the log's size and time, because file events can be missed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PgStore } from '../store/postgres/pgStore';
import type { Store } from '../store/store';

export type StopWatching = () => Promise<void>;

export interface WatchHooks {
  onChange(): void;
  /** Team store: the notification connection was lost or came back. */
  onState?(s: 'online' | 'offline', message?: string): void;
  /** Embedded store: how often to poll the log besides file events (default 1000 ms). */
  pollMs?: number;
}

export async function watchStore(opened: { store: Store; path: string }, hooks: WatchHooks): Promise<StopWatching> {
  if (opened.store instanceof PgStore) return opened.store.watch(hooks.onChange, hooks.onState);
  const dir = opened.path;
  const log = path.join(dir, 'store.log');
  const stamp = (): string => {
    try {
      const st = fs.statSync(log);
      return `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      return '';
    }
  };
  let last = stamp();
  const check = (): void => {
    const now = stamp();
    if (now === last) return;
    last = now;
    hooks.onChange();
  };
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, () => check());
  } catch {
    watcher = undefined; // the poll still notices
  }
  const timer = setInterval(check, hooks.pollMs ?? 1000);
  return async () => {
    watcher?.close();
    clearInterval(timer);
  };
}
