/**
 * A key's effective state depends on the clock: a deletion date that passed
 * means the key is gone; imported material past its expiry means the key is
 * waiting for an import again. Stored state alone is not enough.
 */
import { HushError } from '../errors';
import type { KeyRecord, KeyState } from '../store/store';

export type EffectiveKeyState = KeyState | 'Deleted';

export function effectiveState(k: KeyRecord, now: Date): EffectiveKeyState {
  if (k.deletedAt) return 'Deleted';
  if (k.state === 'PendingDeletion' && k.deletionDate && Date.parse(k.deletionDate) <= now.getTime()) return 'Deleted';
  if (k.state === 'PendingDeletion') return 'PendingDeletion';
  if (k.origin === 'EXTERNAL') {
    const m = k.materials[0];
    if (!m || (m.expiresAt && Date.parse(m.expiresAt) <= now.getTime())) return 'PendingImport';
  }
  return k.state;
}

export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/** The error for using a key that is not Enabled: names it, its alias, its state and what to do. */
export function notUsable(k: KeyRecord, alias: string | undefined, state: EffectiveKeyState): HushError {
  const who = `CMK ${k.id}${alias ? ` (${alias})` : ''}`;
  switch (state) {
    case 'Disabled':
      return new HushError('KeyDisabled', `${who} is Disabled; enable it (hush keys enable ${k.id}) or re-encrypt the secret under another key`);
    case 'PendingDeletion':
      return new HushError(
        'KeyPendingDeletion',
        `${who} is PendingDeletion (deleted for good on ${k.deletionDate}); cancel the deletion (hush keys cancel-deletion ${k.id}) and enable it to use it`,
      );
    case 'PendingImport':
      return new HushError(
        'KeyPendingImport',
        `${who} is PendingImport: its imported key material is missing or expired; import it again (hush keys import ${k.id})`,
      );
    case 'Deleted':
      return new HushError(
        'KeyDeleted',
        `${who} was deleted on ${k.deletedAt ?? k.deletionDate}; its key material is destroyed and what it encrypted cannot be recovered`,
      );
    default:
      return new HushError('Internal', `${who} is ${state}`);
  }
}
