/**
 * The CLI and the editor agree on the same file: UTF-16 (with and without a
 * BOM) and text with a stray NUL are decoded and scanned by `hush scan`, by
 * the language server's workspace scan, and in an open document, at the same
 * line and column; a file named on the command line is scanned even when it
 * looks minified, as an open editor scans it; binary files stay skipped, with
 * the reason under --verbose.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { ScanWorkspaceRequest } from '../../shared/protocol';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { LspTestClient } from '../support/lspClient';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const KEY = fakeAwsAccessKeyId();
const TEXT = `// ünïcode\nconst key = "${KEY}";\n`;
const be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

/** Each file: its bytes, and the text an editor shows for them. */
const FILES: Record<string, { bytes: Buffer; text: string }> = {
  'utf16le-bom.ts': { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), text: TEXT },
  'utf16be-bom.ts': { bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), be(TEXT)]), text: TEXT },
  'utf16le.ts': { bytes: Buffer.from(TEXT, 'utf16le'), text: TEXT },
  'utf8-bom.ts': { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]), text: TEXT },
  'stray-nul.ts': { bytes: Buffer.from(`// a\0b\n${TEXT}`), text: `// a\0b\n${TEXT}` },
};
const MINIFIED = `!function(){${'var a=1;'.repeat(400)}var key="${KEY}";}();`;

describe('hush scan and the language server read the same text', () => {
  let root: string;
  let client: LspTestClient;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-agree-'));
    for (const [name, f] of Object.entries(FILES)) fs.writeFileSync(path.join(root, name), f.bytes);
    fs.writeFileSync(path.join(root, 'bundle.js'), MINIFIED);
    fs.writeFileSync(path.join(root, 'logo.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from(KEY), Buffer.alloc(32)]));
    ({ client } = await LspTestClient.start({ rootPath: root, settings: { enable: true } }));
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd: root, encoding: 'utf8' });
  const spans = (json: string): Record<string, [number, number]> =>
    Object.fromEntries(JSON.parse(json).findings.map((f: { file: string; line: number; column: number }) => [f.file, [f.line - 1, f.column - 1]]));

  it('the server’s workspace scan decodes the same files (one decoder), before any is open', async () => {
    const r = await client.connection.sendRequest(ScanWorkspaceRequest);
    assert.equal(r.filesSkipped, 2, 'bundle.js (minified) and logo.png (binary)');
    const byCli = spans(cli('--format', 'json', '.').stdout);
    for (const name of Object.keys(FILES)) {
      const d = await client.waitForDiagnostics(`file://${path.join(root, name)}`, (p) => p.diagnostics.length > 0);
      assert.deepEqual(byCli[name], [d.diagnostics[0]!.range.start.line, d.diagnostics[0]!.range.start.character], name);
    }
  });

  it('UTF-16, UTF-8 with a BOM and a stray NUL: found by the CLI at the line and column the editor shows', async () => {
    const r = cli('--format', 'json', '.');
    assert.equal(r.status, 1, r.stderr);
    const byCli = spans(r.stdout);
    for (const [name, f] of Object.entries(FILES)) {
      const uri = `file://${path.join(root, name)}`;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: f.text } });
      const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.deepEqual(byCli[name], [d.diagnostics[0]!.range.start.line, d.diagnostics[0]!.range.start.character], name);
    }
    assert.deepEqual(Object.keys(byCli).sort(), Object.keys(FILES).sort(), 'the minified bundle and the PNG are not in a folder scan');
  });

  it('a file named on the command line is scanned even if minified; --verbose says what was skipped and why', async () => {
    const named = cli('--format', 'json', 'bundle.js');
    assert.equal(named.status, 1, named.stderr);
    const uri = `file://${path.join(root, 'bundle.js')}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'javascript', version: 1, text: MINIFIED } });
    const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(spans(named.stdout)['bundle.js'], [0, d.diagnostics[0]!.range.start.character]);

    const verbose = cli('--verbose', '.');
    assert.match(verbose.stderr, /^skipped bundle\.js \(minified\)$/m);
    assert.match(verbose.stderr, /^skipped logo\.png \(binary\)$/m);
    assert.match(verbose.stderr, /^read utf16be-bom\.ts as UTF-16BE$/m);
    assert.match(verbose.stderr, /^read utf16le\.ts as UTF-16LE$/m);
    assert.match(verbose.stderr, /5 file\(s\) scanned, 2 skipped \(minified 1, binary 1\)/);
    // Named explicitly, a binary file is still skipped, with its reason.
    assert.match(cli('--verbose', 'logo.png').stderr, /^skipped logo\.png \(binary\)$/m);
  });
});
