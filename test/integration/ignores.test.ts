/**
 * Silencing a finding from the editor, through the built server: the
 * baseline and rule quick fixes write the folder's .hush files, the server
 * re-reads them, and `hush scan` agrees. Also the workspace scan's progress
 * and cancellation.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  TextDocumentEdit,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageserver-protocol/node';
import { ScanWorkspaceRequest } from '../../shared/protocol';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const KEY = fakeAwsAccessKeyId('W2XQ7RPLM4ZKT6NB');

describe('silencing findings and scanning the workspace', function () {
  this.timeout(30_000);
  let root: string;
  let client: LspTestClient;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-ignores-'));
    ({ client } = await LspTestClient.start({ rootPath: root }));
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function actionsFor(name: string, text: string): Promise<{ uri: string; actions: CodeAction[] }> {
    fs.writeFileSync(path.join(root, name), text);
    const uri = `file://${path.join(root, name)}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.diagnostics[0].range, context: { diagnostics: d.diagnostics } })) as CodeAction[];
    return { uri, actions };
  }

  /** Applies a whole-file edit the way the editor would, and tells the server the file changed. */
  async function applyFileEdit(a: CodeAction, file: string): Promise<void> {
    const edit = a.edit!.documentChanges!.find((c) => TextDocumentEdit.is(c)) as TextDocumentEdit;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, edit.edits[0].newText);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${file}`, type: FileChangeType.Created }] });
  }

  const cliScan = () => spawnSync(process.execPath, [CLI, 'scan', '.'], { cwd: root, encoding: 'utf8' });

  it('"Accept this finding in the baseline" silences it in the editor and in hush scan, by fingerprint', async () => {
    const { uri, actions } = await actionsFor('a.js', `const k = "${KEY}";\n`);
    assert.equal(cliScan().status, 1);
    const accept = actions.find((a) => a.title.startsWith('Accept this finding in the baseline'))!;
    const file = path.join(root, '.hush', 'baseline.json');
    await applyFileEdit(accept, file);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    const baseline = fs.readFileSync(file, 'utf8');
    assert.ok(!baseline.includes(KEY), 'the baseline holds a fingerprint, not the key');
    assert.equal(cliScan().status, 0, 'the CLI reads .hush/baseline.json too');
    fs.appendFileSync(path.join(root, 'a.js'), `const other = "${fakeAwsAccessKeyId('Z3QW7RPLM4XKT6NB')}";\n`);
    assert.equal(cliScan().status, 1, 'a new finding is still reported');
  });

  it('"Ignore rule in this workspace" disables the rule for the folder', async () => {
    const { uri, actions } = await actionsFor('b.js', `const k = "${KEY}";\n`);
    const ignore = actions.find((a) => a.title === "Ignore rule 'aws-access-key-id' in this workspace")!;
    const file = path.join(root, '.hush', 'rules.json');
    await applyFileEdit(ignore, file);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { disable: ['aws-access-key-id'] });
    assert.equal(cliScan().status, 0);
  });

  it('reports scan progress and stops when the user cancels', async () => {
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(root, `f${i}.txt`), `line ${i}\n`);
    const pending = client.connection.sendRequest(ScanWorkspaceRequest);
    const deadline = Date.now() + 10_000;
    let token: string | number | undefined;
    while (Date.now() < deadline) {
      token = [...client.progress.entries()].find(([, v]) => v.some((x) => x.kind === 'report'))?.[0];
      if (token !== undefined) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.ok(token !== undefined, 'progress was reported');
    await client.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.ok(r.filesScanned < 400, `${r.filesScanned} files scanned before the cancel took effect`);
    const events = client.progress.get(token)!;
    assert.equal(events[0].kind, 'begin');
    assert.equal(events[events.length - 1].kind, 'end');
  });
});
