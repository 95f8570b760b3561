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
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol/node';
import { spawnSync } from 'node:child_process';
import { coreRequest, MoveCommandArgs, MoveRequest, NameConflict } from '../../shared/protocol';
import { openStore } from '../../shared/compose/openStore';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

const KEY = fakeAwsAccessKeyId('M4XRT2PQZ7LKW3VB');
const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** The new text of .hush.json in an applied workspace edit, if the edit changes it. */
function manifestText(p: ApplyWorkspaceEditParams): string | undefined {
  const c = (p.edit.documentChanges ?? []).find((x) => TextDocumentEdit.is(x) && x.textDocument.uri.endsWith('/.hush.json')) as TextDocumentEdit | undefined;
  return c?.edits[0]?.newText;
}

describe('Move to Secrets Manager over LSP', () => {
  let root: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  let client: LspTestClient;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'myapp-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-store-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    ({ client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: true, savesManifest: true } }));
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

  /** How many versions a secret has (0: no such secret). */
  async function versions(name: string): Promise<number> {
    const o = await openStore({ path: store, env, create: false });
    try {
      return (await o.manager.describeSecret(name)).versions.length;
    } catch {
      return 0;
    } finally {
      await o.manager.close();
    }
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
    // The manifest did not exist: it is created empty on disk, and the edit (one undo with the code) fills it.
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.hush.json'), 'utf8')), { env: {} });
    assert.equal(changes.length, 2);
    const manifest = (changes[1] as TextDocumentEdit).edits[0].newText;
    assert.deepEqual(JSON.parse(manifest), { env: { AWS_ACCESS_KEY_ID: 'myapp/AWS_ACCESS_KEY_ID' } });
    assert.ok(!fs.readdirSync(store).some((f) => fs.readFileSync(path.join(store, f)).includes(KEY)), 'no plaintext in the store');
  });

  it('keeps the secret when the edit is refused; the same value moved again reuses it, with no question and no new version', async () => {
    const { uri, actions } = await openWithKey('a.js', 'javascript', `const k = '${KEY}';\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const params = { uri, version: args.version, range: args.range, envVar: 'K', secretName: 'shared/K' };
    client.applyEdit = () => ({ applied: false, failureReason: 'the file is read-only' });
    const first = await client.connection.sendRequest(MoveRequest, params);
    assert.equal(first.applied, false);
    assert.equal(await storedValue('shared/K'), KEY, 'the stored version is kept');
    assert.ok(client.messages.some((m) => m.message.includes('did not apply') && m.message.includes('read-only')));

    client.applyEdit = () => ({ applied: true });
    client.messages.length = 0;
    const second = await client.connection.sendRequest(MoveRequest, params);
    assert.equal(second.applied, true);
    assert.equal(second.reused, true, 'the stored value is reused');
    assert.equal(second.versionId, first.versionId, 'no new version');
    assert.equal(second.created, false);
    assert.deepEqual(client.messages, [], 'nothing asked, nothing shown');
    assert.equal(await versions('shared/K'), 1);
  });

  it('a name that holds another value is refused before anything is stored, with a free name to suggest; never a question that can hang', async () => {
    const other = fakeAwsAccessKeyId('Q7RTX2MPZK4LW6VN');
    const a = await openWithKey('a.py', 'python', `KEY = "${KEY}"\n`);
    const b = await openWithKey('b.py', 'python', `KEY = "${other}"\n`);
    const argsA = a.actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const argsB = b.actions[0].command?.arguments?.[0] as MoveCommandArgs;
    assert.equal(argsA.secretName, argsB.secretName, 'both findings want the same name');
    // Both at once, as two quick fixes run back to back: both settle.
    const both = await Promise.allSettled([
      client.connection.sendRequest(MoveRequest, { uri: a.uri, version: 1, range: argsA.range, envVar: argsA.envVar, secretName: argsA.secretName }),
      client.connection.sendRequest(MoveRequest, { uri: b.uri, version: 1, range: argsB.range, envVar: argsB.envVar, secretName: argsB.secretName }),
    ]);
    const done = both.filter((r) => r.status === 'fulfilled');
    const refused = both.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(done.length, 1);
    assert.equal(refused.length, 1);
    const e = refused[0].reason as { message: string; data: NameConflict };
    assert.match(e.message, /SecretExists: a secret named .*AWS_ACCESS_KEY_ID already holds another value\. Nothing was stored and the code is unchanged/);
    assert.equal(e.data.code, 'SecretExists');
    assert.equal(e.data.suggestedSecretName, `${argsA.secretName}_2`);
    assert.equal(e.data.suggestedEnvVar, 'AWS_ACCESS_KEY_ID_2');
    assert.equal(client.appliedEdits.length, 1, 'the refused move edited nothing');
    assert.ok(!client.messages.some((m) => 'actions' in m), 'no question was sent to the editor');
    assert.equal(await versions(argsA.secretName), 1, 'nothing stored for the refused one');

    // The user takes the suggestion: stored under it, read from its own variable, mapped beside the first.
    const loser = both[0].status === 'rejected' ? { doc: a, args: argsA, value: KEY } : { doc: b, args: argsB, value: other };
    const r = await client.connection.sendRequest(MoveRequest, { uri: loser.doc.uri, version: 1, range: loser.args.range, envVar: e.data.suggestedEnvVar, secretName: e.data.suggestedSecretName });
    assert.equal(r.created, true);
    assert.equal(await storedValue(e.data.suggestedSecretName), loser.value);
    assert.deepEqual(JSON.parse(manifestText(client.appliedEdits[client.appliedEdits.length - 1])!).env.AWS_ACCESS_KEY_ID_2, e.data.suggestedSecretName);
  });

  it('"new version" stores the value as the existing secret\'s CURRENT; a variable mapped to another secret is refused with a free one', async () => {
    const other = fakeAwsAccessKeyId('Q7RTX2MPZK4LW6VN');
    const a = await openWithKey('a.py', 'python', `KEY = "${KEY}"\n`);
    const args = a.actions[0].command?.arguments?.[0] as MoveCommandArgs;
    await client.connection.sendRequest(MoveRequest, { uri: a.uri, version: 1, range: args.range, envVar: 'KEY_A', secretName: 'team/KEY' });
    const b = await openWithKey('b.py', 'python', `KEY = "${other}"\n`);
    const argsB = b.actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const r = await client.connection.sendRequest(MoveRequest, { uri: b.uri, version: 1, range: argsB.range, envVar: 'KEY_B', secretName: 'team/KEY', onExisting: 'newVersion' });
    assert.equal(r.created, false);
    assert.equal(r.reused, false);
    assert.equal(await storedValue('team/KEY'), other);
    assert.equal(await versions('team/KEY'), 2);

    fs.writeFileSync(path.join(root, '.hush.json'), JSON.stringify({ env: { KEY_C: 'elsewhere/secret' } }));
    // An editor reports the change on disk (the client watches .hush.json).
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${path.join(root, '.hush.json')}`, type: FileChangeType.Changed }] });
    const c = await openWithKey('c.py', 'python', `KEY = "${fakeAwsAccessKeyId('B2CD3EF4GH5JK6LM')}"\n`);
    const argsC = c.actions[0].command?.arguments?.[0] as MoveCommandArgs;
    await assert.rejects(
      client.connection.sendRequest(MoveRequest, { uri: c.uri, version: 1, range: argsC.range, envVar: 'KEY_C', secretName: 'team/KEY_C' }),
      (err: { message: string; data: NameConflict }) => {
        assert.match(err.message, /VariableTaken: KEY_C already reads elsewhere\/secret in \.hush\.json/);
        assert.deepEqual([err.data.code, err.data.mappedTo, err.data.suggestedEnvVar, err.data.suggestedSecretName], ['VariableTaken', 'elsewhere/secret', 'KEY_C_2', 'team/KEY_C_2']);
        return true;
      },
    );
    assert.equal(await versions('team/KEY_C'), 0, 'nothing stored');
  });

  it('a literal equal to a stored secret is replaced by a lookup of that secret, not stored again', async () => {
    const value = `pw-${randomBytes(10).toString('hex')}`;
    const o = await openStore({ path: store, env });
    await o.manager.createSecret({ name: 'prod/DB_PASSWORD', value });
    await o.manager.close();
    fs.writeFileSync(path.join(root, '.hush.json'), JSON.stringify({ env: { DATABASE_PASSWORD: 'prod/DB_PASSWORD' } }));
    await client.connection.sendRequest(coreRequest('secrets/list'), {}); // the server matches literals once it opened the store
    const uri = `file://${path.join(root, 'db.py')}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: `password = "${value}"\n` } });
    const diags = await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'known-secret'), 15_000);
    const d = diags.diagnostics.find((x) => x.code === 'known-secret')!;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    assert.equal(actions[0].title, 'Replace with a lookup of the stored secret prod/DB_PASSWORD');
    assert.ok(!actions.some((x) => x.title.startsWith('Move to Secrets Manager')), 'no offer to store it again');
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const r = await client.connection.sendRequest(MoveRequest, { uri, version: 1, range: args.range, envVar: args.envVar, secretName: args.secretName });
    assert.deepEqual([r.reused, r.created, r.secretName, r.envVar], [true, false, 'prod/DB_PASSWORD', 'DATABASE_PASSWORD'], 'the variable the manifest already maps to it');
    assert.equal(r.lookup, 'os.environ["DATABASE_PASSWORD"]');
    assert.equal(await versions('prod/DB_PASSWORD'), 1, 'not stored again');
    assert.equal(manifestText(client.appliedEdits[client.appliedEdits.length - 1]), undefined, 'the manifest already maps it: left alone');

    // Asked to store it under another name (the quick fix of a rule's finding would be): still the stored secret.
    const uri2 = `file://${path.join(root, 'db2.py')}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri2, languageId: 'python', version: 1, text: `password = "${value}"\n` } });
    await client.waitForDiagnostics(uri2, (x) => x.diagnostics.length > 0);
    const again = await client.connection.sendRequest(MoveRequest, { uri: uri2, version: 1, range: args.range, envVar: 'PASSWORD', secretName: 'myapp/PASSWORD' });
    assert.deepEqual([again.reused, again.secretName, again.envVar], [true, 'prod/DB_PASSWORD', 'DATABASE_PASSWORD']);
    assert.equal(await versions('myapp/PASSWORD'), 0, 'no second copy under the asked name');
  });

  it('in Restricted Mode a move stores nothing and says why', async () => {
    await client.stop();
    ({ client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: false } }));
    const { uri, actions } = await openWithKey('r.js', 'javascript', `const k = '${KEY}';\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    await assert.rejects(
      client.connection.sendRequest(MoveRequest, { uri, version: 1, range: args.range, envVar: args.envVar, secretName: args.secretName }),
      /UntrustedWorkspace: in Restricted Mode Hush only detects credentials\. Trust this workspace to move secrets into your store; nothing was stored/,
    );
    assert.equal(fs.existsSync(path.join(store, 'store.json')), false, 'the store was not even opened');
    assert.equal(client.appliedEdits.length, 0);
  });

  it('for an editor that does not save it (no savesManifest), the server writes .hush.json to disk itself, and hush run works at once', async () => {
    await client.stop();
    ({ client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: true } }));
    const { uri, actions } = await openWithKey('app.js', 'javascript', `const k = '${KEY}';\n`);
    const args = actions[0].command?.arguments?.[0] as MoveCommandArgs;
    const r = await client.connection.sendRequest(MoveRequest, { uri, version: 1, range: args.range, envVar: 'AWS_KEY', secretName: 'app/AWS_KEY' });
    assert.equal(r.applied, true);
    const changes = client.appliedEdits[0].edit.documentChanges ?? [];
    assert.equal(changes.length, 1, 'the edit holds the code only');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.hush.json'), 'utf8')), { env: { AWS_KEY: 'app/AWS_KEY' } });
    const run = spawnSync(process.execPath, [CLI, 'run', '--yes', '--', process.execPath, '-e', 'process.exit(process.env.AWS_KEY ? 0 : 3)'], {
      cwd: root,
      env: { ...process.env, ...env, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'hush-config-')) },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
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
