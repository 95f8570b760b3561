/**
 * Stage labels on the versions of one secret. Invariants: a label is on at
 * most one version; CURRENT is on exactly one version (once there is one);
 * at most 20 labels per version. Moving CURRENT moves PREVIOUS to the version
 * CURRENT left. Labels are never part of the encryption context: they move.
 *
 * Pure functions over the version list; they return the versions whose
 * labels changed.
 */
import { HushError } from '../errors';
import type { VersionRecord } from '../store/store';

export const CURRENT = 'CURRENT';
export const PREVIOUS = 'PREVIOUS';
export const PENDING = 'PENDING';
export const MAX_LABELS_PER_VERSION = 20;
export const MAX_UNLABELLED_VERSIONS = 100;

export function checkLabel(label: string): void {
  if (!/^[A-Za-z0-9_.:+=@-]{1,256}$/.test(label)) {
    throw new HushError('InvalidArgument', `stage label '${label}' may only contain letters, digits and _ . : + = @ - (1 to 256 characters)`);
  }
}

export function holderOf(versions: VersionRecord[], label: string): VersionRecord | undefined {
  return versions.find((v) => v.labels.includes(label));
}

/** Applies label moves to a working copy: label -> version id (or undefined to remove). */
function relabel(versions: VersionRecord[], moves: [string, string | undefined][]): VersionRecord[] {
  const labels = new Map(versions.map((v) => [v.id, new Set(v.labels)]));
  for (const [label, to] of moves) {
    for (const s of labels.values()) s.delete(label);
    if (to !== undefined) labels.get(to)!.add(label);
  }
  const changed: VersionRecord[] = [];
  for (const v of versions) {
    const next = [...labels.get(v.id)!];
    if (next.length > MAX_LABELS_PER_VERSION) {
      throw new HushError('LimitExceeded', `version ${v.id} would carry more than ${MAX_LABELS_PER_VERSION} stage labels`);
    }
    const same = next.length === v.labels.length && next.every((l) => v.labels.includes(l));
    if (!same) changed.push({ ...v, labels: next.sort() });
  }
  return changed;
}

function withCurrentMove(versions: VersionRecord[], to: string): [string, string | undefined][] {
  const old = holderOf(versions, CURRENT);
  if (!old || old.id === to) return [[CURRENT, to]];
  return [
    [CURRENT, to],
    [PREVIOUS, old.id],
  ];
}

/**
 * A new version `newId` (already in `versions`, with no labels) takes the
 * given labels; CURRENT brings PREVIOUS along.
 */
export function labelsForPut(versions: VersionRecord[], newId: string, stages: string[]): VersionRecord[] {
  const uniq = [...new Set(stages)];
  uniq.forEach(checkLabel);
  if (uniq.length > MAX_LABELS_PER_VERSION) throw new HushError('LimitExceeded', `a version carries at most ${MAX_LABELS_PER_VERSION} stage labels`);
  const moves: [string, string | undefined][] = [];
  for (const l of uniq) {
    if (l === CURRENT) moves.push(...withCurrentMove(versions, newId));
    else moves.push([l, newId]);
  }
  // The first version of a secret is CURRENT whatever the caller asked.
  if (!holderOf(versions, CURRENT) && !uniq.includes(CURRENT)) moves.push([CURRENT, newId]);
  return relabel(versions, moves);
}

/** UpdateSecretVersionStage, with AWS's rules. */
export function moveLabel(versions: VersionRecord[], label: string, moveTo?: string, removeFrom?: string): VersionRecord[] {
  checkLabel(label);
  const holder = holderOf(versions, label);
  if (moveTo !== undefined && !versions.some((v) => v.id === moveTo)) throw new HushError('VersionNotFound', `no version ${moveTo}`);
  if (removeFrom !== undefined) {
    if (!versions.some((v) => v.id === removeFrom)) throw new HushError('VersionNotFound', `no version ${removeFrom}`);
    if (holder?.id !== removeFrom) throw new HushError('InvalidArgument', `${label} is not on version ${removeFrom}${holder ? ` (it is on ${holder.id})` : ''}`);
  }
  if (moveTo === undefined) {
    if (removeFrom === undefined) throw new HushError('InvalidArgument', 'say where the label goes (--to) or where it is removed from (--remove-from)');
    if (label === CURRENT) throw new HushError('InvalidArgument', 'CURRENT cannot be removed, only moved to another version');
    return relabel(versions, [[label, undefined]]);
  }
  if (holder && holder.id !== moveTo && removeFrom === undefined) {
    throw new HushError('InvalidArgument', `${label} is on version ${holder.id}; say --from ${holder.id} to move it`);
  }
  return relabel(versions, label === CURRENT ? withCurrentMove(versions, moveTo) : [[label, moveTo]]);
}

/** Versions to delete: unlabelled ones beyond the newest MAX_UNLABELLED_VERSIONS. */
export function prunable(versions: VersionRecord[]): VersionRecord[] {
  if (versions.length <= MAX_UNLABELLED_VERSIONS) return [];
  const newestFirst = versions
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v.createdAt.localeCompare(a.v.createdAt) || b.i - a.i)
    .map((x) => x.v);
  return newestFirst.slice(MAX_UNLABELLED_VERSIONS).filter((v) => v.labels.length === 0);
}
