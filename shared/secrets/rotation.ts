/**
 * Rotation, in the four steps AWS Secrets Manager uses:
 *
 *   createSecret  a new value, stored as a version labelled PENDING (CURRENT
 *                 does not move): a random password, or for a database
 *                 secret the JSON credentials with a new password (and the
 *                 other user of the pair, alternating strategy)
 *   setSecret     the new value is applied where it is used: by a built-in
 *                 rotator (rotators/: ALTER ROLE / SET PASSWORD in
 *                 PostgreSQL, MySQL, MariaDB) or by the user's hook
 *   testSecret    the new value is checked (a new database login and a query,
 *                 or the hook)
 *   finishSecret  CURRENT moves to the new version (PREVIOUS to the old one),
 *                 PENDING is removed, the rotation date is recorded
 *
 * A failure at any step leaves CURRENT where it was, keeps the PENDING
 * version and reports the step and the cause with every known value removed.
 * A rerun resumes: createSecret takes up the PENDING version left by the
 * failed attempt instead of making another, and the steps after it are
 * idempotent (setSecret does nothing when the PENDING credentials already
 * log in), like AWS's rotation with the same client request token.
 *
 * A hook is the absolute path of an executable file, fixed when the rotation
 * is set (resolveHook), run without a shell in its own folder. It gets the
 * step in HUSH_ROTATION_STEP and the new value on stdin, never in its
 * arguments or environment; what it prints is redacted of the new and
 * current values. A hook never runs from an untrusted workspace: such a
 * rotation is refused before anything is stored.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HushError, isHushError } from '../errors';
import { childEnv } from '../process/childEnv';
import type { RotationResult, RotationStep } from '../protocol';
import type { RotationRecord } from '../store/store';
import { redact } from './redact';
import type { SecretDescription, SecretsManager } from './secretsManager';
import { CURRENT, PENDING, PREVIOUS } from './stageLabels';
import { DbCredentials, formatDbCredentials, parseDbCredentials } from './rotators/dbCredentials';
import {
  DbRotation,
  engineFor,
  nextUsername,
  pendingValue,
  restoreCurrentPassword,
  ROTATORS,
  RotationStrategy,
  RotatorName,
  rotatorOfEngine,
  setDbSecret,
  STRATEGIES,
  testDbSecret,
} from './rotators/dbRotation';

export { redact } from './redact';

const DAY_MS = 86_400_000;
const HOOK_TIMEOUT_MS = 120_000;
const MAX_DETAIL = 2000;

export interface RotationPolicy {
  intervalDays: number;
  length: number;
  excludePunctuation: boolean;
  /** Path of an executable; a relative one is resolved against `RotationSetContext.baseDir`. */
  hook?: string;
  rotator?: RotatorName;
  strategy?: RotationStrategy;
  adminSecret?: string;
}

export interface RotationSetContext {
  /** Folder a relative hook path is resolved against (the CLI's cwd, the editor's workspace folder). */
  baseDir?: string;
}

export interface RotateOptions {
  /** False in an untrusted workspace: a rotation with a hook is refused before anything is stored. */
  allowHooks: boolean;
  /** Reports each step as it ends (progress UI); the next step waits for a returned promise. */
  onStep?: (s: RotationStep) => void | Promise<void>;
}

/**
 * A hook as it is stored: the real absolute path of an executable regular
 * file. Relative paths are resolved against `baseDir` now, once, so the hook
 * that runs does not depend on the folder a later rotation runs in.
 */
export function resolveHook(hook: string, baseDir: string | undefined): string {
  const given = hook.trim();
  const what = 'A rotation hook is the path of an executable file (a script with a #! line); it gets HUSH_ROTATION_STEP and the new value on stdin.';
  if (!given) throw new HushError('InvalidArgument', `the rotation hook is empty. ${what}`);
  if (!path.isAbsolute(given) && !baseDir) throw new HushError('InvalidArgument', `the rotation hook ${given} is a relative path and there is no folder to resolve it against; give an absolute path. ${what}`);
  const abs = path.resolve(baseDir ?? '/', given);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new HushError('InvalidArgument', `there is no file ${abs} for the rotation hook. ${what}`);
  }
  if (!st.isFile()) throw new HushError('InvalidArgument', `the rotation hook ${abs} is not a regular file. ${what}`);
  if ((st.mode & 0o111) === 0) throw new HushError('InvalidArgument', `the rotation hook ${abs} is not executable; chmod +x it.`);
  return fs.realpathSync(abs);
}

/** The hook as it may run now: still an absolute path to an executable regular file (not a link swapped in since). */
function checkStoredHook(hook: string): string | undefined {
  if (!path.isAbsolute(hook)) return `the rotation hook '${hook}' is not an absolute path (set before hooks were stored as paths); set the rotation again with the hook's path`;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(hook);
  } catch {
    return `the rotation hook ${hook} no longer exists; set the rotation again`;
  }
  if (!st.isFile()) return `the rotation hook ${hook} is no longer a regular file; set the rotation again`;
  if ((st.mode & 0o111) === 0) return `the rotation hook ${hook} is not executable; chmod +x it`;
  return undefined;
}

async function readDbSecret(m: SecretsManager, name: string, o: { versionId?: string; versionStage?: string }, what: string): Promise<DbCredentials> {
  const v = await m.getSecretValue(name, o);
  if (v.secretString === undefined) {
    v.secretBinary?.fill(0);
    throw new HushError('InvalidArgument', `${what} holds a binary value, not database credentials`);
  }
  return parseDbCredentials(v.secretString, what);
}

function checkFits(rotator: RotatorName, c: DbCredentials, what: string): void {
  if (rotatorOfEngine(c.engine) !== rotator) {
    throw new HushError('InvalidArgument', `${what} is a ${c.engine} database, which the ${rotator} rotator does not handle; use --rotator ${rotatorOfEngine(c.engine)}`);
  }
}

/** Sets the schedule, generator and how a new value is applied; checks the database secrets and the hook first. */
export async function setRotationPolicy(m: SecretsManager, name: string, p: RotationPolicy, ctx: RotationSetContext = {}): Promise<void> {
  if (p.rotator && p.hook) throw new HushError('InvalidArgument', 'give a rotator or a hook, not both: the rotator applies the new password itself');
  if (p.rotator && !ROTATORS.includes(p.rotator)) throw new HushError('InvalidArgument', `the rotator is one of ${ROTATORS.join(', ')}, not '${p.rotator}'`);
  if (p.strategy && !STRATEGIES.includes(p.strategy)) throw new HushError('InvalidArgument', `the strategy is single or alternating, not '${p.strategy}'`);
  if (!p.rotator && (p.strategy || p.adminSecret)) throw new HushError('InvalidArgument', 'a strategy and an admin secret go with a database rotator (--rotator postgres|mysql)');
  const strategy = p.rotator ? (p.strategy ?? 'single') : undefined;
  if (strategy === 'alternating' && !p.adminSecret) {
    throw new HushError('InvalidArgument', 'the alternating strategy needs an admin secret (--admin-secret NAME): the admin creates the second user and sets its password');
  }
  if (p.rotator) {
    const current = await readDbSecret(m, name, {}, `secret ${name}`);
    checkFits(p.rotator, current, `secret ${name}`);
    const engine = await engineFor(p.rotator);
    nextUsername({ engine, strategy: strategy!, current });
    if (p.adminSecret) {
      if (p.adminSecret === name) throw new HushError('InvalidArgument', 'the admin secret must be another secret than the one it rotates');
      checkFits(p.rotator, await readDbSecret(m, p.adminSecret, {}, `admin secret ${p.adminSecret}`), `admin secret ${p.adminSecret}`);
    }
  }
  const hook = p.hook ? resolveHook(p.hook, ctx.baseDir) : undefined;
  await m.setRotation(name, {
    intervalDays: p.intervalDays,
    length: p.length,
    excludePunctuation: p.excludePunctuation,
    ...(hook ? { hook } : {}),
    ...(p.rotator ? { rotator: p.rotator, strategy: strategy!, ...(p.adminSecret ? { adminSecret: p.adminSecret } : {}) } : {}),
  });
}

export interface RotationStatus {
  intervalDays: number;
  lastRotatedAt?: string;
  nextRotationDate: string;
  due: boolean;
  rotator?: RotatorName;
  strategy?: RotationStrategy;
  adminSecret?: string;
  hook?: string;
}

/** When a secret with a schedule is next due (due now if never rotated and older than its interval), and how it rotates. */
export function rotationStatus(s: { rotation?: RotationRecord; createdAt: string }, now: Date): RotationStatus | undefined {
  const r = s.rotation;
  if (!r) return undefined;
  const from = Date.parse(r.lastRotatedAt ?? s.createdAt);
  const next = new Date(from + r.intervalDays * DAY_MS);
  return {
    intervalDays: r.intervalDays,
    ...(r.lastRotatedAt ? { lastRotatedAt: r.lastRotatedAt } : {}),
    nextRotationDate: next.toISOString(),
    due: next.getTime() <= now.getTime(),
    ...(r.rotator ? { rotator: r.rotator, strategy: r.strategy ?? 'single' } : {}),
    ...(r.adminSecret ? { adminSecret: r.adminSecret } : {}),
    ...(r.hook ? { hook: r.hook } : {}),
  };
}

/** Names of the secrets whose rotation is due at `now`, every page of them (scheduled deletions left out). */
export async function dueSecrets(m: SecretsManager, now: Date): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await m.listSecrets({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
    names.push(...page.secrets.filter((x) => rotationStatus(x, now)?.due).map((x) => x.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

/** How a rotation is applied, in a few words (CLI describe, tooltips). */
export function describeRotator(r: RotationRecord | RotationStatus): string {
  if (r.rotator) return `${r.rotator} rotator, ${r.strategy ?? 'single'} user${r.strategy === 'alternating' ? 's' : ''}${r.adminSecret ? `, admin secret ${r.adminSecret}` : ''}`;
  if (r.hook) return `hook ${r.hook}`;
  return 'none (a new random value is only stored)';
}

export async function rotateSecret(m: SecretsManager, name: string, o: RotateOptions): Promise<RotationResult> {
  const steps: RotationStep[] = [];
  const record = async (s: RotationStep): Promise<void> => {
    steps.push(s);
    await o.onStep?.(s);
  };
  const fail = async (step: RotationStep['step'], detail: string, versionId?: string): Promise<RotationResult> => {
    await record({ step, ok: false, detail });
    return {
      secretName: name,
      ok: false,
      ...(versionId ? { versionId } : {}),
      steps,
      message: `Rotation of ${name} failed at ${step}: ${detail.replace(/[.\s]+$/, '')}.${
        versionId
          ? ` CURRENT did not move; the new version ${versionId.slice(0, 8)} keeps the PENDING label, and rotating again resumes from it.`
          : ' Nothing changed.'
      }`,
    };
  };

  // Before anything is stored: the policy, the hook, the database secrets.
  let description: SecretDescription;
  let db: DbRotation | undefined;
  try {
    description = await m.describeSecret(name);
    const policy = description.rotation;
    if (policy?.hook) {
      if (!o.allowHooks) {
        return fail('createSecret', 'the rotation hook was not run because this workspace is not trusted. Trust the workspace or rotate from a terminal with hush secrets rotate');
      }
      const problem = checkStoredHook(policy.hook);
      if (problem) return fail('createSecret', problem);
    }
    if (policy?.rotator) db = await prepareDb(m, name, description);
  } catch (e) {
    return fail('createSecret', message(e, db?.secrets));
  }
  const policy = description.rotation;
  const versions = description.versions;
  const currentV = versions.find((v) => v.versionStages.includes(CURRENT));

  // createSecret: take up a PENDING version left by a failed attempt since CURRENT last moved, else make one.
  let versionId: string | undefined;
  let newValue: string | undefined;
  let pending: DbCredentials | undefined;
  let resumed = false;
  try {
    const left = versions.find((v) => v.versionStages.includes(PENDING) && !v.versionStages.includes(CURRENT));
    if (left && (!currentV || left.createdAt >= currentV.createdAt)) {
      const v = await m.getSecretValue(name, { versionId: left.versionId });
      const text = v.secretString;
      if (text !== undefined) {
        const candidate = db ? pendingOf(db, text) : undefined;
        if (!db || candidate) {
          versionId = left.versionId;
          newValue = text;
          pending = candidate;
          resumed = true;
        }
      }
    }
    if (!versionId) {
      const password = await m.getRandomPassword({
        length: policy?.length ?? 32,
        excludePunctuation: policy?.excludePunctuation ?? false,
        ...(db ? { excludeCharacters: db.engine.excludeCharacters } : {}),
      });
      pending = db ? pendingValue(db, password) : undefined;
      newValue = pending ? formatDbCredentials(pending) : password;
      versionId = (await m.putSecretValue(name, newValue, { versionStages: [PENDING] })).versionId;
    }
  } catch (e) {
    return fail('createSecret', message(e, db?.secrets));
  }
  if (pending) db!.secrets.push(pending.password);
  await record({
    step: 'createSecret',
    ok: true,
    ...(resumed ? { detail: `resumed with the PENDING version ${versionId.slice(0, 8)} of the failed attempt` } : pending ? { detail: `new password for ${pending.username}` } : {}),
  });

  if (db && pending) {
    try {
      await record({ step: 'setSecret', ok: true, detail: await setDbSecret(db, pending) });
    } catch (e) {
      return fail('setSecret', message(e, db.secrets), versionId);
    }
    try {
      await record({ step: 'testSecret', ok: true, detail: await testDbSecret(db, pending) });
    } catch (e) {
      const restored = await restoreCurrentPassword(db, pending);
      return fail('testSecret', `${message(e, db.secrets)}; ${restored}`, versionId);
    }
  } else if (policy?.hook) {
    let current: string | undefined;
    try {
      current = currentV ? (await m.getSecretValue(name, { versionId: currentV.versionId })).secretString : undefined;
    } catch {
      current = undefined; // the hook still gets the new value; redaction covers what we know
    }
    for (const step of ['setSecret', 'testSecret'] as const) {
      const r = await runHook(policy.hook, step, { name, versionId, value: newValue!, redact: [newValue, current] });
      if (!r.ok) return fail(step, r.detail, versionId);
      await record({ step, ok: true, ...(r.detail ? { detail: r.detail } : {}) });
    }
  } else {
    await record({ step: 'setSecret', ok: true, detail: 'no rotator or hook: the new value is only stored' });
    await record({ step: 'testSecret', ok: true, detail: 'no rotator or hook' });
  }

  // finishSecret
  try {
    await m.updateSecretVersionStage(name, CURRENT, { moveToVersionId: versionId, ...(currentV ? { removeFromVersionId: currentV.versionId } : {}) });
    await m.updateSecretVersionStage(name, PENDING, { removeFromVersionId: versionId });
    await m.markRotated(name);
  } catch (e) {
    return fail('finishSecret', message(e, db?.secrets), versionId);
  }
  await record({ step: 'finishSecret', ok: true });
  return { secretName: name, ok: true, versionId, steps };
}

/** Reads what a database rotation needs: CURRENT, PREVIOUS (if it is credentials), the admin secret. */
async function prepareDb(m: SecretsManager, name: string, d: SecretDescription): Promise<DbRotation> {
  const policy = d.rotation!;
  const rotator = policy.rotator!;
  const strategy = policy.strategy ?? 'single';
  const current = await readDbSecret(m, name, {}, `secret ${name} (CURRENT)`);
  checkFits(rotator, current, `secret ${name}`);
  const secrets = [current.password];
  let previous: DbCredentials | undefined;
  if (d.versions.some((v) => v.versionStages.includes(PREVIOUS))) {
    previous = await readDbSecret(m, name, { versionStage: PREVIOUS }, `secret ${name} (PREVIOUS)`).catch(() => undefined);
    if (previous) secrets.push(previous.password);
  }
  let admin: DbCredentials | undefined;
  if (policy.adminSecret) {
    const a = await readDbSecret(m, policy.adminSecret, {}, `admin secret ${policy.adminSecret}`);
    checkFits(rotator, a, `admin secret ${policy.adminSecret}`);
    secrets.push(a.password);
    admin = a;
  }
  if (strategy === 'alternating' && !admin) throw new HushError('InvalidArgument', `the alternating strategy of ${name} needs an admin secret; set the rotation again with --admin-secret`);
  return { engine: await engineFor(rotator), strategy, current, ...(previous ? { previous } : {}), ...(admin ? { admin } : {}), secrets };
}

/** A PENDING value left by a failed attempt, if it is what this rotation would have made (same database, next user). */
function pendingOf(db: DbRotation, text: string): DbCredentials | undefined {
  try {
    const c = parseDbCredentials(text, 'the PENDING version');
    const same = c.engine === db.current.engine && c.host === db.current.host && c.port === db.current.port && c.username === nextUsername(db);
    return same ? c : undefined;
  } catch {
    return undefined;
  }
}

function message(e: unknown, secrets: readonly string[] = []): string {
  const text = isHushError(e) ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
  return redact(text, secrets);
}

async function runHook(
  hook: string,
  step: 'setSecret' | 'testSecret',
  a: { name: string; versionId: string; value: string; redact: (string | undefined)[] },
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(hook, [], {
      cwd: path.dirname(hook),
      env: childEnv(process.env, { HUSH_ROTATION_STEP: step, HUSH_SECRET_NAME: a.name, HUSH_VERSION_ID: a.versionId }),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), HOOK_TIMEOUT_MS);
    child.stdin.on('error', () => undefined); // a hook that does not read stdin
    child.stdin.end(a.value);
    const tail = (): string => redact(stderr, a.redact).trim().slice(-MAX_DETAIL);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `the hook could not start (${e.message})` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ ok: true, detail: tail() });
      const why = signal === 'SIGKILL' ? `timed out after ${HOOK_TIMEOUT_MS / 1000} s` : signal ? `died of ${signal}` : `exited with ${code}`;
      const err = tail();
      resolve({ ok: false, detail: `the hook ${why}${err ? `: ${err}` : ''}` });
    });
  });
}
