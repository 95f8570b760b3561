/**
 * `hush serve` as a user runs it (the built CLI, its own process) against
 * clients from Debian's packages: the AWS CLI v2 (`awscli`) and boto3
 * (`python3-boto3`, under Debian's /usr/bin/python3), both installed by
 * scripts/setup.sh. They read the same value the store holds; a wrong secret
 * key is refused with AWS's error; SIGTERM stops the server cleanly.
 */
import assert from 'node:assert/strict';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const AWS = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolvePromise({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

describe('hush serve (the CLI) with the AWS CLI v2 and boto3 from Debian', function () {
  this.timeout(120_000);
  let root: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess;
  let url: string;
  let stderr = '';
  let key: { accessKeyId: string; secretAccessKey: string };
  const value = ['cli', 'value', randomBytes(10).toString('hex')].join('-');

  before(async function () {
    for (const f of [CLI, AWS, PYTHON]) assert.ok(existsSync(f), `${f} is missing: run scripts/setup.sh (it builds dist/ and installs awscli and python3-boto3)`);
    root = mkdtempSync(join(tmpdir(), 'hush-serve-cli-'));
    env = { PATH: process.env.PATH, HOME: root, HUSH_STORE: join(root, 'store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors') };
    assert.equal((await run(process.execPath, [CLI, 'secrets', 'create', 'app/db-password'], env, value)).code, 0);
    const c = await run(process.execPath, [CLI, 'serve', 'credentials', 'create', 'reporting', '--json'], env);
    assert.equal(c.code, 0, c.stderr);
    key = JSON.parse(c.stdout) as typeof key;
    assert.deepEqual(Object.keys(key).sort(), ['accessKeyId', 'secretAccessKey']);
    server = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const [first] = (await once(server.stdout!, 'data')) as [Buffer];
    url = first.toString().trim().split('\n')[0]!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await once(server, 'close');
    }
    rmSync(root, { recursive: true, force: true });
  });

  const clientEnv = (k = key): NodeJS.ProcessEnv => ({
    PATH: '/usr/bin:/bin',
    HOME: root,
    AWS_ACCESS_KEY_ID: k.accessKeyId,
    AWS_SECRET_ACCESS_KEY: k.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  });

  it('aws secretsmanager get-secret-value --endpoint-url reads the value', async () => {
    const version = await run(AWS, ['--version'], clientEnv());
    assert.match(version.stdout + version.stderr, /^aws-cli\/2\./);
    const r = await run(AWS, ['secretsmanager', 'get-secret-value', '--secret-id', 'app/db-password', '--endpoint-url', url, '--output', 'json'], clientEnv());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { SecretString: string; VersionStages: string[]; ARN: string };
    assert.equal(out.SecretString, value);
    assert.deepEqual(out.VersionStages, ['AWSCURRENT']);
    assert.match(out.ARN, /:secret:app\/db-password-[A-Za-z0-9]{6}$/);
  });

  // Debian 12's awscli (2.9) and boto3 (1.26) predate the AWS_ENDPOINT_URL_<SERVICE> variables: they take --endpoint-url / endpoint_url.
  it('the AWS CLI puts a value, boto3 reads it as AWSCURRENT and the old one as AWSPREVIOUS', async () => {
    const next = ['cli', 'next', randomBytes(10).toString('hex')].join('-');
    const put = await run(AWS, ['secretsmanager', 'put-secret-value', '--secret-id', 'app/db-password', '--secret-string', next, '--endpoint-url', url, '--output', 'json'], clientEnv());
    assert.equal(put.code, 0, put.stderr);
    const py = `
import boto3, json
c = boto3.client('secretsmanager', endpoint_url='${url}')
cur = c.get_secret_value(SecretId='app/db-password')
prev = c.get_secret_value(SecretId='app/db-password', VersionStage='AWSPREVIOUS')
print(json.dumps({'cur': cur['SecretString'], 'prev': prev['SecretString'], 'boto3': boto3.__version__}))
`;
    const r = await run(PYTHON, ['-c', py], clientEnv());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { cur: string; prev: string; boto3: string };
    assert.equal(out.cur, next);
    assert.equal(out.prev, value);
  });

  it('boto3 KMS: encrypt and decrypt under the default key', async () => {
    const py = `
import boto3, base64
k = boto3.client('kms', endpoint_url='${url}')
r = k.encrypt(KeyId='alias/hush/default', Plaintext=b'boto3-data', EncryptionContext={'app': 'reporting'})
print(k.decrypt(CiphertextBlob=r['CiphertextBlob'], EncryptionContext={'app': 'reporting'})['Plaintext'].decode())
`;
    const r = await run(PYTHON, ['-c', py], clientEnv());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'boto3-data');
  });

  it('a wrong secret access key is refused with InvalidSignatureException, by both clients', async () => {
    const wrong = { accessKeyId: key.accessKeyId, secretAccessKey: randomBytes(30).toString('base64') };
    const r = await run(AWS, ['secretsmanager', 'get-secret-value', '--secret-id', 'app/db-password', '--endpoint-url', url], clientEnv(wrong));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(InvalidSignatureException\) when calling the GetSecretValue operation: The request signature we calculated does not match/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(value));
    const py = `
import boto3, botocore.exceptions
c = boto3.client('secretsmanager', endpoint_url='${url}')
try:
    c.get_secret_value(SecretId='app/db-password')
    print('READ')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'])
`;
    const b = await run(PYTHON, ['-c', py], clientEnv(wrong));
    assert.equal(b.stdout.trim(), 'InvalidSignatureException 400', b.stderr);
  });

  it('the log has one line per request with the principal, never the value; SIGTERM stops it with exit 0', async () => {
    assert.match(stderr, / app:reporting secretsmanager\.GetSecretValue 200 /);
    assert.match(stderr, / - secretsmanager\.GetSecretValue 400 [\d.]+ms InvalidSignatureException/);
    assert.doesNotMatch(stderr, new RegExp(value));
    server.kill('SIGTERM');
    const [code] = (await once(server, 'close')) as [number];
    assert.equal(code, 0);
    assert.match(stderr, /hush serve: SIGTERM, stopping/);
    assert.match(stderr, /stopped after \d+ requests/);
  });
});
