/**
 * A cross-process lock on a store: a lock file created with O_EXCL ('wx')
 * holding "pid host time nonce boot". A holder killed with SIGKILL leaves the
 * file behind; a waiter that finds the holder's pid dead on this host, or the
 * lock taken before this host's last boot (a power loss: the pid may belong
 * to another process by now), removes it.
 * Breaking a stale lock is itself serialized by a second O_EXCL file, so two
 * waiters can never both "break" the lock and delete a fresh one.
 *
 * Node has no flock/fcntl; this is the portable way that needs no native module.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { HushError } from '../errors';

const HOST = hostname();
/** Changes at every boot (Linux); '' elsewhere, where only the pid is checked. */
const BOOT = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
})();
/** A lock or break file with no readable owner this old is abandoned. */
const ORPHAN_MS = 2_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function isStale(owner: string, path: string): boolean {
  const [pid, host, , , boot] = owner.split(' ');
  if (!pid || host === undefined) return ageMs(path) > ORPHAN_MS; // killed between create and write
  if (host !== HOST) return false; // cannot tell; never break another machine's lock
  if (boot && BOOT && boot !== BOOT) return true; // taken before this boot
  return !alive(Number(pid));
}

function tryBreak(path: string, staleOwner: string): void {
  const brk = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(brk, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && ageMs(brk) > ORPHAN_MS) {
      try {
        unlinkSync(brk);
      } catch {
        /* someone else did */
      }
    }
    return;
  }
  try {
    // Only remove the lock if it is still the very file we judged stale.
    if (readOwner(path) === staleOwner) unlinkSync(path);
  } catch {
    /* gone already */
  } finally {
    closeSync(fd);
    try {
      unlinkSync(brk);
    } catch {
      /* ignore */
    }
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits for the lock; returns its release function. */
export async function acquireLock(path: string, timeoutMs = 30_000): Promise<() => void> {
  const me = `${process.pid} ${HOST} ${Date.now()} ${randomBytes(6).toString('hex')} ${BOOT}`.trimEnd();
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if (readOwner(path) === me) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new HushError('Internal', `cannot create the store lock ${path}: ${(e as Error).message}`);
      }
    }
    const owner = readOwner(path);
    if (owner !== undefined && isStale(owner, path)) {
      tryBreak(path, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new HushError('StoreLocked', `the store is locked by another process (${owner ?? 'unknown'}); if none is running, remove ${path}`);
    }
    await sleep(wait * (0.5 + Math.random()));
    wait = Math.min(wait * 2, 16);
  }
}
