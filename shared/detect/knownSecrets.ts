/**
 * "This literal is the secret db/prod/password": matches string literals and
 * assignment values against the secrets already in the workspace's Secrets
 * Manager without ever holding their plaintext here. Each secret version
 * carries a keyed fingerprint computed when it was written — HMAC-SHA256
 * under a key derived from the CMK material that wrapped it, so fingerprints
 * are useless to anyone who cannot use that key — and the engine
 * fingerprints candidate literals with the same keys.
 */
import { createHmac } from 'node:crypto';

export interface KnownSecretIndex {
  /** A value's keyed fingerprints, one per key in play (SecretsManager.listFingerprints). */
  fingerprints(value: string): string[];
  /** keyedFingerprint(key, value) → secret name (`db/prod/password`). */
  readonly names: ReadonlyMap<string, string>;
  /** Lengths (UTF-16 units) of the stored values: only literals of these lengths are fingerprinted. */
  readonly lengths: ReadonlySet<number>;
}

export function keyedFingerprint(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}

/** Builds an index from (name, value) pairs; the values are dropped once fingerprinted. */
export function buildKnownSecretIndex(key: Buffer, secrets: Iterable<{ name: string; value: string }>): KnownSecretIndex {
  const names = new Map<string, string>();
  const lengths = new Set<number>();
  for (const s of secrets) {
    if (s.value.length < MIN_LENGTH) continue; // too short to match literals without noise
    names.set(keyedFingerprint(key, s.value), s.name);
    lengths.add(s.value.length);
  }
  return { fingerprints: (v) => [keyedFingerprint(key, v)], names, lengths };
}

export const MIN_LENGTH = 6;

/** Quoted literals (group 2; any length, so quotes pair up) or bare assignment values (group 3). */
const LITERAL = /(["'`])((?:[^"'`\\\r\n]|\\.){0,1024})\1|[=:][ \t]{0,4}([^\s"'`,;)}\]]{6,1024})/g;

export interface KnownHit {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

export function findKnownSecrets(text: string, index: KnownSecretIndex): KnownHit[] {
  if (index.names.size === 0) return [];
  const hits: KnownHit[] = [];
  LITERAL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LITERAL.exec(text)) !== null) {
    const value = m[2] ?? m[3];
    if (!index.lengths.has(value.length)) continue;
    let name: string | undefined;
    for (const fp of index.fingerprints(value)) if ((name = index.names.get(fp)) !== undefined) break;
    if (name === undefined) continue;
    const start = m[2] !== undefined ? m.index + 1 : m.index + m[0].length - value.length;
    hits.push({ start, end: start + value.length, name });
  }
  return hits;
}
