/**
 * What a cloned repository cannot make Hush do, inside the real extension
 * host: hand the root key to a terminal or a debugged program, hand it
 * secrets the user did not allow for the folder, or get a value written to
 * the protocol trace. And the passphrase of a new store is typed twice.
 * The extension host runs with HUSH_PASSPHRASE in its environment
 * (test/e2e/exthost.e2e.test.ts), so a leak would show.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { askPassphrase } from '../../client/passphrase';
import type { TestApi } from '../../client/extension';
import { EXTENSION_ID } from '../e2e/fixtures';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cli(args: string[], input?: string): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const r = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { input, encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`hush ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Replaces window prompts for one test: modal questions get `answer`, and are recorded. */
function modalAnswers(answer: (message: string) => string | undefined): { asked: string[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { showWarningMessage: w.showWarningMessage, showInformationMessage: w.showInformationMessage };
  const asked: string[] = [];
  const fake = async (message: string, ...rest: unknown[]) => {
    const o = rest[0] as { modal?: boolean; detail?: string } | undefined;
    if (!o?.modal) return undefined;
    asked.push(`${message}\n${o.detail ?? ''}`);
    return answer(message);
  };
  w.showWarningMessage = fake;
  w.showInformationMessage = fake;
  return { asked, restore: () => Object.assign(w, saved) };
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

describe('A cloned repository cannot hurt the user (extension host)', () => {
  let api: TestApi;
  let folder: string;
  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.ok(process.env.HUSH_PASSPHRASE, 'the extension host has a root-key variable to leak');
    cli(['secrets', 'create', 'safe/API_TOKEN'], 'api-token-value-1');
    cli(['secrets', 'create', 'safe/OTHER'], 'other-value-1');
  });

  it('a manifest that names a new secret is asked about again; declining opens no terminal', async () => {
    fs.writeFileSync(path.join(folder, '.hush.json'), JSON.stringify({ env: { API_TOKEN: 'safe/API_TOKEN' } }));
    let ui = modalAnswers(() => 'Allow');
    try {
      const t = await vscode.commands.executeCommand<vscode.Terminal>('hush.openTerminal');
      assert.ok(t);
      t.dispose();
    } finally {
      ui.restore();
    }
    fs.writeFileSync(path.join(folder, '.hush.json'), JSON.stringify({ env: { API_TOKEN: 'safe/API_TOKEN', OTHER: 'safe/OTHER' } }));
    const before = vscode.window.terminals.length;
    ui = modalAnswers(() => undefined); // Cancel
    try {
      const t = await vscode.commands.executeCommand<vscode.Terminal | undefined>('hush.openTerminal');
      assert.strictEqual(t, undefined);
    } finally {
      ui.restore();
    }
    assert.strictEqual(ui.asked.length, 1);
    assert.match(ui.asked[0], /OTHER ← safe\/OTHER/);
    assert.doesNotMatch(ui.asked[0], /API_TOKEN ←/, 'only the secret not allowed yet is listed');
    assert.strictEqual(vscode.window.terminals.length, before, 'no terminal');
    // The server checks too: a value leaves the store only for an allowed manifest.
    await assert.rejects(api.ctx.core('manifest/env', { folder }), /ConsentRequired: .*OTHER ← safe\/OTHER/);
  });

  it('a debug session gets the allowed variables and not the root key (a real node program under js-debug)', async () => {
    fs.writeFileSync(path.join(folder, '.hush.json'), JSON.stringify({ env: { API_TOKEN: 'safe/API_TOKEN' } }));
    const out = path.join(folder, `debug-env-${Date.now()}.json`);
    const program = path.join(folder, 'print-env.js');
    fs.writeFileSync(program, `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(process.env)));\n`);
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.debug.onDidTerminateDebugSession(() => {
        sub.dispose();
        resolve();
      });
    });
    const ui = modalAnswers(() => 'Allow');
    try {
      const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
        type: 'node',
        request: 'launch',
        name: 'hush env probe',
        program,
        console: 'internalConsole',
      });
      assert.strictEqual(started, true, 'the debug session started');
      await Promise.race([ended, sleep(45_000)]);
    } finally {
      ui.restore();
    }
    const names = await until('the program output', () => (fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]) : undefined));
    assert.ok(names.includes('API_TOKEN'), 'the manifest variable is set');
    assert.ok(!names.includes('HUSH_PASSPHRASE'), 'no HUSH_PASSPHRASE in the debugged program');
    assert.ok(!names.includes('HUSH_MASTER_KEY'), 'no HUSH_MASTER_KEY');
    fs.rmSync(out, { force: true });
    fs.rmSync(program, { force: true });
  });

  it('with hush.trace.server verbose, a reveal leaves no value in the trace', async () => {
    const hush = vscode.workspace.getConfiguration('hush');
    await hush.update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    try {
      await sleep(500); // the client re-reads its trace setting on the change
      const r = await api.ctx.core('secrets/reveal', { secretName: 'safe/API_TOKEN' });
      assert.strictEqual(r.value, 'api-token-value-1');
      await vscode.commands.executeCommand('hush.secret.reveal', 'safe/OTHER');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await api.ctx.core('secrets/list', {});
      const logs = path.dirname(api.ctx.extension.logUri.fsPath);
      const trace = await until('the trace log', () => {
        const files = findFiles(logs, (f) => f.includes('Hush Language Server Trace'));
        const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
        return /hush\/secrets\/reveal/.test(text) && /hush\/secrets\/list/.test(text) ? text : undefined;
      });
      assert.ok(!trace.includes('api-token-value-1'), 'the revealed value is not in the trace');
      assert.ok(!trace.includes('other-value-1'), 'the value shown by Reveal Value is not in the trace');
      assert.match(trace, /Result: \[/, 'payloads without values are traced');
      assert.match(trace, /payload not traced/);
    } finally {
      await hush.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a workspace cannot set the trace, the store path, debug injection or the clipboard delay', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const props = (ext.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } }).contributes.configuration.properties;
    for (const key of ['hush.trace.server', 'hush.storePath', 'hush.debug.injectSecrets', 'hush.clipboard.clearAfterSeconds', 'hush.rememberPassphrase']) {
      assert.strictEqual(props[key]?.scope, 'machine', key);
    }
    const inspected = vscode.workspace.getConfiguration('hush').inspect('storePath');
    assert.ok(inspected && inspected.workspaceValue === undefined);
  });

  it('a new store passphrase is typed twice: a mismatch starts again, the match is "typed"', async () => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showInputBox;
    const boxes: vscode.InputBoxOptions[] = [];
    const answers = ['first try passphrase', 'first try passphrasf', 'the real passphrase', 'the real passphrase'];
    w.showInputBox = async (o: vscode.InputBoxOptions) => {
      boxes.push(o);
      return answers.shift();
    };
    try {
      const r = await askPassphrase({ storePath: '/tmp/new-store', wrong: false, creating: true }, api.ctx.extension.secrets);
      assert.deepStrictEqual(r, { passphrase: 'the real passphrase', source: 'typed' });
    } finally {
      w.showInputBox = saved;
    }
    assert.deepStrictEqual(
      boxes.map((b) => b.title),
      [
        'Hush: choose a passphrase for the new store (1/2)',
        'Hush: type the new passphrase again (2/2)',
        'Hush: choose a passphrase for the new store (1/2)',
        'Hush: type the new passphrase again (2/2)',
      ],
    );
    assert.match(boxes[2].prompt ?? '', /did not match/);
    assert.strictEqual(boxes.every((b) => b.password === true), true);
    assert.strictEqual(boxes[1].validateInput?.('something else'), 'This does not match the first entry.');
    assert.strictEqual(boxes[1].validateInput?.('first try passphrase'), undefined);
    assert.match(String(boxes[0].validateInput?.('short')), /at least 12/);
  });
});

function findFiles(dir: string, pick: (f: string) => boolean): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, pick));
    else if (pick(p)) out.push(p);
  }
  return out;
}
