/**
 * Where a moved value goes: which secret holds it and which variable the code
 * reads it from. Decided before anything is stored, so a move never stops
 * half-way to ask a question:
 *  - a value already stored (in any secret's CURRENT version) is reused: its
 *    secret, and the variable the manifest already maps to it, if any;
 *  - a free name is created;
 *  - a name that holds another value, or a variable the manifest maps to
 *    another secret, is a conflict: with `onExisting` the caller says what to
 *    do (a new version, or the next free `…_2` name); without it the move
 *    fails with a NameConflict naming a free name to suggest (the client asks
 *    in a modal and sends the move again).
 */
import { timingSafeEqual } from 'node:crypto';
import { ResponseError } from 'vscode-languageserver/node';
import { isHushError } from '../shared/errors';
import type { SecretRef } from '../shared/move/manifest';
import type { MoveParams, NameConflict } from '../shared/protocol';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { CURRENT } from '../shared/secrets/stageLabels';
import { HUSH_ERROR, toResponseError } from './secretsService';

export type MoveTarget =
  | { kind: 'reuse'; secretName: string; envVar: string; versionId: string }
  | { kind: 'create'; secretName: string; envVar: string }
  | { kind: 'newVersion'; secretName: string; envVar: string };

export interface TargetContext {
  manager: SecretsManager;
  /** The variables the manifest maps now. */
  manifest: Readonly<Record<string, SecretRef>>;
  /** Which stored secret, if any, holds this literal as its CURRENT value. */
  holderOf(value: string): Promise<string | undefined>;
  /** Names and variables already given to other values of the same move. */
  reserved: { names: Set<string>; vars: Set<string> };
}

async function exists(m: SecretsManager, name: string): Promise<boolean> {
  try {
    await m.describeSecret(name);
    return true;
  } catch (e) {
    if (isHushError(e) && e.code === 'SecretNotFound') return false;
    throw toResponseError(e);
  }
}

/** Whether `name`'s CURRENT value is `value` (read in memory, compared in constant time). */
export async function holdsValue(m: SecretsManager, name: string, value: string): Promise<boolean> {
  try {
    const v = await m.getSecretValue(name);
    v.secretBinary?.fill(0);
    if (v.secretString === undefined) return false;
    const a = Buffer.from(v.secretString, 'utf8');
    const b = Buffer.from(value, 'utf8');
    const same = a.length === b.length && timingSafeEqual(a, b);
    a.fill(0);
    b.fill(0);
    return same;
  } catch {
    return false; // no value yet, or its key cannot decrypt: not the same value as far as a move can tell
  }
}

export async function currentVersion(m: SecretsManager, name: string): Promise<string> {
  const d = await m.describeSecret(name);
  return d.versions.find((v) => v.versionStages.includes(CURRENT))?.versionId ?? '';
}

/** The variable for a reused secret: the one the manifest already maps to it, else the asked one if free, else the next free one. */
function variableFor(t: TargetContext, secretName: string, asked: string): string {
  const mapped = Object.entries(t.manifest).find(([v, ref]) => ref.secret === secretName && !ref.versionId && (!ref.stage || ref.stage === CURRENT) && !t.reserved.vars.has(v));
  if (mapped) return mapped[0];
  const free = (v: string) => !t.reserved.vars.has(v) && (!t.manifest[v] || t.manifest[v].secret === secretName);
  if (free(asked)) return asked;
  for (let n = 2; ; n++) if (free(`${asked}_${n}`)) return `${asked}_${n}`;
}

/** The first `…_N` pair where the name is not stored and the variable is not mapped to another secret. */
async function freePair(t: TargetContext, secretName: string, envVar: string): Promise<{ secretName: string; envVar: string }> {
  for (let n = 2; ; n++) {
    const name = `${secretName}_${n}`;
    const v = `${envVar}_${n}`;
    if (t.reserved.names.has(name) || t.reserved.vars.has(v)) continue;
    if (t.manifest[v] && t.manifest[v].secret !== name) continue;
    if (!(await exists(t.manager, name))) return { secretName: name, envVar: v };
  }
}

function conflict(data: NameConflict): ResponseError<NameConflict> {
  const message =
    data.code === 'SecretExists'
      ? `SecretExists: a secret named ${data.secretName} already holds another value. Nothing was stored and the code is unchanged. ` +
        `Move it as ${data.suggestedSecretName} (read from ${data.suggestedEnvVar}), or store it as a new version of ${data.secretName}.`
      : `VariableTaken: ${data.envVar} already reads ${data.mappedTo} in .hush.json. Nothing was stored and the code is unchanged. ` +
        `Move it as ${data.suggestedSecretName} (read from ${data.suggestedEnvVar}).`;
  return new ResponseError(HUSH_ERROR, message, data);
}

/** Decides the target of one value of a move, and reserves its name and variable. */
export async function chooseTarget(t: TargetContext, p: MoveParams, value: string): Promise<MoveTarget> {
  const reserve = <T extends MoveTarget>(target: T): T => {
    t.reserved.names.add(target.secretName);
    t.reserved.vars.add(target.envVar);
    return target;
  };
  const holder = await t.holderOf(value);
  if (holder !== undefined) {
    return reserve({ kind: 'reuse', secretName: holder, envVar: variableFor(t, holder, p.envVar), versionId: await currentVersion(t.manager, holder) });
  }
  const onExisting = p.onExisting ?? 'fail';
  const mapped = t.manifest[p.envVar];
  const varTaken = t.reserved.vars.has(p.envVar) || (mapped !== undefined && mapped.secret !== p.secretName);
  const nameTaken = t.reserved.names.has(p.secretName) || (await exists(t.manager, p.secretName));
  if (nameTaken && !t.reserved.names.has(p.secretName) && (await holdsValue(t.manager, p.secretName, value))) {
    // The index did not know it yet (just stored by another move): the same value, so the same secret.
    return reserve({ kind: 'reuse', secretName: p.secretName, envVar: variableFor(t, p.secretName, p.envVar), versionId: await currentVersion(t.manager, p.secretName) });
  }
  if (!nameTaken && !varTaken) return reserve({ kind: 'create', secretName: p.secretName, envVar: p.envVar });
  if (nameTaken && !varTaken && onExisting === 'newVersion') return reserve({ kind: 'newVersion', secretName: p.secretName, envVar: p.envVar });
  const free = await freePair(t, p.secretName, p.envVar);
  if (onExisting === 'unique') return reserve({ kind: 'create', ...free });
  throw conflict({
    code: varTaken ? 'VariableTaken' : 'SecretExists',
    secretName: p.secretName,
    envVar: p.envVar,
    ...(varTaken && mapped ? { mappedTo: mapped.secret } : {}),
    suggestedSecretName: free.secretName,
    suggestedEnvVar: free.envVar,
  });
}
