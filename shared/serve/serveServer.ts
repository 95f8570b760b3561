/**
 * The HTTP side of `hush serve`: one POST per operation, as AWS's JSON 1.1
 * protocols send them, each request in this order:
 *
 *   1. read the body, at most `maxBodyBytes` (413 past that; the connection
 *      is closed, so a client cannot keep streaming)
 *   2. the operation from `X-Amz-Target` (secretsmanager.* or TrentService.*)
 *   3. the AWS Signature Version 4 check (sigv4.ts), the key's secret from
 *      the credential cache, then the replay window
 *   4. the JSON body, the operation, run by a Secrets Manager or KMS acting
 *      for `app:NAME` from source `serve` (authorized and audited by the core)
 *   5. the answer, or AWS's error shape (awsErrors.ts), with a request id
 *
 * Slow or stuck clients are cut off by Node's own limits (headers within
 * 10 s, the whole request within 30 s, idle keep-alive after 5 s), so they
 * cannot hold the server; each request is independent of the others. One log
 * line per request: time, request id, principal, operation, status, time
 * taken, error type. Never a value, never a header.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecretsManager } from '../secrets/secretsManager';
import type { Caller } from '../policy/access';
import { appPrincipal, Credentials } from './credentials';
import { CredentialCache } from './credentialCache';
import { ProtocolError, Service, toAwsError } from './awsErrors';
import { ReplayWindow } from './replayWindow';
import { MAX_SKEW_MS, ReceivedRequest, SigV4Failure, verify } from './sigv4';
import { SECRETS_MANAGER_OPERATIONS } from './secretsManagerApi';
import { KMS_OPERATIONS } from './kmsApi';
import { Fields } from './requestFields';

/** SecretString/SecretBinary are at most 64 KiB (base64: ~87 KiB); the rest of a request is small. */
export const DEFAULT_MAX_BODY = 256 * 1024;

export interface ServeOptions {
  manager: SecretsManager;
  credentials: Credentials;
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  /** One line per request (and the server's own notices). */
  log?(line: string): void;
  /** Calls back on every change to the store; returns how to stop (compose/storeWatch.ts). */
  watch?(onChange: () => void): Promise<() => Promise<void>>;
  maxBodyBytes?: number;
  clock?: () => number;
  /** Node's limits, shortened by the hostile-client tests. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface ServeStats {
  requests: number;
  errors: number;
  inFlight: number;
  /** Keys whose secrets are in memory. */
  keys: number;
  startedAt: number;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** http://host:port (https with TLS): what AWS_ENDPOINT_URL is set to. */
  readonly url: string;
  stats(): ServeStats;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then closes everything. */
  close(graceMs?: number): Promise<void>;
}

const TARGETS: Record<string, { service: Service; ops: Readonly<Record<string, unknown>> }> = {
  secretsmanager: { service: 'secretsmanager', ops: SECRETS_MANAGER_OPERATIONS },
  TrentService: { service: 'kms', ops: KMS_OPERATIONS },
};

interface Target {
  service: Service;
  operation: string;
}

function targetOf(header: string | undefined): Target {
  const m = header === undefined ? null : /^([A-Za-z]+)\.([A-Za-z]+)$/.exec(header);
  const t = m ? TARGETS[m[1]!] : undefined;
  if (!m || !t || !Object.hasOwn(t.ops, m[2]!)) {
    throw new ProtocolError(400, 'UnknownOperationException', header === undefined ? 'X-Amz-Target is missing: name the operation, e.g. secretsmanager.GetSecretValue' : 'The operation in X-Amz-Target is not one hush serve offers');
  }
  return { service: t.service, operation: m[2]! };
}

/** Request-derived text in a log line: printable ASCII only, bounded. */
function printable(s: string, max = 80): string {
  return s.slice(0, max).replace(/[^\x20-\x7e]/g, '?');
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > max) {
      reject(new ProtocolError(413, 'RequestEntityTooLargeException', `the request body is ${declared} bytes; hush serve takes at most ${max}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        reject(new ProtocolError(413, 'RequestEntityTooLargeException', `the request body is over ${max} bytes; hush serve takes at most ${max}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('the client went away')));
  });
}

function parseJson(body: Buffer, service: Service): Fields {
  const invalid = service === 'kms' ? 'ValidationException' : 'InvalidParameterException';
  if (body.length === 0) return new Fields({}, invalid);
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProtocolError(400, 'SerializationException', 'the request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(400, 'SerializationException', 'the request body must be a JSON object');
  return new Fields(v as Record<string, unknown>, invalid);
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const clock = o.clock ?? Date.now;
  const log = o.log ?? (() => undefined);
  const maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const cache = new CredentialCache(o.credentials, clock);
  const replay = new ReplayWindow(MAX_SKEW_MS);
  const storeId = o.manager.storeId;
  const stats: ServeStats = { requests: 0, errors: 0, inFlight: 0, keys: 0, startedAt: clock() };
  let settle: (() => void) | undefined;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const t0 = process.hrtime.bigint();
    let principal = '-';
    let target: Target | undefined;
    const rawTarget = req.headers['x-amz-target'];
    stats.requests++;
    stats.inFlight++;
    const send = (status: number, body: unknown, errorType?: string, close = false): void => {
      const text = JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': Buffer.byteLength(text),
        'x-amzn-RequestId': requestId,
        Date: new Date(clock()).toUTCString(),
      };
      if (errorType) headers['x-amzn-ErrorType'] = errorType;
      if (close) headers.Connection = 'close';
      if (!res.headersSent) res.writeHead(status, headers);
      res.end(text);
      if (close) res.once('finish', () => req.socket.destroySoon());
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const op = target ? `${target.service}.${target.operation}` : printable(typeof rawTarget === 'string' ? rawTarget : '-');
      log(`${new Date(clock()).toISOString()} ${requestId} ${printable(principal)} ${op} ${status} ${ms.toFixed(1)}ms${errorType ? ` ${errorType}` : ''}`);
    };
    try {
      if (req.method !== 'POST') throw new ProtocolError(405, 'UnknownOperationException', 'hush serve takes POST requests of the AWS JSON protocol');
      const body = await readBody(req, maxBody);
      target = targetOf(typeof rawTarget === 'string' ? rawTarget : undefined);
      const received: ReceivedRequest = { method: req.method, url: req.url ?? '/', headers: req.headersDistinct, body };
      const now = clock();
      let keyName = '';
      const v = await verify(received, {
        service: target.service,
        now,
        secretOf: async (id) => {
          const k = await cache.lookup(id);
          if (k) keyName = k.name;
          return k?.secret;
        },
      });
      if (!replay.admit(v.signature, v.signedAt, now)) {
        throw new SigV4Failure('InvalidSignatureException', 'this signed request was already received: a signed request is accepted once (sign it again to repeat it)');
      }
      principal = appPrincipal(keyName);
      const caller: Caller = { principal, groups: [], source: 'serve', auth: 'sigv4', host: req.socket.remoteAddress ?? 'unknown' };
      const fields = parseJson(body, target.service);
      let out: Record<string, unknown>;
      if (target.service === 'kms') {
        out = await KMS_OPERATIONS[target.operation]!({ kms: o.manager.kms.forCaller(caller), storeId }, fields);
      } else {
        out = await SECRETS_MANAGER_OPERATIONS[target.operation]!({ manager: o.manager.forCaller(caller), storeId, now: () => new Date(clock()) }, fields);
      }
      send(200, out);
    } catch (e) {
      stats.errors++;
      const service = target?.service ?? (typeof rawTarget === 'string' && rawTarget.startsWith('TrentService.') ? 'kms' : 'secretsmanager');
      const err = toAwsError(e, service, target?.operation);
      if (err.status >= 500 && !(e instanceof ProtocolError)) log(`${new Date(clock()).toISOString()} ${requestId} internal: ${printable(e instanceof Error ? e.message : String(e), 300)}`);
      send(err.status, { __type: err.type, message: err.message }, err.type, err.status === 413);
    } finally {
      stats.inFlight--;
      if (stats.inFlight === 0) settle?.();
    }
  };

  const options: http.ServerOptions = {
    headersTimeout: o.headersTimeoutMs ?? 10_000,
    requestTimeout: o.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000,
    maxHeaderSize: 16 * 1024,
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => void handle(req, res);
  const server = o.tls ? https.createServer({ ...options, cert: o.tls.cert, key: o.tls.key }, onRequest) : http.createServer(options, onRequest);
  server.maxConnections = 1024;
  // A client that breaks HTTP itself (bad framing, control characters, headers too large, too slow) gets a bare
  // status and its connection closed; nothing reaches the handler.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const stopWatching = o.watch
    ? await o.watch(() => {
        cache.refresh().catch((e: unknown) => log(`${new Date(clock()).toISOString()} could not re-read the access keys after a store change: ${printable(e instanceof Error ? e.message : String(e), 300)}`));
      })
    : undefined;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;

  return {
    host: addr.address,
    port: addr.port,
    url: `${o.tls ? 'https' : 'http'}://${hostPart}:${addr.port}`,
    stats: () => ({ ...stats, keys: cache.size }),
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        if (stats.inFlight > 0) {
          await Promise.race([new Promise<void>((r) => (settle = r)), new Promise((r) => setTimeout(r, graceMs).unref())]);
        }
        server.closeAllConnections();
        await closed;
        await stopWatching?.();
        cache.clear();
      })();
      return closing;
    },
  };
}
