/**
 * Amazon Resource Names for what `hush serve` exposes, stable and derived
 * from ids only: the account is 12 digits taken from the store id, a
 * secret's ARN ends in `NAME-XXXXXX` with six characters taken from the
 * secret id (as AWS appends six random ones), a key's is `key/KEY-ID`. The
 * region is the fixed word `hush`: a client may sign for any region, the
 * names do not change with it.
 *
 * References arrive as AWS accepts them: a name or id, a full ARN, or a
 * partial ARN (without the six-character suffix). An ARN of another
 * account or service is not ours, and is reported as not found.
 */
import { createHash } from 'node:crypto';

export const REGION = 'hush';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The 12-digit account of a store. */
export function accountOf(storeId: string): string {
  const n = digest(`hush-account/${storeId}`).readBigUInt64BE(0) % 1_000_000_000_000n;
  return n.toString().padStart(12, '0');
}

function suffixOf(secretId: string): string {
  return [...digest(`hush-secret-arn/${secretId}`).subarray(0, 6)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

export function secretArn(storeId: string, s: { id: string; name: string }): string {
  return `arn:aws:secretsmanager:${REGION}:${accountOf(storeId)}:secret:${s.name}-${suffixOf(s.id)}`;
}

export function keyArn(storeId: string, keyId: string): string {
  return `arn:aws:kms:${REGION}:${accountOf(storeId)}:key/${keyId}`;
}

export function aliasArn(storeId: string, alias: string): string {
  return `arn:aws:kms:${REGION}:${accountOf(storeId)}:${alias}`;
}

const ARN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/s;

export interface SecretRef {
  /** What to hand the Secrets Manager: a name or an id. */
  ref: string;
  /** The six-character suffix the ARN carried, to check against the secret found. */
  suffix?: string;
}

/** A SecretId as sent: a name, an id, or this store's (partial) ARN. Undefined: an ARN that is not ours. */
export function parseSecretId(storeId: string, secretId: string): SecretRef | undefined {
  const m = ARN.exec(secretId);
  if (!m) return { ref: secretId };
  if (m[2] !== 'secretsmanager' || m[4] !== accountOf(storeId) || !m[5]!.startsWith('secret:')) return undefined;
  const rest = m[5]!.slice('secret:'.length);
  const s = /^(.+)-([A-Za-z0-9]{6})$/.exec(rest);
  return s ? { ref: s[1]!, suffix: s[2]! } : { ref: rest };
}

/** True when the suffix an ARN carried is this secret's (a full ARN names one secret, not a later one of the same name). */
export function suffixMatches(ref: SecretRef, secretId: string): boolean {
  return ref.suffix === undefined || ref.suffix === suffixOf(secretId);
}

/** A KeyId as sent: a key id, `alias/NAME`, or this store's key or alias ARN. Undefined: an ARN that is not ours. */
export function parseKeyId(storeId: string, keyId: string): string | undefined {
  const m = ARN.exec(keyId);
  if (!m) return keyId;
  if (m[2] !== 'kms' || m[4] !== accountOf(storeId)) return undefined;
  const r = m[5]!;
  if (r.startsWith('key/')) return r.slice(4);
  if (r.startsWith('alias/')) return r;
  return undefined;
}
