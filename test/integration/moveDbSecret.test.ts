/**
 * The Move quick fix on a PostgreSQL / MySQL connection URL offers the
 * database-credentials form: the whole URL becomes one lookup, the secret
 * holds AWS-shaped JSON the rotators can rotate, and the manifest reads it
 * back as a URL (or a field), which `hush run` hands to the app.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, CodeActionRequest, DidOpenTextDocumentNotification, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { MoveCommandArgs, MoveRequest } from '../../shared/protocol';
import { openStore } from '../../shared/compose/openStore';
import { LspTestClient } from '../support/lspClient';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('Move a connection URL as database credentials (JSON)', function () {
  this.timeout(30_000);
  let root: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  let client: LspTestClient;
  const password = `Pw${randomBytes(9).toString('hex')}`;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-store-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'hush-config-')) };
    ({ client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: true } }));
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  async function actionsFor(name: string, languageId: string, text: string): Promise<{ uri: string; actions: CodeAction[] }> {
    const uri = `file://${path.join(root, name)}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    const diags = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diags.diagnostics[0].range, context: { diagnostics: diags.diagnostics } })) as CodeAction[];
    return { uri, actions };
  }

  it('replaces the whole URL with one lookup, stores the JSON, maps the variable with "format": "url", and hush run gives the URL back', async () => {
    const url = `postgres://shop_app:${password}@db.internal:6432/orders?sslmode=require`;
    const { uri, actions } = await actionsFor('db.py', 'python', `import os\n\nDB = "${url}"\n`);
    const folder = path.basename(root);
    const json = actions.find((a) => a.title.includes('as database credentials'));
    assert.ok(json, actions.map((a) => a.title).join(' | '));
    assert.equal(json.title, `Move the connection URL to Secrets Manager as database credentials (JSON, rotatable) ${folder}/DATABASE_URL`);
    assert.ok(!JSON.stringify(actions).includes(password));
    const args = json.command!.arguments![0] as MoveCommandArgs;
    assert.equal(args.dbJson, true);
    const r = await client.connection.sendRequest(MoveRequest, { uri, version: args.version, range: args.range, envVar: args.envVar, secretName: args.secretName, dbJson: true });
    assert.equal(r.applied, true);

    const changes = client.appliedEdits[0]!.edit.documentChanges!;
    assert.deepEqual((changes[0] as TextDocumentEdit).edits.map((e) => e.newText), ['os.environ["DATABASE_URL"]'], 'the whole literal, once');
    // This client does not save the manifest itself, so the server wrote it to disk.
    const manifest = JSON.parse(fs.readFileSync(path.join(root, '.hush.json'), 'utf8')) as { env: Record<string, unknown> };
    assert.deepEqual(manifest, { env: { DATABASE_URL: { secret: `${folder}/DATABASE_URL`, format: 'url' } } });

    const o = await openStore({ path: store, env, create: false });
    const stored = JSON.parse((await o.manager.getSecretValue(`${folder}/DATABASE_URL`)).secretString!);
    await o.manager.close();
    assert.deepEqual(stored, {
      engine: 'postgres',
      host: 'db.internal',
      port: 6432,
      username: 'shop_app',
      password,
      dbname: 'orders',
      params: { sslmode: 'require' },
      ssl: { rejectUnauthorized: false },
    });

    // The manifest as the edit wrote it, plus a variable reading one field: hush run hands both to the app.
    (manifest.env as Record<string, unknown>).DB_PASSWORD = { secret: `${folder}/DATABASE_URL`, field: 'password' };
    fs.writeFileSync(path.join(root, '.hush.json'), JSON.stringify(manifest));
    const run = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', process.execPath, '-e', 'process.stdout.write(JSON.stringify([process.env.DATABASE_URL, process.env.DB_PASSWORD]))'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [url, password]);
  });

  it('is not offered for other URLs, and a field the secret lacks is named in the error', async () => {
    const { actions } = await actionsFor('cache.py', 'python', `R = "redis://default:${password}@cache.internal:6379/0"\n`);
    assert.ok(actions.length > 0);
    assert.ok(!actions.some((a) => a.title.includes('database credentials')));
    const o = await openStore({ path: store, env });
    await o.manager.createSecret({ name: 'db', value: JSON.stringify({ engine: 'mysql', host: 'h', username: 'u', password }) });
    await o.manager.close();
    fs.writeFileSync(path.join(root, '.hush.json'), JSON.stringify({ env: { X: { secret: 'db', field: 'nope' } } }));
    const run = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', 'true'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /X \(secret db\) has no field "nope"; the fields are engine, host, port, username, password/);
    assert.ok(!run.stderr.includes(password));
  });
});
