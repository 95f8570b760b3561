/**
 * The Move quick fix inside the real extension host: the code actions the
 * editor gets, the cancel path (nothing stored, nothing edited), undo (one
 * step restores the literal; the stored secret stays), the manifest on disk
 * through move, undo and redo, two findings that want one name, and a
 * language server killed in the middle of a move.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import type { MoveCommandArgs, MoveResult } from '../../shared/protocol';
import { EXTENSION_ID } from '../e2e/fixtures';
import { fakeAwsAccessKeyId } from '../support/fakes';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cli(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { encoding: 'utf8', env: process.env, cwd });
}

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The manifest on disk, parsed; undefined when there is none. */
function manifestOnDisk(folder: string): { env: Record<string, unknown> } | undefined {
  const f = path.join(folder, '.hush.json');
  if (!fs.existsSync(f)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as { env: Record<string, unknown> };
  } catch {
    return undefined; // read while the editor was saving it (it writes in place): look again
  }
}

/** Replaces window messages for one test: modal questions get `answer(message)`; every message is recorded. */
function messages(answer: (message: string, items: string[]) => string | undefined = () => undefined): { shown: string[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { showWarningMessage: w.showWarningMessage, showInformationMessage: w.showInformationMessage, showErrorMessage: w.showErrorMessage };
  const shown: string[] = [];
  const fake = async (message: string, ...rest: unknown[]) => {
    const modal = typeof rest[0] === 'object' && rest[0] !== null && 'modal' in rest[0] && (rest[0] as { modal?: boolean }).modal;
    const items = rest.filter((r): r is string => typeof r === 'string');
    shown.push(message);
    return modal ? answer(message, items) : undefined;
  };
  w.showWarningMessage = fake;
  w.showInformationMessage = fake;
  w.showErrorMessage = fake;
  return { shown, restore: () => Object.assign(w, saved) };
}

async function closeEditorsOf(file: string): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.fsPath === file) await vscode.window.tabGroups.close(tab);
    }
  }
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

  it('.hush.json is on disk when the move says done, and after undo and redo (undo removes only the entry the move added)', async () => {
    const folder = path.dirname(file);
    const manifest = path.join(folder, '.hush.json');
    // Deleted the way the user would in the explorer, so the editor forgets its text of it too.
    await closeEditorsOf(manifest);
    if (fs.existsSync(manifest)) {
      const del = new vscode.WorkspaceEdit();
      del.deleteFile(vscode.Uri.file(manifest));
      assert.ok(await vscode.workspace.applyEdit(del));
    }
    await until('the editor to drop the manifest', () => !vscode.workspace.textDocuments.some((d) => d.uri.fsPath === manifest && !d.isClosed));
    const target = path.join(folder, 'disk_me.py');
    const key3 = fakeAwsAccessKeyId('D3KQ7RPLM2XWT4NB');
    fs.writeFileSync(target, `TOKEN = "${key3}"\n`);
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc);
    const [quick] = await moveActions(doc);
    const args = { ...(quick.command!.arguments![0] as MoveCommandArgs), secretName: 'disk/TOKEN' };
    const ui = messages();
    let r: MoveResult | undefined;
    try {
      r = await vscode.commands.executeCommand<MoveResult>('hush.moveToSecretsManager', args);
    } finally {
      ui.restore();
    }
    assert.ok(r?.applied);
    // Right when the command returns: on disk, valid, and hush run can start the app.
    assert.deepStrictEqual(manifestOnDisk(folder)?.env, { [r.envVar]: 'disk/TOKEN' });
    const run = cli(['run', '--yes', '--', process.execPath, '-e', `process.exit(process.env.${r.envVar} === ${JSON.stringify(key3)} ? 0 : 3)`], folder);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === manifest && d.isDirty), 'no unsaved manifest');

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await until('the literal back', () => doc.getText() === `TOKEN = "${key3}"\n`);
    // The move created the manifest: undo leaves it valid and mapping nothing (see server/manifestUpdate.ts).
    await until('the entry gone from the manifest on disk', () => JSON.stringify(manifestOnDisk(folder)?.env) === '{}');
    await vscode.commands.executeCommand('redo');
    await until('the lookup back', () => doc.getText().includes(`os.environ["${r!.envVar}"]`));
    await until('the entry back in the manifest on disk', () => JSON.stringify(manifestOnDisk(folder)?.env) === JSON.stringify({ [r!.envVar]: 'disk/TOKEN' })).catch((e: Error) => {
      const m = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === manifest);
      throw new Error(`${e.message}; the editor's manifest: ${m ? `${m.isDirty ? 'unsaved' : 'saved'} ${JSON.stringify(m.getText())}` : 'not open'}; disk: ${JSON.stringify(fs.readFileSync(manifest, 'utf8'))}`);
    });

    // A manifest that existed: undo removes the move's entry only, redo puts it back, both on disk.
    fs.writeFileSync(manifest, JSON.stringify({ env: { KEEP_ME: 'other/secret' } }, null, 2) + '\n');
    const target2 = path.join(folder, 'disk_me_too.py');
    const key4 = fakeAwsAccessKeyId('E4KQ7RPLM2XWT5NB');
    fs.writeFileSync(target2, `TOKEN = "${key4}"\n`);
    const doc2 = await vscode.workspace.openTextDocument(target2);
    await vscode.window.showTextDocument(doc2);
    const [quick2] = await moveActions(doc2);
    const ui2 = messages();
    let r2: MoveResult | undefined;
    try {
      r2 = await vscode.commands.executeCommand<MoveResult>('hush.moveToSecretsManager', { ...(quick2.command!.arguments![0] as MoveCommandArgs), secretName: 'disk/TOKEN_TWO', envVar: 'TOKEN_TWO' });
    } finally {
      ui2.restore();
    }
    assert.deepStrictEqual(manifestOnDisk(folder)?.env, { KEEP_ME: 'other/secret', TOKEN_TWO: 'disk/TOKEN_TWO' });
    assert.ok(r2?.applied);
    await vscode.window.showTextDocument(doc2);
    await vscode.commands.executeCommand('undo');
    await until('the entry removed on disk', () => JSON.stringify(manifestOnDisk(folder)?.env) === JSON.stringify({ KEEP_ME: 'other/secret' }));
    await vscode.commands.executeCommand('redo');
    await until('the entry back on disk', () => JSON.stringify(manifestOnDisk(folder)?.env) === JSON.stringify({ KEEP_ME: 'other/secret', TOKEN_TWO: 'disk/TOKEN_TWO' }));
  });

  it('two findings that want the same name: the second is asked (modal) and moves under a free name; nothing hangs', async () => {
    const folder = path.dirname(file);
    const a = path.join(folder, 'same_a.py');
    const b = path.join(folder, 'same_b.py');
    const ka = fakeAwsAccessKeyId('F5KQ7RPLM2XWT6NB');
    const kb = fakeAwsAccessKeyId('G6KQ7RPLM2XWT7NB');
    fs.writeFileSync(a, `KEY = "${ka}"\n`);
    fs.writeFileSync(b, `KEY = "${kb}"\n`);
    const docA = await vscode.workspace.openTextDocument(a);
    const docB = await vscode.workspace.openTextDocument(b);
    await vscode.window.showTextDocument(docA);
    const [qa] = await moveActions(docA);
    await vscode.window.showTextDocument(docB);
    const [qb] = await moveActions(docB);
    const argsA = { ...(qa.command!.arguments![0] as MoveCommandArgs), secretName: 'same/GITHUB_TOKEN', envVar: 'GITHUB_TOKEN' };
    const argsB = { ...(qb.command!.arguments![0] as MoveCommandArgs), secretName: 'same/GITHUB_TOKEN', envVar: 'GITHUB_TOKEN' };
    const ui = messages((message, items) => (/already holds a different value/.test(message) ? items.find((i) => i.startsWith('Use ')) : undefined));
    let results: (MoveResult | undefined)[];
    try {
      const moves = Promise.all([
        vscode.commands.executeCommand<MoveResult>('hush.moveToSecretsManager', argsA),
        vscode.commands.executeCommand<MoveResult>('hush.moveToSecretsManager', argsB),
      ]);
      results = await Promise.race([moves, sleep(30_000).then(() => Promise.reject(new Error('a move hangs')))]);
    } finally {
      ui.restore();
    }
    assert.ok(results.every((x) => x?.applied), JSON.stringify(results));
    assert.deepStrictEqual(results.map((x) => x!.secretName).sort(), ['same/GITHUB_TOKEN', 'same/GITHUB_TOKEN_2']);
    assert.strictEqual(ui.shown.filter((m) => /already holds a different value/.test(m)).length, 1, 'asked once, in a modal');
    const env = manifestOnDisk(folder)!.env;
    assert.strictEqual(env.GITHUB_TOKEN, 'same/GITHUB_TOKEN');
    assert.strictEqual(env.GITHUB_TOKEN_2, 'same/GITHUB_TOKEN_2');
    const byName = new Map(results.map((x) => [x!.secretName, cli(['secrets', 'get', x!.secretName]).stdout]));
    assert.deepStrictEqual([...byName.values()].sort(), [ka, kb].sort());
  });

  it('a language server killed mid-move: the message says truthfully what happened to the value and the file; the server comes back', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    const folder = path.dirname(file);
    for (const variant of ['while the editor applies the edit', 'as the request is sent'] as const) {
      const target = path.join(folder, variant.startsWith('while') ? 'crash_late.py' : 'crash_early.py');
      const key5 = fakeAwsAccessKeyId(variant.startsWith('while') ? 'H7KQ7RPLM2XWT2NB' : 'J6KQ7RPLM2XWT3NB');
      const original = `TOKEN = "${key5}"\n`;
      fs.writeFileSync(target, original);
      const doc = await vscode.workspace.openTextDocument(target);
      await vscode.window.showTextDocument(doc);
      const [quick] = await moveActions(doc);
      const name = `crash/${path.basename(target, '.py')}`;
      const args = { ...(quick.command!.arguments![0] as MoveCommandArgs), secretName: name, envVar: 'CRASH_TOKEN' };
      const pid = (await api.ctx.status()).pid!;
      const ui = messages();
      const ws = vscode.workspace as unknown as Record<string, unknown>;
      const savedApply = ws.applyEdit as (...a: unknown[]) => Thenable<boolean>;
      const savedMove = api.ctx.move;
      if (variant.startsWith('while')) {
        ws.applyEdit = async (...a: unknown[]) => {
          process.kill(pid, 'SIGKILL');
          return savedApply.apply(vscode.workspace, a);
        };
      } else {
        api.ctx.move = (p) => {
          process.kill(pid, 'SIGKILL');
          return savedMove.call(api.ctx, p);
        };
      }
      try {
        await vscode.commands.executeCommand('hush.moveToSecretsManager', args);
      } finally {
        ws.applyEdit = savedApply;
        api.ctx.move = savedMove;
        ui.restore();
      }
      const message = ui.shown.find((m) => /language server stopped during the move/.test(m));
      assert.ok(message, `a crash message (${variant}); shown: ${JSON.stringify(ui.shown)}`);
      assert.doesNotMatch(message, /pending response|no longer open|connection got disposed/i);
      // What really happened, from the CLI and the editor:
      const stored = cli(['secrets', 'get', name]).stdout === key5;
      const edited = doc.getText() !== original;
      console.log(`      ${variant}: stored ${stored}, edited ${edited}`);
      console.log(`      ${message}`);
      if (stored) assert.match(message, new RegExp(`The value was stored: ${name} has a new version`));
      else assert.match(message, /was not stored|No new version/);
      if (edited) assert.match(message, /was edited: the literal was replaced/);
      else assert.match(message, /is unchanged: the literal is still there/);
      if (edited) assert.strictEqual((manifestOnDisk(folder)?.env ?? {}).CRASH_TOKEN, name, 'the edited manifest was saved');
      const back = await api.ctx.whenRunning(20_000);
      assert.strictEqual(back, true, 'the server was restarted');
      assert.notStrictEqual((await api.ctx.status()).pid, pid);
      if (stored && !edited) {
        // As the message says: running the quick fix again reuses the stored value.
        const [again] = await moveActions(doc);
        const ui2 = messages();
        let r: MoveResult | undefined;
        try {
          r = await vscode.commands.executeCommand<MoveResult>('hush.moveToSecretsManager', { ...(again.command!.arguments![0] as MoveCommandArgs), secretName: name, envVar: 'CRASH_TOKEN' });
        } finally {
          ui2.restore();
        }
        assert.strictEqual(r?.reused, true);
      }
    }
  });

  it('a server that keeps dying is left stopped, the status offers the restart, and "Restart Language Server" brings it back', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    const State = { Stopped: 1, Running: 2 } as const; // vscode-languageclient's State values
    const ui = messages();
    try {
      for (let i = 0; i < 8 && api.ctx.serverState !== State.Stopped; i++) {
        if (!(await api.ctx.whenRunning(20_000))) break;
        const pid = (await api.ctx.status()).pid!;
        process.kill(pid, 'SIGKILL');
        await until('the server to notice', () => api.ctx.serverState !== State.Running || undefined, 20_000).catch(() => undefined);
        await sleep(300);
      }
      await until('the server left stopped', () => api.ctx.serverState === State.Stopped, 20_000);
      assert.ok(ui.shown.some((m) => /keeps stopping, so it was not restarted/.test(m)), JSON.stringify(ui.shown));
    } finally {
      ui.restore();
    }
    await vscode.commands.executeCommand('hush.restartServer');
    assert.strictEqual(await api.ctx.whenRunning(20_000), true);
    assert.strictEqual((await api.ctx.status()).openDocuments >= 0, true);
  });
});
