/**
 * The built language server (`dist/server.js --stdio`) driven by a real LSP
 * client: what any editor would see.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest, MarkupContent } from 'vscode-languageserver-protocol/node';
import { ScanWorkspaceRequest, StatusRequest } from '../../shared/protocol';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

const KEY = fakeAwsAccessKeyId();
const MASKED = `${KEY.slice(0, 4)}…${KEY.slice(-4)}`;

describe('language server over stdio', () => {
  let client: LspTestClient;
  let root: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-lsp-'));
    fs.writeFileSync(path.join(root, 'settings.py'), `AWS_KEY = "${KEY}"\n`);
    fs.writeFileSync(path.join(root, 'clean.py'), 'print("hello")\n');
    fs.writeFileSync(path.join(root, 'blob.bin'), Buffer.from([0, 1, 2, 0, 65, 75]));
    ({ client } = await LspTestClient.start({ rootPath: root, settings: { enable: true, severity: 'error' } }));
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers initialize with its capabilities and version', async () => {
    const { client: c, init } = await LspTestClient.start();
    try {
      assert.equal(init.serverInfo?.name, 'hush');
      assert.match(init.serverInfo?.version ?? '', /^\d+\.\d+\.\d+/);
      assert.equal(init.capabilities.hoverProvider, true);
    } finally {
      await c.stop();
    }
  });

  it('publishes a masked diagnostic at the exact span of the key', async () => {
    const uri = 'file:///virtual/config.js';
    const text = `// config\nconst key = "${KEY}";\n`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'javascript', version: 1, text },
    });
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    assert.equal(p.diagnostics.length, 1);
    const d = p.diagnostics[0];
    assert.equal(d.source, 'hush');
    assert.equal(d.code, 'aws-access-key-id');
    assert.equal(d.severity, DiagnosticSeverity.Error, 'severity comes from the client settings');
    assert.deepEqual(d.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 13 + KEY.length } });
    assert.ok(d.message.includes(MASKED), d.message);
    assert.ok(!d.message.includes(KEY), 'the message must not contain the key');
  });

  it('clears the diagnostic when the key is edited away, and re-reports when it comes back', async () => {
    const uri = 'untitled:Untitled-1';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: `x = ${KEY}` },
    });
    await client.waitForDiagnostics(uri, (d) => d.version === 1 && d.diagnostics.length === 1);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 + KEY.length } }, text: 'os.environ["K"]' }],
    });
    await client.waitForDiagnostics(uri, (d) => d.version === 2 && d.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: `y = "${KEY}" # hush:ignore\nz = "${KEY}"` }],
    });
    const p = await client.waitForDiagnostics(uri, (d) => d.version === 3);
    assert.equal(p.diagnostics.length, 1, 'the ignored line is not reported');
    assert.equal(p.diagnostics[0].range.start.line, 1);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await client.waitForDiagnostics(uri, (d) => d.version === undefined && d.diagnostics.length === 0);
  });

  it('debounces per document: 1,000 rapid changes give a handful of publishes, the last one for the final text', async () => {
    const uri = 'file:///virtual/typing.ts';
    const lines = Array.from({ length: 2000 }, (_, i) => `export const v${i} = ${i};`);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text: `const k = "${KEY}";\n${lines.join('\n')}\n` },
    });
    await client.waitForDiagnostics(uri, (d) => d.version === 1 && d.diagnostics.length === 1);
    const before = client.published(uri).length;
    const other = 'file:///virtual/other.ts';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: other, languageId: 'typescript', version: 1, text: `k = "${KEY}"` } });
    for (let v = 2; v <= 1000; v++) {
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x' }],
      });
    }
    // The 1,000th change removes the key: only a scan of the final text publishes no finding.
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 1001 },
      contentChanges: [{ range: { start: { line: 0, character: 11 }, end: { line: 0, character: 11 + KEY.length } }, text: 'redacted' }],
    });
    const last = await client.waitForDiagnostics(uri, (d) => d.version === 1001);
    assert.deepEqual(last.diagnostics, [], 'the last publish is for the final text');
    await new Promise((r) => setTimeout(r, 600)); // nothing may follow it
    const after = client.published(uri).slice(before);
    console.log(`      1,000 changes → ${after.length} publishDiagnostics`);
    assert.ok(after.length <= 12, `${after.length} publishes for 1,000 changes`);
    assert.equal(after[after.length - 1].version, 1001, 'no publish after the final one');
    assert.ok((await client.waitForDiagnostics(other, (d) => d.version === 1)).diagnostics.length === 1, 'another document opened meanwhile is published at once');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: other } });
  });

  it('hovers a finding with the masked value, never the key', async () => {
    const uri = 'file:///virtual/hover.ts';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text: `export const k = '${KEY}';` },
    });
    await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 1);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 22 },
    });
    const value = (hover?.contents as MarkupContent).value;
    assert.ok(value.includes(MASKED), value);
    assert.ok(value.includes('AWS access key ID'), value);
    assert.ok(!value.includes(KEY));
    const none = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(none, null);
  });

  it('answers hush/status with its version and the findings in open documents', async () => {
    const s = await client.connection.sendRequest(StatusRequest);
    assert.match(s.version, /^\d+\.\d+\.\d+/);
    assert.ok(s.openDocuments >= 2, `openDocuments ${s.openDocuments}`);
    assert.ok(s.findings >= 2, `findings ${s.findings}`);
  });

  it('scans the workspace on request, publishing for unopened files and skipping binaries', async () => {
    const r = await client.connection.sendRequest(ScanWorkspaceRequest);
    assert.equal(r.filesScanned, 2);
    assert.equal(r.filesSkipped, 1);
    assert.equal(r.findings, 1);
    const uri = `file://${path.join(root, 'settings.py')}`;
    const p = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 1);
    assert.equal(p.diagnostics[0].range.start.character, 11);
  });

  it('survives a client that answers workspace/configuration with null', async () => {
    const { client: c } = await LspTestClient.start({ settings: null });
    try {
      const uri = 'file:///virtual/null-settings.js';
      await c.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'javascript', version: 1, text: `k="${KEY}"` },
      });
      const p = await c.waitForDiagnostics(uri, (d) => d.diagnostics.length === 1);
      assert.equal(p.diagnostics[0].severity, DiagnosticSeverity.Warning, 'defaults apply');
      assert.equal(c.exitCode, null, 'server still running');
    } finally {
      await c.stop();
    }
  });

  it('stops reporting when disabled through settings', async () => {
    const { client: c } = await LspTestClient.start({ settings: { enable: false } });
    try {
      const uri = 'file:///virtual/disabled.js';
      await c.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'javascript', version: 1, text: `k="${KEY}"` },
      });
      const p = await c.waitForDiagnostics(uri);
      assert.equal(p.diagnostics.length, 0);
    } finally {
      await c.stop();
    }
  });
});
