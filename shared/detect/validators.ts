/**
 * Structure and checksum checks that turn "looks like" into "is": a
 * candidate failing one is dropped (or, for checksums, downgraded by the rule).
 */
import { hasBase62Crc } from './checksums';
import { explained } from './evidence';

function b64urlDecode(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s)) return undefined;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** A JWT: three base64url parts, the first two JSON objects, the header naming an algorithm. */
export const isJwt = explained(function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const header = b64urlDecode(parts[0]);
  const payload = b64urlDecode(parts[1]);
  if (header === undefined || payload === undefined) return false;
  try {
    const h = JSON.parse(header) as unknown;
    const p = JSON.parse(payload) as unknown;
    if (typeof h !== 'object' || h === null || typeof (h as { alg?: unknown }).alg !== 'string') return false;
    if (typeof p !== 'object' || p === null) return false;
    // The jwt.io sample token everybody pastes into docs and tests.
    if ((p as { name?: unknown }).name === 'John Doe' && (p as { sub?: unknown }).sub === '1234567890') return false;
    // `alg: none` tokens carry no signature and grant nothing by themselves.
    if ((h as { alg: string }).alg.toLowerCase() === 'none') return false;
    return parts[2].length >= 16;
  } catch {
    return false;
  }
}, 'structure', 'decodes as a JWT: JSON header naming an algorithm, JSON payload, a signature');

/** A PEM body: enough base64 to be key material, decodable, not a run of one character. */
export function isPemBody(body: string): boolean {
  const b64 = body.replace(/\\[nr]|\\|["'+,;\s]/g, '');
  if (b64.length < 64) return false;
  if (!/^[A-Za-z0-9+/=]+$/.test(b64)) return false;
  const distinct = new Set(b64).size;
  return distinct >= 20;
}

/**
 * The base64 of a PEM block as it appears in code: lines split by real or
 * escaped newlines, each possibly wrapped in quotes and `+` (string
 * concatenation), prefixed by a comment marker (`*`, `#`, `//`), an indent
 * or a log timestamp. Each line contributes its longest base64 run; armor
 * headers (`Proc-Type:`, `Version:`, …) are skipped. Undefined when the
 * block is a placeholder (`...`, `xxxx`, `<your key>`, `redacted`).
 */
export function pemBase64(inner: string): string | undefined {
  if (/x{8}|\.{3}|…|<[A-Za-z ]{3,}>|redacted|your[ _-]?key|\(key\)|placeholder|\$\{|\{\{|%s/i.test(inner)) return undefined;
  let b64 = '';
  let rest = 0;
  for (const line of inner.split(/\r?\n|\\r\\n|\\n|\\r/)) {
    if (/\b(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset|MessageID):/.test(line)) continue;
    const runs = line.match(/[A-Za-z0-9+/]{16,}={0,2}/g);
    const best = runs ? runs.reduce((a, b) => (b.length > a.length ? b : a)) : '';
    b64 += best;
    rest += line.replace(/\s/g, '').length - best.length;
  }
  // Code between a header constant and a footer constant is mostly not base64,
  // and its long words (`parsePrivateKeyFromEnv`) hold no digits, `+` or `/`.
  if (rest > b64.length || !/[0-9+/]/.test(b64)) return undefined;
  return b64;
}

/** A PEM block's inner text (between BEGIN and END) holds key material. */
export function isPemBlockBody(inner: string): boolean {
  const b64 = pemBase64(inner);
  return b64 !== undefined && isPemBody(b64);
}

export const githubChecksum = (s: string): boolean => hasBase62Crc(s, s.indexOf('_') + 1);
export const npmChecksum = (s: string): boolean => hasBase62Crc(s, 4);

/** Standard base64 that decodes to exactly `bytes` bytes. */
export function base64Of(bytes: number): (s: string) => boolean {
  return (s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes;
}

/** Decodes (standard or url-safe) base64; undefined if it is not. */
export function decodeBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}
