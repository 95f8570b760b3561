/**
 * The editor's *Start / Stop Local Secrets Server* through the built language
 * server and a real LSP client: `hush serve` inside the language server on
 * its open store answers the AWS SDK; the status reports it, and also a
 * `hush serve` that the CLI runs for the same store in another process.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { coreRequest, ServeStartRequest, ServeStatusRequest, ServeStopRequest } from '../../shared/protocol';
import { LspTestClient } from '../support/lspClient';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('hush serve started from the editor (over LSP)', function () {
  this.timeout(60_000);
  let root: string;
  let env: NodeJS.ProcessEnv;
  let client: LspTestClient;
  let cliServer: ChildProcess | undefined;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-serve-lsp-'));
    fs.mkdirSync(path.join(root, 'run'), { mode: 0o700 });
    env = { HUSH_STORE: path.join(root, 'store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: path.join(root, 'anchors'), XDG_RUNTIME_DIR: path.join(root, 'run') };
    ({ client } = await LspTestClient.start({ rootPath: root, env }));
  });

  afterEach(async () => {
    if (cliServer && cliServer.exitCode === null) {
      cliServer.kill('SIGKILL');
      await once(cliServer, 'close');
    }
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts on the open store, answers the AWS SDK, reports requests, and stops', async () => {
    assert.deepEqual(await client.connection.sendRequest(ServeStatusRequest, {}), { running: false }, 'a store not opened yet is not opened by a status poll');
    const value = ['lsp', 'served', randomBytes(8).toString('hex')].join('-');
    await client.connection.sendRequest(coreRequest('secrets/create'), { name: 'app/token', value });
    // The access key comes from the CLI, another process on the same store.
    const key = JSON.parse(execFileSync(process.execPath, [CLI, 'serve', 'credentials', 'create', 'web', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' })) as { accessKeyId: string; secretAccessKey: string };

    const started = await client.connection.sendRequest(ServeStartRequest, { port: 0 });
    assert.equal(started.running, true);
    assert.equal(started.inEditor, true);
    assert.match(started.url!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(started.liveKeys, 1);

    const sdk = new SecretsManagerClient({ endpoint: started.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
    assert.equal((await sdk.send(new GetSecretValueCommand({ SecretId: 'app/token' }))).SecretString, value);
    const status = await client.connection.sendRequest(ServeStatusRequest, {});
    assert.equal(status.requests, 1);
    assert.equal((await client.connection.sendRequest(ServeStartRequest, { port: 0 })).url, started.url, 'starting again keeps the running server');

    assert.deepEqual(await client.connection.sendRequest(ServeStopRequest, {}), { running: false });
    await assert.rejects(sdk.send(new GetSecretValueCommand({ SecretId: 'app/token' })), (e: Error & { code?: string }) => /ECONNREFUSED/.test(`${e.code} ${e.message}`));
    sdk.destroy();
    assert.equal((await client.connection.sendRequest(ServeStatusRequest, {})).running, false);
  });

  it('reports a hush serve that the CLI runs for the same store, and forgets it when it stops', async () => {
    await client.connection.sendRequest(coreRequest('secrets/create'), { name: 'app/x', value: 'v-' + randomBytes(6).toString('hex') });
    cliServer = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    const [first] = (await once(cliServer.stdout!, 'data')) as [Buffer];
    const url = first.toString().trim();
    const s = await client.connection.sendRequest(ServeStatusRequest, {});
    assert.deepEqual([s.running, s.inEditor, s.url, s.pid], [true, false, url, cliServer.pid]);
    cliServer.kill('SIGTERM');
    await once(cliServer, 'close');
    assert.equal((await client.connection.sendRequest(ServeStatusRequest, {})).running, false);
  });
});
