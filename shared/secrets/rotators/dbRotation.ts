/**
 * The built-in database rotators' steps, for both strategies AWS Secrets
 * Manager's templates offer, over any engine (dbEngine.ts):
 *
 * single       one user. setSecret changes its password, logged in as the
 *              user itself (or as the admin secret when one is given);
 *              between setSecret and finishSecret the old password no
 *              longer works, so apps reading CURRENT fail briefly: the
 *              price of one user. If testSecret fails, the password is set
 *              back to CURRENT's (best effort) so CURRENT keeps working.
 * alternating  two users, `app` and `app_clone`. The admin creates the clone
 *              with the same grants on the first rotation; each rotation
 *              changes the password of the user CURRENT does not use and
 *              flips to it, so connections with the previous credentials
 *              keep working until the next rotation.
 *
 * Every step is idempotent, as AWS requires of rotation functions: setSecret
 * first tries the PENDING credentials and does nothing if they already log
 * in, so a rerun after a failure picks up where the failed step left off.
 * Errors carry the database's message with every known password removed.
 */
import { HushError } from '../../errors';
import { redact } from '../redact';
import type { DbCredentials } from './dbCredentials';
import type { RotationStrategy, RotatorName } from './choices';
import type { DbEngine } from './dbEngine';

export { ROTATORS, STRATEGIES, STRATEGY_SUMMARY } from './choices';
export type { RotationStrategy, RotatorName } from './choices';

/** Loads the engine's module (and its driver) only when a rotation needs it. */
export async function engineFor(r: RotatorName): Promise<DbEngine> {
  return r === 'postgres' ? (await import('./postgres')).postgres : (await import('./mysql')).mysqlEngine;
}

/** The rotator that handles an engine named in a secret. */
export function rotatorOfEngine(engine: DbCredentials['engine']): RotatorName {
  return engine === 'postgres' ? 'postgres' : 'mysql';
}

export interface DbRotation {
  engine: DbEngine;
  strategy: RotationStrategy;
  current: DbCredentials;
  /** PREVIOUS, when it holds credentials for the same database (single: a fallback login). */
  previous?: DbCredentials;
  admin?: DbCredentials;
  /** Every password known to this rotation, removed from any message. */
  secrets: string[];
}

const CLONE_SUFFIX = '_clone';

/** The user the next rotation uses: the same one (single), or the other of the pair (alternating). */
export function nextUsername(r: Pick<DbRotation, 'engine' | 'strategy' | 'current'>): string {
  const u = r.current.username;
  if (r.strategy === 'single') return u;
  const next = u.endsWith(CLONE_SUFFIX) ? u.slice(0, -CLONE_SUFFIX.length) : u + CLONE_SUFFIX;
  const max = r.engine.maxUsernameLength(r.current);
  if (next.length > max) {
    throw new HushError('InvalidArgument', `the alternating strategy needs a user named ${next}, longer than ${r.engine.label}'s ${max} characters; use a shorter user name or the single strategy`);
  }
  return next;
}

/** createSecret: the PENDING value, CURRENT with the next user and a new password. */
export function pendingValue(r: DbRotation, password: string): DbCredentials {
  return { ...r.current, username: nextUsername(r), password };
}

/** A driver error as one line: where, as whom, what the database said; no password in it. */
export function dbError(r: DbRotation, as: DbCredentials, e: unknown): string {
  const x = e as { message?: unknown; code?: unknown; errno?: unknown };
  const what = String(x?.message ?? e).split('\n')[0]!.replace(/[.\s]+$/, '');
  const code = typeof x?.code === 'string' && !what.includes(x.code) ? ` (${x.code})` : '';
  return redact(`${r.engine.label} at ${as.host}:${as.port} as ${as.username}: ${what}${code}`, r.secrets);
}

async function logsIn(r: DbRotation, c: DbCredentials): Promise<boolean> {
  try {
    await r.engine.check(c);
    return true;
  } catch {
    return false;
  }
}

/** setSecret; returns what it did, for the step's detail. */
export async function setDbSecret(r: DbRotation, pending: DbCredentials): Promise<string> {
  if (await logsIn(r, pending)) return `${pending.username} already logs in with the PENDING password: nothing to change`;
  if (r.strategy === 'alternating') {
    const admin = r.admin!;
    try {
      if (!(await r.engine.userExists(admin, pending.username))) return await r.engine.createClone(admin, r.current.username, pending.username, pending.password);
      return await r.engine.setPassword(admin, pending.username, pending.password);
    } catch (e) {
      throw new Error(dbError(r, admin, e));
    }
  }
  // single: as the admin if given; else as the user with CURRENT's password, then PREVIOUS's
  // (a rotation that failed after setSecret may have left either one in the database).
  const candidates = r.admin ? [r.admin] : [r.current, ...(r.previous && r.previous.username === r.current.username ? [r.previous] : [])];
  let first: string | undefined;
  for (const as of candidates) {
    try {
      return await r.engine.setPassword(as, pending.username, pending.password);
    } catch (e) {
      first ??= dbError(r, as, e);
      if (!r.engine.isLoginRefused(e)) break;
    }
  }
  throw new Error(first);
}

/** testSecret: a new connection with the PENDING credentials and a query. */
export async function testDbSecret(r: DbRotation, pending: DbCredentials): Promise<string> {
  try {
    await r.engine.check(pending);
  } catch (e) {
    throw new Error(dbError(r, pending, e));
  }
  return `${pending.username} logs in with the PENDING password`;
}

/**
 * After testSecret failed (single strategy): sets CURRENT's password back, as
 * the admin or as the user with the PENDING password, so CURRENT works again.
 * Returns one sentence for the failure message.
 */
export async function restoreCurrentPassword(r: DbRotation, pending: DbCredentials): Promise<string> {
  if (r.strategy !== 'single') return `${r.current.username} (CURRENT) was not changed`;
  if (await logsIn(r, r.current)) return `${r.current.username} still logs in with the CURRENT password`;
  const as = r.admin ?? pending;
  try {
    await r.engine.setPassword(as, r.current.username, r.current.password);
    return `the CURRENT password of ${r.current.username} was set back`;
  } catch (e) {
    return `setting the CURRENT password back failed too (${dbError(r, as, e)}); the database has the PENDING password`;
  }
}
