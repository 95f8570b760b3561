/**
 * The Move quick fix inside the real extension host: the code actions the
 * editor gets, the cancel path (nothing stored, nothing edited) and undo
 * (one step restores the literal; the stored secret stays).
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MoveCommandArgs } from '../../shared/protocol';
import { EXTENSION_ID } from '../e2e/fixtures';
import { fakeAwsAccessKeyId } from '../support/fakes';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: process.env });
}

async function moveActions(doc: vscode.TextDocument): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const d = vscode.languages.getDiagnostics(doc.uri).find((x) => x.source === 'hush');
    if (d) {
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range)) ?? [];
      const ours = actions.filter((a) => a.command?.command === 'hush.moveToSecretsManager');
      if (ours.length) return ours;
    }
    if (Date.now() > deadline) throw new Error('no Move code action');
    await sleep(100);
  }
}

describe('Move to Secrets Manager (extension host)', () => {
  const key = fakeAwsAccessKeyId('J4KQ7RPLM2XWT6NB');
  let file: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    file = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'move_me.py');
    fs.writeFileSync(file, `TOKEN = "${key}"\n`);
  });

  it('cancelling the name prompt stores nothing and edits nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const [, askAction] = await moveActions(doc);
    const args = askAction.command!.arguments![0] as MoveCommandArgs;
    assert.strictEqual(args.ask, true);
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showInputBox;
    w.showInputBox = async () => undefined; // the user pressed Escape
    try {
      await vscode.commands.executeCommand('hush.moveToSecretsManager', args);
    } finally {
      w.showInputBox = saved;
    }
    assert.strictEqual(doc.getText(), `TOKEN = "${key}"\n`);
    assert.match(cli(['secrets', 'get', args.secretName]).stderr, /SecretNotFound|StoreNotFound/);
  });

  it('moves with one edit that a single undo reverts, keeping the stored secret', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const [quick] = await moveActions(doc);
    const args = quick.command!.arguments![0] as MoveCommandArgs;
    await vscode.commands.executeCommand('hush.moveToSecretsManager', args);
    assert.strictEqual(doc.getText(), `import os\nTOKEN = os.environ["AWS_ACCESS_KEY_ID"]\n`);
    assert.strictEqual(cli(['secrets', 'get', args.secretName]).stdout, key);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), `TOKEN = "${key}"\n`, 'one undo restores the literal (and removes the import)');
    assert.strictEqual(cli(['secrets', 'get', args.secretName]).stdout, key, 'the stored secret stays');
  });

  it('"Move to Secrets Manager…" asks name, variable and key, and uses them', async () => {
    const other = path.join(path.dirname(file), 'ask_me.py');
    const key2 = fakeAwsAccessKeyId('H6KQ7RPLM2XWT3NB');
    fs.writeFileSync(other, `TOKEN = "${key2}"\n`);
    const doc = await vscode.workspace.openTextDocument(other);
    await vscode.window.showTextDocument(doc);
    const [, askAction] = await moveActions(doc);
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = { showInputBox: w.showInputBox, showQuickPick: w.showQuickPick, showInformationMessage: w.showInformationMessage };
    const answers = ['custom/DEPLOY_TOKEN', 'DEPLOY_TOKEN'];
    w.showInputBox = async () => answers.shift();
    w.showQuickPick = async (items: { description?: string }[]) => (await items).find((i) => i.description === 'default key') ?? (await items)[0];
    w.showInformationMessage = async () => undefined;
    try {
      await vscode.commands.executeCommand('hush.moveToSecretsManager', askAction.command!.arguments![0]);
    } finally {
      Object.assign(w, saved);
    }
    assert.strictEqual(doc.getText(), 'import os\nTOKEN = os.environ["DEPLOY_TOKEN"]\n');
    assert.strictEqual(cli(['secrets', 'get', 'custom/DEPLOY_TOKEN']).stdout, key2);
  });
});

