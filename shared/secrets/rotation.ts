/**
 * Rotation, in the four steps AWS Secrets Manager uses:
 *
 *   createSecret  a new value from the secret's generator, stored as a version
 *                 labelled PENDING (CURRENT does not move)
 *   setSecret     the hook applies the new value where it is used (a database
 *                 password change, a provider API call…)
 *   testSecret    the hook checks the new value works
 *   finishSecret  CURRENT moves to the new version (PREVIOUS to the old one),
 *                 PENDING is removed, the rotation date is recorded
 *
 * A failure at any step leaves CURRENT where it was and keeps the PENDING
 * version for inspection. The hook gets the step in HUSH_ROTATION_STEP and the
 * new value on stdin, never in its arguments or environment; whatever it
 * prints is redacted of the new and current values before anyone sees it.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { isHushError } from '../errors';
import { childEnv } from '../process/childEnv';
import type { RotationResult, RotationStep } from '../protocol';
import type { RotationRecord } from '../store/store';
import type { SecretDescription, SecretsManager } from './secretsManager';
import { CURRENT, PENDING } from './stageLabels';

const DAY_MS = 86_400_000;
const HOOK_TIMEOUT_MS = 120_000;
const MAX_DETAIL = 2000;

export interface RotationPolicy {
  intervalDays: number;
  length: number;
  excludePunctuation: boolean;
  hook?: string;
}

export interface RotateOptions {
  /** Folder the hook runs in (the workspace); the home folder by default. */
  cwd?: string;
  /** False in an untrusted workspace: a hook is not run, and the rotation stops before setSecret. */
  allowHooks: boolean;
  /** Reports each step as it ends (progress UI). */
  onStep?: (s: RotationStep) => void;
}

export function setRotationPolicy(m: SecretsManager, name: string, p: RotationPolicy): Promise<void> {
  return m.setRotation(name, {
    intervalDays: p.intervalDays,
    length: p.length,
    excludePunctuation: p.excludePunctuation,
    ...(p.hook ? { hook: p.hook } : {}),
  });
}

/** When a secret with a schedule is next due; due now if it was never rotated and is older than its interval. */
export function rotationStatus(
  s: { rotation?: RotationRecord; createdAt: string },
  now: Date,
): { intervalDays: number; lastRotatedAt?: string; nextRotationDate: string; due: boolean } | undefined {
  if (!s.rotation) return undefined;
  const from = Date.parse(s.rotation.lastRotatedAt ?? s.createdAt);
  const next = new Date(from + s.rotation.intervalDays * DAY_MS);
  return {
    intervalDays: s.rotation.intervalDays,
    ...(s.rotation.lastRotatedAt ? { lastRotatedAt: s.rotation.lastRotatedAt } : {}),
    nextRotationDate: next.toISOString(),
    due: next.getTime() <= now.getTime(),
  };
}

export async function rotateSecret(m: SecretsManager, name: string, o: RotateOptions): Promise<RotationResult> {
  const steps: RotationStep[] = [];
  const record = (s: RotationStep): void => {
    steps.push(s);
    o.onStep?.(s);
  };
  const fail = (step: RotationStep['step'], detail: string, versionId?: string): RotationResult => {
    record({ step, ok: false, detail });
    return {
      secretName: name,
      ok: false,
      ...(versionId ? { versionId } : {}),
      steps,
      message: `Rotation of ${name} failed at ${step}: ${detail.replace(/[.\s]+$/, '')}.${versionId ? ` CURRENT did not move; the new version ${versionId.slice(0, 8)} keeps the PENDING label for inspection.` : ' Nothing changed.'}`,
    };
  };

  // createSecret
  let description: SecretDescription;
  let newValue: string;
  let versionId: string;
  try {
    description = await m.describeSecret(name);
    const policy = description.rotation;
    newValue = await m.getRandomPassword({ length: policy?.length ?? 32, excludePunctuation: policy?.excludePunctuation ?? false });
    versionId = (await m.putSecretValue(name, newValue, { versionStages: [PENDING] })).versionId;
  } catch (e) {
    return fail('createSecret', message(e));
  }
  record({ step: 'createSecret', ok: true });

  const hook = description.rotation?.hook;
  const currentId = description.versions.find((v) => v.versionStages.includes(CURRENT))?.versionId;
  if (hook) {
    if (!o.allowHooks) {
      return fail('setSecret', 'the rotation hook was not run because this workspace is not trusted. Trust the workspace or rotate from a terminal with hush secrets rotate.', versionId);
    }
    let current: string | undefined;
    try {
      current = currentId ? (await m.getSecretValue(name, { versionId: currentId })).secretString : undefined;
    } catch {
      current = undefined; // the hook still gets the new value; redaction covers what we know
    }
    for (const step of ['setSecret', 'testSecret'] as const) {
      const r = await runHook(hook, step, { name, versionId, value: newValue, cwd: o.cwd ?? homedir(), redact: [newValue, current] });
      if (!r.ok) return fail(step, r.detail, versionId);
      record({ step, ok: true, ...(r.detail ? { detail: r.detail } : {}) });
    }
  } else {
    record({ step: 'setSecret', ok: true, detail: 'no rotation hook: the new value is only stored' });
    record({ step: 'testSecret', ok: true, detail: 'no rotation hook' });
  }

  // finishSecret
  try {
    await m.updateSecretVersionStage(name, CURRENT, { moveToVersionId: versionId, ...(currentId ? { removeFromVersionId: currentId } : {}) });
    await m.updateSecretVersionStage(name, PENDING, { removeFromVersionId: versionId });
    await m.markRotated(name);
  } catch (e) {
    return fail('finishSecret', message(e), versionId);
  }
  record({ step: 'finishSecret', ok: true });
  return { secretName: name, ok: true, versionId, steps };
}

function message(e: unknown): string {
  return isHushError(e) ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
}

/** Replaces every occurrence of the given values with `****`. */
export function redact(text: string, values: (string | undefined)[]): string {
  let out = text;
  for (const v of values) if (v && v.length >= 4) out = out.split(v).join('****');
  return out;
}

async function runHook(
  hook: string,
  step: 'setSecret' | 'testSecret',
  a: { name: string; versionId: string; value: string; cwd: string; redact: (string | undefined)[] },
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', hook], {
      cwd: a.cwd,
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
