/**
 * vscode-API tests, run inside the real extension host by test/exthost/index.ts.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, configJs, fakeAwsAccessKeyId, masked } from '../e2e/fixtures';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pollDiagnostics(uri: vscode.Uri, source: string, timeoutMs: number): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
    if (found.length > 0 || Date.now() > deadline) return found;
    await sleep(100);
  }
}

describe('Hush extension (extension host)', () => {
  it(`is installed as ${EXTENSION_ID} and activates`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    const t = Date.now();
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    console.log(`    activate() resolved in ${Date.now() - t} ms`);
  });

  it('registers hush.scanWorkspace and hush.showOutput', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['hush.scanWorkspace', 'hush.showOutput']) {
      assert.ok(commands.includes(c), `command ${c} is not registered`);
    }
  });

  it('reports a hardcoded AWS access key ID as a diagnostic from source "hush"', async () => {
    const key = fakeAwsAccessKeyId();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test workbench must open a folder');
    const uri = vscode.Uri.joinPath(folder, `exthost-${Date.now()}.js`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(configJs(key), 'utf8'));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      // The language server starts on first use: about 6 s on an idle 2-core machine.
      const diags = await pollDiagnostics(uri, 'hush', 20_000);
      assert.ok(
        diags.length > 0,
        `no diagnostic from source "hush" within 20 s; all diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`,
      );
      const d = diags[0];
      if (!d) throw new Error('unreachable: diagnostics checked above');
      assert.strictEqual(d.range.start.line, 0, 'the diagnostic should be on line 1');
      assert.ok(d.message.includes(masked(key)), `message should show the masked key ${masked(key)}: ${d.message}`);
      assert.ok(!d.message.includes(key), `message must not contain the whole key: ${d.message}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });
});
