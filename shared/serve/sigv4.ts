/**
 * AWS Signature Version 4, the verifying side, written from AWS's published
 * description of the algorithm (node:crypto's SHA-256 and HMAC-SHA256 are the
 * primitives it names):
 *
 *   canonical request  method \n canonical URI \n canonical query \n
 *                      canonical headers \n signed header names \n hex(SHA-256(body))
 *   string to sign     AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n hex(SHA-256(canonical request))
 *   signing key        HMAC chain: "AWS4"+secret → date → region → service → "aws4_request"
 *   signature          hex(HMAC(signing key, string to sign))
 *
 * The request's own Authorization header names the key, the scope and which
 * headers were signed; `host` and `x-amz-date` must be among them. The
 * signature is compared in constant time. The date must be within five
 * minutes of ours; the replay window (replayWindow.ts) refuses the same
 * signature twice. Failures are `SigV4Failure`s carrying AWS's error code,
 * mapped to HTTP by awsErrors.ts.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's X-Amz-Date may be from our clock (AWS: 5 minutes). */
export const MAX_SKEW_MS = 5 * 60_000;

export type SigV4FailureCode = 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';

export class SigV4Failure extends Error {
  constructor(
    readonly code: SigV4FailureCode,
    message: string,
  ) {
    super(message);
  }
}

/** A request as received: header names lower-case, each header's values in order. */
export interface ReceivedRequest {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  url: string;
  headers: Readonly<Record<string, readonly string[] | undefined>>;
  body: Uint8Array;
}

export interface AuthorizationHeader {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function sha256Hex(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** RFC 3986 unreserved characters stay; every other byte is %XX (upper-case hex), as SigV4 asks. */
export function uriEncode(s: string, keepSlash = false): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // not valid percent-encoding: sign it as it came
  }
}

/** The canonical URI: the path's segments decoded, '.' and '..' resolved, each encoded again. */
export function canonicalUri(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(uriEncode(decode(seg)));
  }
  return `/${out.join('/')}${path.endsWith('/') && out.length ? '/' : ''}`;
}

/** The canonical query string: every name=value encoded, sorted by name then value. */
export function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      return [uriEncode(decode(k)), uriEncode(decode(v))] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A header's values for signing: each trimmed, inner runs of spaces made one, joined by commas. */
function canonicalValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export function canonicalRequest(r: ReceivedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const q = r.url.indexOf('?');
  const path = q < 0 ? r.url : r.url.slice(0, q);
  const query = q < 0 ? '' : r.url.slice(q + 1);
  const headers = signedHeaders.map((h) => `${h}:${canonicalValue(r.headers[h] ?? [])}\n`).join('');
  return [r.method.toUpperCase(), canonicalUri(path), canonicalQuery(query), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

export function scopeOf(a: Pick<AuthorizationHeader, 'date' | 'region' | 'service'>): string {
  return `${a.date}/${a.region}/${a.service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signingKey(secret: Uint8Array | string, date: string, region: string, service: string): Buffer {
  const secretPart = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  const k0 = Buffer.concat([Buffer.from('AWS4', 'utf8'), secretPart]);
  secretPart.fill(0);
  const kDate = createHmac('sha256', k0).update(date).digest();
  k0.fill(0);
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
  for (const k of [kDate, kRegion, kService]) k.fill(0);
  return kSigning;
}

/** The signature (hex) of a request, given the secret and the Authorization header's claims. */
export function signatureOf(r: ReceivedRequest, a: Omit<AuthorizationHeader, 'signature' | 'accessKeyId'>, amzDate: string, secret: Uint8Array | string, payloadHash = sha256Hex(r.body)): string {
  const key = signingKey(secret, a.date, a.region, a.service);
  try {
    return createHmac('sha256', key).update(stringToSign(amzDate, scopeOf(a), canonicalRequest(r, a.signedHeaders, payloadHash))).digest('hex');
  } finally {
    key.fill(0);
  }
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string | undefined): AuthorizationHeader {
  if (header === undefined || header.trim() === '') {
    throw new SigV4Failure('MissingAuthenticationTokenException', 'Missing Authentication Token: the request is not signed. Sign it with AWS Signature Version 4 using a key from `hush serve credentials create`');
  }
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!m) throw new SigV4Failure('IncompleteSignatureException', `Authorization header must use ${ALGORITHM} (AWS Signature Version 4)`);
  const parts = new Map<string, string>();
  for (const p of m[1]!.split(',')) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    parts.set(p.slice(0, i).trim(), p.slice(i + 1).trim());
  }
  const cred = parts.get('Credential');
  const signed = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const missing = [!cred && 'Credential', !signed && 'SignedHeaders', !signature && 'Signature'].filter(Boolean);
  if (missing.length) throw new SigV4Failure('IncompleteSignatureException', `Authorization header requires ${missing.join(', ')}`);
  const c = cred!.split('/');
  if (c.length !== 5 || c[4] !== 'aws4_request' || !/^\d{8}$/.test(c[1]!) || !c[0] || !c[2] || !c[3]) {
    throw new SigV4Failure('IncompleteSignatureException', 'Credential must be ACCESS_KEY_ID/yyyymmdd/region/service/aws4_request');
  }
  if (!/^[0-9a-f]{64}$/.test(signature!)) throw new SigV4Failure('IncompleteSignatureException', 'Signature must be 64 lower-case hex digits');
  const signedHeaders = signed!.split(';');
  if (signedHeaders.some((h) => !/^[a-z0-9-]+$/.test(h))) throw new SigV4Failure('IncompleteSignatureException', 'SignedHeaders must be lower-case header names separated by ;');
  return { accessKeyId: c[0], date: c[1]!, region: c[2], service: c[3], signedHeaders, signature: signature! };
}

/** yyyymmddThhmmssZ → epoch ms, or NaN. */
export function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface Verified {
  accessKeyId: string;
  region: string;
  service: string;
  signature: string;
  /** The request's X-Amz-Date, epoch ms. */
  signedAt: number;
}

export interface VerifyOptions {
  /** The service this endpoint is (secretsmanager, kms). */
  service: string;
  now: number;
  /** The secret of a live key, or undefined for an unknown or revoked one. */
  secretOf(accessKeyId: string): Promise<Uint8Array | undefined>;
}

/** Checks a request's signature; returns who signed it, or throws a SigV4Failure. */
export async function verify(r: ReceivedRequest, o: VerifyOptions): Promise<Verified> {
  const a = parseAuthorization(r.headers.authorization?.[0]);
  if (r.headers.authorization!.length > 1) throw new SigV4Failure('IncompleteSignatureException', 'the request has more than one Authorization header');
  for (const h of ['host', 'x-amz-date']) {
    if (!a.signedHeaders.includes(h)) throw new SigV4Failure('IncompleteSignatureException', `SignedHeaders must include ${h}`);
  }
  for (const h of a.signedHeaders) {
    if (r.headers[h] === undefined) throw new SigV4Failure('IncompleteSignatureException', `the signed header ${h} is not in the request`);
  }
  const amzDate = r.headers['x-amz-date']![0]!;
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) throw new SigV4Failure('IncompleteSignatureException', `X-Amz-Date must be yyyymmddThhmmssZ, not '${amzDate.slice(0, 40)}'`);
  if (amzDate.slice(0, 8) !== a.date) throw new SigV4Failure('InvalidSignatureException', `the Credential's date ${a.date} is not the date of X-Amz-Date ${amzDate}`);
  if (a.service !== o.service) throw new SigV4Failure('InvalidSignatureException', `Credential should be scoped to correct service: '${o.service}', not '${a.service.slice(0, 40)}'`);
  if (signedAt < o.now - MAX_SKEW_MS) {
    throw new SigV4Failure('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(o.now - MAX_SKEW_MS)} (${formatAmzDate(o.now)} - 5 min.)`);
  }
  if (signedAt > o.now + MAX_SKEW_MS) {
    throw new SigV4Failure('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(o.now + MAX_SKEW_MS)} (${formatAmzDate(o.now)} + 5 min.)`);
  }
  const bodyHash = sha256Hex(r.body);
  const declared = r.headers['x-amz-content-sha256']?.[0];
  if (declared !== undefined && declared !== bodyHash) {
    throw new SigV4Failure('InvalidSignatureException', 'X-Amz-Content-Sha256 is not the SHA-256 of the body (unsigned payloads are not accepted)');
  }
  const secret = await o.secretOf(a.accessKeyId);
  if (!secret) throw new SigV4Failure('UnrecognizedClientException', 'The security token included in the request is invalid: no live access key has this id (revoked, or never issued by this store)');
  const want = Buffer.from(signatureOf(r, a, amzDate, secret, bodyHash), 'hex');
  const got = Buffer.from(a.signature, 'hex');
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    throw new SigV4Failure(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { accessKeyId: a.accessKeyId, region: a.region, service: a.service, signature: a.signature, signedAt };
}
