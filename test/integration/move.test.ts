/**
 * The Move flow through the built server: quick fix → hush/move → the value
 * in the store (read back through the core) → one workspace edit with the
 * lookup and the manifest.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CompletionItem,
  CompletionRequest,
  HoverRequest,
  MarkupContent,
  CodeAction,
  CodeActionRequest,
  CreateFile,
  DidOpenTextDocumentNotification,
  TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { MoveCommandArgs, MoveRequest } from '../../shared/protocol';
import { openStore } from '../../shared/compose/openStore';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

const KEY = fakeAwsAccessKeyId('M4XRT2PQZ7LKW3VB');

describe('Move to Secrets Manager over LSP', () => {
  let root: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  let client: LspTestClient;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'myapp-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-store-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    ({ client } = await LspTestClient.start({ rootPath: root, env }));
  });

  afterEach(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  async function openWithKey(name: string, languageId: string, text: string): Promise<{ uri: string; actions: CodeAction[] }> {
    const uri = `file://${path.join(root, name)}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    const diags = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diags.diagnostics[0].range,
      context: { diagnostics: diags.diagnostics },
    })) as CodeAction[];
    return { uri, actions };
  }

  async function storedValue(name: string): Promise<string | undefined> {
    const o = await openStore({ path: store, env, create: false });
    try {
      return (await o.manager.getSecretValue(name)).secretString;
    } finally {
      await o.manager.close();
    }
  }

  it('offers the move with a smart default name, and an ignore fix', async () => {
    const { actions } = await openWithKey('config.ts', 'typescript', `export const awsKey = "${KEY}";\n`);
    const folder = path.basename(root);
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        `Move to Secrets Manager as ${folder}/AWS_ACCESS_KEY_ID`,
        'Move to Secrets Manager…',
        'Ignore this finding (// hush:ignore)',
        'Accept this finding in the baseline (.hush/baseline.json)',
        "Ignore rule 'aws-access-key-id' in this workspace",
      ],
    );
    assert.equal(actions[0].isPreferred, true);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    assert.equal(args.masked, 'AKIA…W3VB');
    assert.ok(!JSON.stringify(actions).includes(KEY), 'the key is not in the code actions');
  });

  it('stores the value, then replaces the literal and writes the manifest in one edit', async () => {
    const text = `import os\n\nAWS_KEY = "${KEY}"\n`;
    const { uri, actions } = await openWithKey('settings.py', 'python', text);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const r = await client.connection.sendRequest(MoveRequest, {
      uri,
      version: args.version,
      range: args.range,
      envVar: args.envVar,
      secretName: 'myapp/AWS_ACCESS_KEY_ID',
    });
    assert.equal(r.applied, true);
    assert.equal(r.created, true);
    assert.equal(r.lookup, 'os.environ["AWS_ACCESS_KEY_ID"]');
    assert.equal(await storedValue('myapp/AWS_ACCESS_KEY_ID'), KEY);

    assert.equal(client.appliedEdits.length, 1, 'one workspace edit, so one undo');
    const changes = client.appliedEdits[0].edit.documentChanges ?? [];
    const docEdit = changes[0] as TextDocumentEdit;
    assert.equal(docEdit.textDocument.version, 1, 'the edit is pinned to the version the value came from');
    assert.deepEqual(docEdit.edits.map((e) => e.newText), ['os.environ["AWS_ACCESS_KEY_ID"]']);
    assert.equal((changes[1] as CreateFile).kind, 'create');
    const manifest = (changes[2] as TextDocumentEdit).edits[0].newText;
    assert.deepEqual(JSON.parse(manifest), { env: { AWS_ACCESS_KEY_ID: 'myapp/AWS_ACCESS_KEY_ID' } });
    assert.ok(!fs.readdirSync(store).some((f) => fs.readFileSync(path.join(store, f)).includes(KEY)), 'no plaintext in the store');
  });

  it('asks before putting a new version into an existing secret, and keeps the secret when the edit is refused', async () => {
    const { uri, actions } = await openWithKey('a.js', 'javascript', `const k = '${KEY}';\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const params = { uri, version: args.version, range: args.range, envVar: 'K', secretName: 'shared/K' };
    client.applyEdit = () => ({ applied: false, failureReason: 'the file is read-only' });
    const first = await client.connection.sendRequest(MoveRequest, params);
    assert.equal(first.applied, false);
    assert.equal(await storedValue('shared/K'), KEY, 'the stored version is kept');
    assert.ok(client.messages.some((m) => m.message.includes('did not apply') && m.message.includes('read-only')));

    client.applyEdit = () => ({ applied: true });
    const second = await client.connection.sendRequest(MoveRequest, params);
    assert.equal(second.created, false, 'a new version of the existing secret');
    const question = client.messages.find((m) => m.message.includes('already exists'));
    assert.ok(question, 'the user was asked');

    client.answer = () => ({ title: 'Cancel' });
    await assert.rejects(client.connection.sendRequest(MoveRequest, params), /Cancelled/);
  });

  it('moves every secret of a file in one edit: repeats of a value read the same variable, one import', async () => {
    const other = fakeAwsAccessKeyId('Q7RTX2MPZK4LW6VN');
    const text = `A = "${KEY}"\nB = "${other}"\nC = "${KEY}"\n`;
    const { uri, actions } = await openWithKey('many.py', 'python', text);
    const all = actions.find((a) => a.command?.command === 'hush.moveAllInFile');
    assert.ok(all, 'a move-all action');
    assert.equal(all.title, 'Move all 2 secrets in this file to Secrets Manager');
    const { MoveAllRequest } = await import('../../shared/protocol');
    const results = await client.connection.sendRequest(MoveAllRequest, { uri, version: 1 });
    assert.deepEqual(results.map((r) => [r.secretName.split('/')[1], r.occurrences, r.applied]), [
      ['AWS_ACCESS_KEY_ID', 2, true],
      ['AWS_ACCESS_KEY_ID_2', 1, true],
    ]);
    assert.equal(client.appliedEdits.length, 1, 'one edit');
    const edits = (client.appliedEdits[0].edit.documentChanges![0] as TextDocumentEdit).edits;
    assert.deepEqual(edits.map((e) => e.newText), ['import os\n', 'os.environ["AWS_ACCESS_KEY_ID"]', 'os.environ["AWS_ACCESS_KEY_ID_2"]', 'os.environ["AWS_ACCESS_KEY_ID"]']);
    assert.equal(await storedValue(results[1].secretName), other);
  });

  it('lists the same value in other files and replaces it there too, in the same edit, per language', async () => {
    fs.writeFileSync(path.join(root, 'worker.py'), `import sys\nKEY = '${KEY}'\n`);
    fs.mkdirSync(path.join(root, 'deploy'));
    fs.writeFileSync(path.join(root, 'deploy', 'prod.env'), `AWS_ACCESS_KEY_ID=${KEY}\n`);
    fs.writeFileSync(path.join(root, 'other.txt'), 'nothing to see\n');
    const { uri, actions } = await openWithKey('app.ts', 'typescript', `export const k = "${KEY}";\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const { OccurrencesRequest } = await import('../../shared/protocol');
    const others = await client.connection.sendRequest(OccurrencesRequest, { uri, version: 1, range: args.range });
    assert.deepEqual(others.map((o) => [path.relative(root, new URL(o.uri).pathname), o.line]).sort(), [['deploy/prod.env', 0], ['worker.py', 1]]);
    const r = await client.connection.sendRequest(MoveRequest, { uri, version: 1, range: args.range, envVar: 'AWS_ACCESS_KEY_ID', secretName: 'x/AWS_ACCESS_KEY_ID', alsoIn: others.map((o) => o.uri) });
    assert.equal(r.occurrences, 3);
    const changes = client.appliedEdits[0].edit.documentChanges!.filter((c) => TextDocumentEdit.is(c)) as TextDocumentEdit[];
    const byFile = new Map(changes.map((c) => [path.relative(root, new URL(c.textDocument.uri).pathname), c.edits.map((e) => e.newText)]));
    assert.deepEqual(byFile.get('app.ts'), ['process.env.AWS_ACCESS_KEY_ID']);
    assert.deepEqual(byFile.get('worker.py'), ['import os\n', 'os.environ["AWS_ACCESS_KEY_ID"]']);
    assert.deepEqual(byFile.get('deploy/prod.env'), ['${AWS_ACCESS_KEY_ID}']);
    assert.equal(changes.find((c) => c.textDocument.uri.endsWith('worker.py'))?.textDocument.version, null, 'an unopened file is edited without a version');
  });

  it('refuses a stale document version without storing anything', async () => {
    const { uri, actions } = await openWithKey('b.js', 'javascript', `const k = '${KEY}';\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    await assert.rejects(
      client.connection.sendRequest(MoveRequest, { uri, version: 99, range: args.range, envVar: 'K', secretName: 'b/K' }),
      /document changed/,
    );
    assert.equal(fs.existsSync(path.join(store, 'store.json')), false, 'the store was not even opened');
  });
});

describe('after the move: lookups the manifest knows', () => {
  let root: string;
  let store: string;
  let client: LspTestClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'refs-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-refs-store-'));
    const env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    const o = await openStore({ path: store, env });
    await o.manager.createSecret({ name: 'app/DB_PASSWORD', description: 'primary database', value: 'db-value-424242' });
    await o.manager.close();
    fs.writeFileSync(path.join(root, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'app/DB_PASSWORD', GONE: 'app/GONE' } }));
    ({ client } = await LspTestClient.start({ rootPath: root, env }));
  });

  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  it('hovers process.env.DB_PASSWORD with the secret metadata and links, never the value', async () => {
    const uri = `file://${path.join(root, 'db.js')}`;
    const text = 'const pw = process.env.DB_PASSWORD;\n';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 26 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /comes from the secret `app\/DB_PASSWORD`/);
    assert.match(value, /primary database/);
    assert.match(value, /CURRENT/);
    assert.match(value, /command:hush\.secret\.reveal/);
    assert.ok(!value.includes('db-value-424242'));
  });

  it('completes variable names from the manifest inside a lookup', async () => {
    const uri = `file://${path.join(root, 'c.py')}`;
    const text = 'import os\nx = os.environ["D';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
    const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 17 } })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label), ['DB_PASSWORD']);
    assert.match(items[0].detail ?? '', /app\/DB_PASSWORD/);
  });

  it('warns where code reads a variable whose secret does not exist', async () => {
    const uri = `file://${path.join(root, 'gone.go')}`;
    const text = 'package main\nvar a = os.Getenv("DB_PASSWORD")\nvar b = os.Getenv("GONE")\n';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'go', version: 1, text } });
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0].code, 'missing-secret');
    assert.equal(p.diagnostics[0].range.start.line, 2);
    assert.match(p.diagnostics[0].message, /GONE maps to the secret app\/GONE .* does not exist/);
  });
});
