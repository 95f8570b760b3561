/**
 * A hostile `.hush/rules.json` in a cloned repository cannot freeze the
 * language server: user regexes run on the linear-time engine, so while the
 * server checks a file against `(a|aa)*b(c)` (35 s per 40-character line on
 * V8's backtracking engine), it keeps answering diagnostics and hovers for
 * other files. Real LSP client over stdio against `dist/server.js`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, HoverRequest, MarkupContent } from 'vscode-languageserver-protocol/node';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

describe('language server: a hostile user rule cannot freeze it', function () {
  this.timeout(30_000);
  let client: LspTestClient;
  let root: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-hostile-'));
    fs.mkdirSync(path.join(root, '.hush'));
    fs.writeFileSync(path.join(root, '.hush', 'rules.json'), JSON.stringify({ rules: [{ id: 'hostile', regex: '(a|aa)*b(c)', keywords: ['a'] }] }));
    ({ client } = await LspTestClient.start({ rootPath: root, settings: { enable: true, severity: 'warning' } }));
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('checks a file full of the rule’s worst case, and answers a hover on another file meanwhile', async () => {
    const hostileUri = `file://${path.join(root, 'hostile.txt')}`;
    const otherUri = `file://${path.join(root, 'app.ts')}`;
    const key = fakeAwsAccessKeyId();
    // 2,000 lines of 40 `a`s: on a backtracking engine, hours of work.
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: hostileUri, languageId: 'plaintext', version: 1, text: `${'a'.repeat(40)}\n`.repeat(2000) + 'x = "aabc"\n' },
    });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: otherUri, languageId: 'typescript', version: 1, text: `export const k = '${key}';\n` },
    });
    const other = await client.waitForDiagnostics(otherUri, (d) => d.diagnostics.length === 1);
    assert.equal(other.diagnostics[0].code, 'aws-access-key-id');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: otherUri }, position: { line: 0, character: 22 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Why: rule `aws-access-key-id` · token prefix `akia`/);
    assert.ok(!value.includes(key));
    // The hostile file was checked too, and its one real match reported.
    const hostile = await client.waitForDiagnostics(hostileUri, (d) => d.diagnostics.length === 1);
    assert.equal(hostile.diagnostics[0].code, 'hostile');
    assert.equal(hostile.diagnostics[0].range.start.line, 2000);
  });
});
