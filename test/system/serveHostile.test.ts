/**
 * Hostile requests against `hush serve`: oversized bodies (declared and
 * streamed), malformed JSON and unknown operations (signed and not), header
 * tricks, a replayed signed request, and slow clients holding connections.
 * Each gets a clear AWS-shaped error (or Node's own 4xx for broken HTTP), and
 * the server keeps answering a well-behaved SDK client meanwhile.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fakeValue, makeWorld, World } from './serveWorld';

interface RawResponse {
  status: number;
  headers: string;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
}

/** Sends raw bytes and reads until the server closes the socket or `ms` pass. */
function raw(port: number, chunks: (string | Buffer)[], ms = 4000, gapMs = 0): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      const [head = '', body = ''] = got.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      s.destroy();
      resolve({ status, headers: head, body, closed });
    };
    const timer = setTimeout(finish, ms);
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => {
      closed = true;
      finish();
    });
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    void (async () => {
      for (const c of chunks) {
        if (s.destroyed) return;
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    })();
  });
}

/** A well-behaved client: it must still be answered. */
async function stillServing(w: World, name: string, value: string): Promise<void> {
  const r = await w.sm().send(new GetSecretValueCommand({ SecretId: name }));
  assert.equal(r.SecretString, value);
}

/** A client whose request the SDK signs after `mutate` changed it (before signing). */
function tampered(w: World, mutate: (req: { headers: Record<string, string>; body: unknown }) => void): SecretsManagerClient {
  const c = w.sm();
  c.middlewareStack.add(
    (next) => async (args) => {
      const req = (args as unknown as { request: { headers: Record<string, string>; body: unknown } }).request;
      mutate(req);
      if (typeof req.body === 'string') req.headers['content-length'] = String(Buffer.byteLength(req.body));
      return next(args);
    },
    { step: 'build', name: 'hostileRewrite' },
  );
  return c;
}

describe('hush serve under hostile requests', function () {
  this.timeout(120_000);
  let w: World;
  const value = fakeValue('hostile');
  before(async () => {
    w = await makeWorld('embedded', { headersTimeoutMs: 1500, requestTimeoutMs: 3000, maxBodyBytes: 128 * 1024 });
    await w.sm().send(new CreateSecretCommand({ Name: 'app/target', SecretString: value }));
  });
  after(async () => {
    await w?.close();
  });

  it('a body declared larger than the limit is refused before it is read: 413, connection closed', async () => {
    const r = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`]);
    assert.equal(r.status, 413);
    assert.match(r.headers, /x-amzn-ErrorType: RequestEntityTooLargeException/i);
    assert.match(r.body, /"__type":"RequestEntityTooLargeException"/);
    assert.ok(r.closed);
    await stillServing(w, 'app/target', value);
  });

  it('a chunked body that keeps growing is cut off at the limit: 413, connection closed', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const chunks: (string | Buffer)[] = [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nTransfer-Encoding: chunked\r\n\r\n`];
    for (let i = 0; i < 200; i++) chunks.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
    const r = await raw(w.server.port, chunks, 6000, 2);
    assert.equal(r.status, 413);
    assert.ok(r.closed);
    await stillServing(w, 'app/target', value);
  });

  it('an SDK put over the body limit gets RequestEntityTooLargeException', async () => {
    await assert.rejects(w.sm().send(new PutSecretValueCommand({ SecretId: 'app/target', SecretString: 'x'.repeat(200 * 1024) })), (e: Error) => {
      assert.equal(e.name, 'RequestEntityTooLargeException', e.message);
      return true;
    });
    await stillServing(w, 'app/target', value);
  });

  it('malformed JSON, correctly signed, gets SerializationException', async () => {
    const c = tampered(w, (req) => {
      req.body = '{"SecretId": "app/target",';
    });
    await assert.rejects(c.send(new GetSecretValueCommand({ SecretId: 'app/target' })), (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, 'SerializationException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    const notObject = tampered(w, (req) => {
      req.body = '["app/target"]';
    });
    await assert.rejects(notObject.send(new GetSecretValueCommand({ SecretId: 'app/target' })), { name: 'SerializationException' });
    const wrongType = tampered(w, (req) => {
      req.body = '{"SecretId": {"$ne": null}}';
    });
    await assert.rejects(wrongType.send(new GetSecretValueCommand({ SecretId: 'app/target' })), (e: Error) => e.name === 'InvalidParameterException' && /SecretId must be a string/.test(e.message));
    await stillServing(w, 'app/target', value);
  });

  it('unknown operations get UnknownOperationException, signed or not; other methods too', async () => {
    const c = tampered(w, (req) => {
      req.headers['x-amz-target'] = 'secretsmanager.DropEverything';
    });
    await assert.rejects(c.send(new GetSecretValueCommand({ SecretId: 'app/target' })), { name: 'UnknownOperationException' });
    for (const target of ['secretsmanager.__proto__', 'TrentService.constructor', 'Nope.GetSecretValue', 'secretsmanager']) {
      const r = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: ${target}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]);
      assert.equal(r.status, 400, target);
      assert.match(r.body, /"__type":"UnknownOperationException"/, target);
    }
    const get = await raw(w.server.port, ['GET /?Action=GetSecretValue HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
    assert.equal(get.status, 405);
    await stillServing(w, 'app/target', value);
  });

  it('header tricks: control characters are refused by the parser, nothing from the request is echoed, the log stays printable', async () => {
    const esc = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.Get\x1b[2JSecretValue\r\nContent-Length: 2\r\n\r\n{}`]);
    assert.equal(esc.status, 400);
    const split = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\rSet-Cookie: pwned=1\r\nContent-Length: 2\r\n\r\n{}`]);
    assert.equal(split.status, 400);
    assert.doesNotMatch(split.headers, /pwned/);
    const echoed = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nx-amzn-RequestId: attacker-chosen\r\nOrigin: http://evil.example\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]);
    assert.equal(echoed.status, 403);
    assert.doesNotMatch(echoed.headers, /attacker-chosen|evil\.example/);
    const high = await raw(w.server.port, [Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.\xe2\x80\xaeGetSecretValue', 'latin1'), Buffer.from('\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')])]);
    assert.equal(high.status, 400);
    assert.ok(w.log.every((l) => /^[\x20-\x7e]*$/.test(l)), 'every log line is printable ASCII');
    const big = await raw(w.server.port, [`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(32 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`]);
    assert.equal(big.status, 431);
    await stillServing(w, 'app/target', value);
  });

  it('a replayed signed request is refused; the first one was answered', async () => {
    let captured: { path: string; headers: Record<string, string>; body: string } | undefined;
    const c = new SecretsManagerClient({
      endpoint: w.server.url,
      region: 'us-east-1',
      credentials: w.key,
      maxAttempts: 1,
      requestHandler: {
        handle: async (req: { path: string; headers: Record<string, string>; body: string }) => {
          captured = { path: req.path, headers: { ...req.headers }, body: String(req.body) };
          throw new Error('captured');
        },
      } as never,
    });
    await assert.rejects(c.send(new GetSecretValueCommand({ SecretId: 'app/target' })), /captured/);
    const send = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: w.server.port, method: 'POST', path: captured!.path, headers: captured!.headers }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(captured!.body);
      });
    const first = await send();
    assert.equal(first.status, 200);
    assert.equal((JSON.parse(first.body) as { SecretString: string }).SecretString, value);
    const again = await send();
    assert.equal(again.status, 400);
    assert.match(again.body, /"__type":"InvalidSignatureException".*already received/);
  });

  it('slow clients (headers a byte at a time, a trickled body) are cut off; others are served meanwhile', async () => {
    const t0 = Date.now();
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nContent-Length: 400\r\n\r\n`;
    const slowHeaders = Array.from({ length: 20 }, () => raw(w.server.port, [...head].map((ch) => ch), 20_000, 250));
    const slowBodies = Array.from({ length: 5 }, () => raw(w.server.port, [head, ...Array.from({ length: 40 }, () => 'xxxxxxxxxx')], 20_000, 500));
    for (let i = 0; i < 10; i++) await stillServing(w, 'app/target', value);
    const served = Date.now() - t0;
    const results = await Promise.all([...slowHeaders, ...slowBodies]);
    for (const r of results) assert.ok(r.closed, 'the server closed the slow connection');
    assert.ok(results.slice(0, 20).every((r) => r.status === 0 || r.status === 408), 'a slow header gets 408 or a closed socket');
    assert.ok(served < 10_000, `ten requests were answered while slow clients held connections (${served} ms)`);
    await stillServing(w, 'app/target', value);
  });
});
