/**
 * The SigV4 verifier of `hush serve`: AWS's published test-suite signatures
 * (get-vanilla, get-vanilla-query-order-key-case, post-vanilla, get-utf8:
 * AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service"), then
 * requests signed by the real AWS SDK for JavaScript v3 (captured before
 * they are sent), accepted as they are and refused once tampered with,
 * expired, replayed or signed for another service. Also the replay window,
 * ARNs, stage labels and --listen.
 */
import assert from 'node:assert/strict';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { canonicalRequest, parseAmzDate, ReceivedRequest, sha256Hex, signatureOf, SigV4Failure, verify } from '../../shared/serve/sigv4';
import { ReplayWindow } from '../../shared/serve/replayWindow';
import { accountOf, keyArn, parseKeyId, parseSecretId, secretArn, suffixMatches } from '../../shared/serve/arn';
import { stageIn, stageOut } from '../../shared/serve/awsStages';
import { isLoopback, parseListen } from '../../cli/serve';

// The AWS test suite's example credentials (published with the suite; not a real key).
const SUITE_KEY = ['wJalrXUtnFEMI', 'K7MDENG+bPxRfiCYEXAMPLEKEY'].join('/');
const SUITE_SCOPE = { date: '20150830', region: 'us-east-1', service: 'service', signedHeaders: ['host', 'x-amz-date'] };
const SUITE_DATE = '20150830T123600Z';

function suiteRequest(method: string, url: string): ReceivedRequest {
  return { method, url, headers: { host: ['example.amazonaws.com'], 'x-amz-date': [SUITE_DATE] }, body: new Uint8Array() };
}

describe('SigV4: AWS test-suite vectors', () => {
  it('get-vanilla: canonical request and signature', () => {
    const r = suiteRequest('GET', '/');
    assert.equal(canonicalRequest(r, SUITE_SCOPE.signedHeaders, sha256Hex('')), 'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(signatureOf(r, SUITE_SCOPE, SUITE_DATE, SUITE_KEY), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('get-vanilla-query-order-key-case: the query is sorted', () => {
    assert.equal(signatureOf(suiteRequest('GET', '/?Param2=value2&Param1=value1'), SUITE_SCOPE, SUITE_DATE, SUITE_KEY), 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('post-vanilla', () => {
    assert.equal(signatureOf(suiteRequest('POST', '/'), SUITE_SCOPE, SUITE_DATE, SUITE_KEY), '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });

  it('get-utf8: the path is decoded and encoded again', () => {
    assert.equal(signatureOf(suiteRequest('GET', '/%E1%88%B4'), SUITE_SCOPE, SUITE_DATE, SUITE_KEY), '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85');
  });
});

interface Captured {
  received: ReceivedRequest;
  signedAt: number;
}

/** Signs a request with the real SDK and captures it instead of sending it. */
async function sdkSigned(kind: 'sm' | 'kms', secretAccessKey: string, accessKeyId = 'HUSHAAAABBBBCCCCDDDD'): Promise<Captured> {
  let captured: Captured | undefined;
  const requestHandler = {
    handle: async (req: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: string }) => {
      const headers: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = [v];
      captured = { received: { method: req.method, url: req.path, headers, body: Buffer.from(req.body ?? '') }, signedAt: parseAmzDate(headers['x-amz-date']![0]!) };
      throw new Error('captured');
    },
  };
  const config = { endpoint: 'http://127.0.0.1:4597', region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, requestHandler, maxAttempts: 1 };
  const send = kind === 'sm' ? new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: 'app/db' })) : new KMSClient(config).send(new EncryptCommand({ KeyId: 'alias/x', Plaintext: Buffer.from('x') }));
  await send.catch((e: Error) => assert.equal(e.message, 'captured'));
  return captured!;
}

async function refused(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SigV4Failure, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('SigV4: requests signed by the AWS SDK for JavaScript v3', () => {
  const secret = ['test', 'secret', 'key', 'for', 'the', 'sdk'].join('-');
  const lookup = (id: string) => async (k: string) => (k === id ? Buffer.from(secret) : undefined);

  it('are accepted as signed, naming the key, region and service', async () => {
    const c = await sdkSigned('sm', secret);
    const v = await verify(c.received, { service: 'secretsmanager', now: c.signedAt, secretOf: lookup('HUSHAAAABBBBCCCCDDDD') });
    assert.deepEqual([v.accessKeyId, v.region, v.service], ['HUSHAAAABBBBCCCCDDDD', 'us-east-1', 'secretsmanager']);
    assert.ok(c.received.headers['x-amz-target'], 'the target header is part of the request');
  });

  it('are refused with another secret, another body, another target, or for another service', async () => {
    const c = await sdkSigned('sm', secret);
    const o = { service: 'secretsmanager', now: c.signedAt };
    await refused(verify(c.received, { ...o, secretOf: async () => Buffer.from(secret + 'x') }), 'InvalidSignatureException', /does not match/);
    await refused(verify({ ...c.received, body: Buffer.from('{"SecretId":"app/other"}') }, { ...o, secretOf: lookup('HUSHAAAABBBBCCCCDDDD') }), 'InvalidSignatureException');
    await refused(verify({ ...c.received, headers: { ...c.received.headers, 'x-amz-target': ['secretsmanager.DeleteSecret'] } }, { ...o, secretOf: lookup('HUSHAAAABBBBCCCCDDDD') }), 'InvalidSignatureException');
    const k = await sdkSigned('kms', secret);
    await refused(verify(k.received, { service: 'secretsmanager', now: k.signedAt, secretOf: lookup('HUSHAAAABBBBCCCCDDDD') }), 'InvalidSignatureException', /scoped to correct service/);
  });

  it('are refused more than five minutes from our clock, either way, and for an unknown key', async () => {
    const c = await sdkSigned('sm', secret);
    const secretOf = lookup('HUSHAAAABBBBCCCCDDDD');
    await verify(c.received, { service: 'secretsmanager', now: c.signedAt + 4 * 60_000, secretOf });
    await refused(verify(c.received, { service: 'secretsmanager', now: c.signedAt + 6 * 60_000, secretOf }), 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    await refused(verify(c.received, { service: 'secretsmanager', now: c.signedAt - 6 * 60_000, secretOf }), 'InvalidSignatureException', /not yet current/);
    await refused(verify(c.received, { service: 'secretsmanager', now: c.signedAt, secretOf: lookup('HUSHOTHERKEYOTHERKEY') }), 'UnrecognizedClientException');
  });

  it('unsigned, malformed or half-signed requests get the matching error', async () => {
    const c = await sdkSigned('sm', secret);
    const o = { service: 'secretsmanager', now: c.signedAt, secretOf: lookup('HUSHAAAABBBBCCCCDDDD') };
    const without = { ...c.received.headers };
    delete without.authorization;
    await refused(verify({ ...c.received, headers: without }, o), 'MissingAuthenticationTokenException');
    await refused(verify({ ...c.received, headers: { ...without, authorization: ['Basic dXNlcjpwYXNz'] } }, o), 'IncompleteSignatureException');
    const auth = c.received.headers.authorization![0]!;
    await refused(verify({ ...c.received, headers: { ...without, authorization: [auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type')] } }, o), 'IncompleteSignatureException', /host/);
    await refused(verify({ ...c.received, headers: { ...c.received.headers, 'x-amz-content-sha256': ['UNSIGNED-PAYLOAD'] } }, o), 'InvalidSignatureException', /unsigned payloads/);
  });
});

describe('the replay window', () => {
  it('admits a signature once within its window, again after it, and stays bounded', () => {
    const w = new ReplayWindow(300_000, 3);
    const t = 1_000_000;
    assert.equal(w.admit('a'.repeat(64), t, t), true);
    assert.equal(w.admit('a'.repeat(64), t, t + 1000), false);
    assert.equal(w.admit('a'.repeat(64), t, t + 300_001), true, 'expired entries are forgotten (the date check refuses such requests anyway)');
    for (const c of 'bcd') w.admit(c.repeat(64), t + 300_001, t + 300_001);
    assert.equal(w.size, 3);
    assert.equal(w.droppedEarly, 1);
  });
});

describe('ARNs and stage labels', () => {
  const store = '6a0f4a4e-7b8d-4a64-9d7c-3f0e8a1b2c3d';
  const s = { id: '11111111-2222-4333-8444-555555555555', name: 'prod/db' };

  it('a secret ARN is stable, parses back, and checks its suffix', () => {
    const arn = secretArn(store, s);
    assert.equal(arn, secretArn(store, s));
    assert.match(arn, new RegExp(`^arn:aws:secretsmanager:hush:${accountOf(store)}:secret:prod/db-[A-Za-z0-9]{6}$`));
    const r = parseSecretId(store, arn)!;
    assert.equal(r.ref, 'prod/db');
    assert.ok(suffixMatches(r, s.id));
    assert.ok(!suffixMatches(r, '99999999-2222-4333-8444-555555555555'));
    assert.deepEqual(parseSecretId(store, arn.slice(0, -7)), { ref: 'prod/db' });
    assert.deepEqual(parseSecretId(store, 'prod/db'), { ref: 'prod/db' });
    assert.equal(parseSecretId('another-store', arn), undefined);
  });

  it('key ARNs and alias ARNs resolve to key ids and aliases', () => {
    assert.equal(parseKeyId(store, keyArn(store, 'k-1')), 'k-1');
    assert.equal(parseKeyId(store, `arn:aws:kms:us-east-1:${accountOf(store)}:alias/app`), 'alias/app');
    assert.equal(parseKeyId(store, 'arn:aws:kms:us-east-1:123456789012:key/k-1'), undefined);
    assert.equal(parseKeyId(store, 'alias/app'), 'alias/app');
  });

  it('AWSCURRENT, AWSPREVIOUS and AWSPENDING map to CURRENT, PREVIOUS and PENDING both ways; others pass', () => {
    for (const [aws, hush] of [
      ['AWSCURRENT', 'CURRENT'],
      ['AWSPREVIOUS', 'PREVIOUS'],
      ['AWSPENDING', 'PENDING'],
      ['blue', 'blue'],
    ]) {
      assert.equal(stageIn(aws!), hush);
      assert.equal(stageOut(hush!), aws);
    }
  });
});

describe('hush serve --listen', () => {
  it('parses HOST:PORT, [IPv6]:PORT and PORT; knows loopback', () => {
    assert.deepEqual(parseListen('127.0.0.1:4597'), { host: '127.0.0.1', port: 4597 });
    assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
    assert.deepEqual(parseListen('8080'), { host: '127.0.0.1', port: 8080 });
    assert.throws(() => parseListen('host:99999'), { code: 'InvalidArgument' });
    assert.throws(() => parseListen('::1:80'), { code: 'InvalidArgument' });
    for (const h of ['127.0.0.1', '127.8.9.1', '::1', 'localhost']) assert.ok(isLoopback(h), h);
    for (const h of ['0.0.0.0', '10.1.2.3', '::', 'example.com']) assert.ok(!isLoopback(h), h);
  });
});
