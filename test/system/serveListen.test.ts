/**
 * Where `hush serve` (the CLI) listens: loopback by default; another address
 * is refused without TLS, served with a warning under --insecure-listen, and
 * served over HTTPS with --tls-cert/--tls-key (a throwaway self-signed
 * certificate made with openssl here), which the AWS SDK then reaches.
 * Every connection in this test goes to 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const CLI = resolve(__dirname, '../../../dist/cli.js');

describe('hush serve --listen, --insecure-listen and TLS', function () {
  this.timeout(60_000);
  let root: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  const value = ['tls', 'value', randomBytes(8).toString('hex')].join('-');

  before(() => {
    root = fs.mkdtempSync(join(tmpdir(), 'hush-serve-listen-'));
    env = { ...process.env, HUSH_STORE: join(root, 'store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors'), XDG_RUNTIME_DIR: root };
    execFileSync(process.execPath, [CLI, 'secrets', 'create', 'app/tls'], { env, input: value, stdio: ['pipe', 'ignore', 'ignore'] });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function serve(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
    const child = spawn(process.execPath, [CLI, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const [first] = (await once(child.stdout!, 'data')) as [Buffer];
    return { child, url: first.toString().trim(), stderr: () => err };
  }

  it('refuses a non-loopback address without TLS, saying what to do', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--listen', '0.0.0.0:0'], { env, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^hush: InvalidArgument: 0\.0\.0\.0 is not a loopback address: serving it needs TLS \(--tls-cert FILE --tls-key FILE\), or --insecure-listen/);
    const half = spawnSync(process.execPath, [CLI, 'serve', '--tls-cert', 'x.pem'], { env, encoding: 'utf8' });
    assert.match(half.stderr, /give both --tls-cert and --tls-key/);
  });

  it('--insecure-listen serves another address with a warning in the banner', async () => {
    const s = await serve(['--listen', '0.0.0.0:0', '--insecure-listen']);
    assert.match(s.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(s.stderr(), /WARNING: 0\.0\.0\.0 is not loopback and there is no TLS/);
    s.child.kill('SIGTERM');
    assert.deepEqual(await once(s.child, 'close'), [0, null]);
  });

  it('serves HTTPS with --tls-cert/--tls-key; the AWS SDK reaches it trusting that certificate', async function () {
    const key = join(root, 'key.pem');
    const cert = join(root, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const s = await serve(['--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const k = JSON.parse(execFileSync(process.execPath, [CLI, 'serve', 'credentials', 'create', 'tls-app', '--json'], { env, encoding: 'utf8' })) as { accessKeyId: string; secretAccessKey: string };
    const sdk = new SecretsManagerClient({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: k,
      maxAttempts: 1,
      requestHandler: { httpsAgent: new https.Agent({ ca: fs.readFileSync(cert) }) },
    });
    assert.equal((await sdk.send(new GetSecretValueCommand({ SecretId: 'app/tls' }))).SecretString, value);
    sdk.destroy();
    const untrusting = new SecretsManagerClient({ endpoint: s.url, region: 'us-east-1', credentials: k, maxAttempts: 1 });
    await assert.rejects(untrusting.send(new GetSecretValueCommand({ SecretId: 'app/tls' })), /self[- ]signed|certificate/i);
    untrusting.destroy();
    s.child.kill('SIGTERM');
    assert.deepEqual(await once(s.child, 'close'), [0, null]);
  });
});
