/**
 * The palette commands that ask the user something, inside the real
 * extension host. The prompts (input boxes, quick picks, confirmations) are
 * answered by replacing those window functions for the duration of a test;
 * everything behind them, the server and the store, is real.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import { isOffline } from '../../client/views/storeOffline';
import type { AuditRow } from '../../shared/protocol';
import { EXTENSION_ID } from '../e2e/fixtures';

type Answer = unknown;

/** Answers the next prompts in order: each entry is what the prompt returns (a function gets the items). */
function answering(answers: Answer[]): { restore(): void; asked: string[] } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { showInputBox: w.showInputBox, showQuickPick: w.showQuickPick, showWarningMessage: w.showWarningMessage, showInformationMessage: w.showInformationMessage };
  const asked: string[] = [];
  const next = (kind: string, items?: unknown): unknown => {
    asked.push(kind);
    const a = answers.shift();
    return typeof a === 'function' ? (a as (i: unknown) => unknown)(items) : a;
  };
  w.showInputBox = async (o?: { title?: string }) => next(`input:${o?.title ?? ''}`);
  w.showQuickPick = async (items: unknown) => next('pick', await items);
  w.showWarningMessage = async (msg: string, ...rest: unknown[]) => (rest.some((r) => typeof r === 'object' && r && 'modal' in r) ? next(`confirm:${msg}`) : undefined);
  w.showInformationMessage = async () => undefined;
  return { asked, restore: () => Object.assign(w, saved) };
}

function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { input, encoding: 'utf8', env: process.env });
}

const pickLabel = (label: RegExp) => (items: { label: string }[]) => items.find((i) => label.test(i.label));

describe('Hush commands with prompts (extension host)', () => {
  let api: TestApi;
  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    assert.ok(api);
  });

  it('dragging a stage label onto another version moves it, after the confirmation', async () => {
    assert.strictEqual(cli(['secrets', 'create', 'drag/me'], 'drag-value-1').status, 0);
    assert.strictEqual(cli(['secrets', 'put', 'drag/me'], 'drag-value-2').status, 0);
    api.views.secrets.refresh();
    const [group] = (await api.views.secrets.getChildren()).filter((n) => n.kind === 'group' && n.path === 'drag');
    const [secret] = await api.views.secrets.getChildren(group);
    const versions = await api.views.secrets.getChildren(secret);
    const current = versions.find((v) => v.kind === 'version' && v.version.versionStages.includes('CURRENT'))!;
    const previous = versions.find((v) => v.kind === 'version' && v.version.versionStages.includes('PREVIOUS'))!;
    const [label] = (await api.views.secrets.getChildren(current)).filter((n) => n.kind === 'label' && n.label === 'CURRENT');
    const ui = answering(['Move Label']);
    try {
      const dt = new vscode.DataTransfer();
      api.views.secrets.handleDrag([label], dt);
      await api.views.secrets.handleDrop(previous, dt);
    } finally {
      ui.restore();
    }
    assert.deepStrictEqual(ui.asked.map((a) => a.split(':')[0]), ['confirm']);
    assert.strictEqual(cli(['secrets', 'get', 'drag/me']).stdout, 'drag-value-1');
  });

  it('"Create Secret…" asks name, description and value source, then stores it', async () => {
    const ui = answering(['cmd/created', 'made by a test', pickLabel(/Enter the value/), 'typed-value-42']);
    try {
      await vscode.commands.executeCommand('hush.secret.create');
    } finally {
      ui.restore();
    }
    assert.strictEqual(cli(['secrets', 'get', 'cmd/created']).stdout, 'typed-value-42');
    assert.match(cli(['secrets', 'describe', 'cmd/created']).stdout + cli(['secrets', 'describe', 'cmd/created']).stderr, /made by a test/);
  });

  it('"Put New Value…" with a generated password makes a new CURRENT', async () => {
    const ui = answering([pickLabel(/Generate a random password/)]);
    try {
      await vscode.commands.executeCommand('hush.secret.putValue', 'cmd/created');
    } finally {
      ui.restore();
    }
    const now = cli(['secrets', 'get', 'cmd/created']).stdout;
    assert.strictEqual(now.length, 32);
    assert.strictEqual(cli(['secrets', 'get', 'cmd/created', '--stage', 'PREVIOUS']).stdout, 'typed-value-42');
  });

  it('"Move Stage Label…" moves CURRENT back after the confirmation, and not without it', async () => {
    const previousId = JSON.parse(cli(['secrets', 'versions', 'cmd/created', '--json']).stdout).find((v: { versionStages: string[] }) => v.versionStages.includes('PREVIOUS')).versionId as string;
    let ui = answering(['CURRENT', (items: { id: string }[]) => items.find((i) => i.id === previousId), undefined]);
    try {
      await vscode.commands.executeCommand('hush.secret.moveLabel', 'cmd/created');
    } finally {
      ui.restore();
    }
    assert.strictEqual(cli(['secrets', 'get', 'cmd/created']).stdout.length, 32, 'cancelled: CURRENT did not move');
    ui = answering(['CURRENT', (items: { id: string }[]) => items.find((i) => i.id === previousId), 'Move Label']);
    try {
      await vscode.commands.executeCommand('hush.secret.moveLabel', 'cmd/created');
    } finally {
      ui.restore();
    }
    assert.strictEqual(cli(['secrets', 'get', 'cmd/created']).stdout, 'typed-value-42');
  });

  it('"Tag Secret…" adds tags', async () => {
    const ui = answering(['team=core env=prod']);
    try {
      await vscode.commands.executeCommand('hush.secret.tag', 'cmd/created');
    } finally {
      ui.restore();
    }
    const listed = JSON.parse(cli(['secrets', 'list', '--json']).stdout);
    const s = (listed.secrets ?? listed).find((x: { name: string }) => x.name === 'cmd/created');
    assert.deepStrictEqual(s.tags, { team: 'core', env: 'prod' });
  });

  it('"Delete Secret…" schedules deletion with the picked window; "Delete Immediately" needs the typed name', async () => {
    let ui = answering([pickLabel(/^14 days$/), 'Schedule Deletion']);
    try {
      await vscode.commands.executeCommand('hush.secret.delete', 'cmd/created');
    } finally {
      ui.restore();
    }
    assert.match(cli(['secrets', 'get', 'cmd/created']).stderr, /SecretScheduledForDeletion/);
    ui = answering(['not the name']);
    try {
      await vscode.commands.executeCommand('hush.secret.forceDelete', 'cmd/created');
    } finally {
      ui.restore();
    }
    assert.match(cli(['secrets', 'describe', 'cmd/created']).stderr + cli(['secrets', 'describe', 'cmd/created']).stdout, /cmd\/created/);
    ui = answering(['cmd/created']);
    try {
      await vscode.commands.executeCommand('hush.secret.forceDelete', 'cmd/created');
    } finally {
      ui.restore();
    }
    assert.match(cli(['secrets', 'describe', 'cmd/created']).stderr, /SecretNotFound/);
  });

  it('key lifecycle from the palette: create, disable after confirmation, schedule deletion with the typed alias', async () => {
    let ui = answering(['cmdkey', 'made by a test', pickLabel(/generates the key material/)]);
    try {
      await vscode.commands.executeCommand('hush.key.create');
    } finally {
      ui.restore();
    }
    const keyState = () => JSON.parse(cli(['keys', 'describe', 'alias/cmdkey', '--json']).stdout).state as string;
    assert.strictEqual(keyState(), 'Enabled');
    ui = answering([pickLabel(/alias\/cmdkey/), 'Disable Key']);
    try {
      await vscode.commands.executeCommand('hush.key.disable');
    } finally {
      ui.restore();
    }
    assert.strictEqual(keyState(), 'Disabled');
    ui = answering([pickLabel(/alias\/cmdkey/), '7', 'alias/cmdkey']);
    try {
      await vscode.commands.executeCommand('hush.key.scheduleDeletion');
    } finally {
      ui.restore();
    }
    assert.strictEqual(keyState(), 'PendingDeletion');
    ui = answering([pickLabel(/alias\/cmdkey/)]);
    try {
      await vscode.commands.executeCommand('hush.key.cancelDeletion');
    } finally {
      ui.restore();
    }
    assert.strictEqual(keyState(), 'Disabled');
  });
});

describe('Hush commands without prompts (extension host)', () => {
  let api: TestApi;
  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    assert.strictEqual(cli(['secrets', 'create', 'plain/one'], 'plain-value-1').status, 0);
  });

  it('"Reveal Value" opens a read-only virtual document with the value, not a file', async () => {
    await vscode.commands.executeCommand('hush.secret.reveal', 'plain/one');
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.uri.scheme, 'hush-secret');
    assert.strictEqual(editor.document.getText(), 'plain-value-1');
    assert.strictEqual(editor.document.isUntitled, false, 'nothing to save');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('"Describe Secret" shows the metadata as JSON, without the value', async () => {
    await vscode.commands.executeCommand('hush.secret.describe', 'plain/one');
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.strictEqual(JSON.parse(text).name, 'plain/one');
    assert.ok(!text.includes('plain-value-1'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Set Up Rotation…" offers the database rotators and explains each strategy in one line', async () => {
    const creds = (username: string) => JSON.stringify({ engine: 'postgres', host: '127.0.0.1', port: 5432, username, password: ['pw', 'exthost', '1'].join('-'), dbname: 'shop' });
    assert.strictEqual(cli(['secrets', 'create', 'rot/db'], creds('app')).status, 0);
    assert.strictEqual(cli(['secrets', 'create', 'rot/admin'], creds('postgres')).status, 0);
    let strategies: { label: string; detail?: string }[] = [];
    const ui = answering([
      '30',
      pickLabel(/PostgreSQL rotator/),
      (items: { label: string; detail?: string }[]) => {
        strategies = items;
        return items.find((i) => /Alternating/.test(i.label));
      },
      pickLabel(/^rot\/admin$/),
    ]);
    try {
      await vscode.commands.executeCommand('hush.secret.setRotation', 'rot/db');
    } finally {
      ui.restore();
    }
    assert.deepStrictEqual(strategies.map((s) => s.label), ['Single user', 'Alternating users']);
    assert.ok(strategies.every((s) => s.detail && !s.detail.includes('\n') && s.detail.length < 120), JSON.stringify(strategies));
    const d = await api.ctx.core('secrets/describe', { secretName: 'rot/db' });
    assert.deepStrictEqual([d.rotation?.intervalDays, d.rotation?.rotator, d.rotation?.strategy, d.rotation?.adminSecret], [30, 'postgres', 'alternating', 'rot/admin']);
  });

  it('"Set Up Rotation…" then "Rotate All Due Secrets" (none due yet: nothing rotates)', async () => {
    const ui = answering(['45', pickLabel(/Only store a new random value/)]);
    try {
      await vscode.commands.executeCommand('hush.secret.setRotation', 'plain/one');
    } finally {
      ui.restore();
    }
    const info = (await api.ctx.core('secrets/list', {})).find((s) => s.name === 'plain/one')!;
    assert.strictEqual(info.rotation?.intervalDays, 45);
    assert.strictEqual(info.rotation?.due, false);
    await vscode.commands.executeCommand('hush.secret.rotateAllDue');
    assert.strictEqual(cli(['secrets', 'get', 'plain/one']).stdout, 'plain-value-1');
  });

  it('"Rotate Key Material" adds a material version after the confirmation; old versions still decrypt', async () => {
    assert.strictEqual(cli(['keys', 'create', '--alias', 'alias/rotme']).status, 0);
    assert.strictEqual(cli(['secrets', 'create', 'plain/under-rotme', '--key', 'alias/rotme'], 'under-rotme-1').status, 0);
    const before = JSON.parse(cli(['keys', 'describe', 'alias/rotme', '--json']).stdout).materials.length as number;
    const ui = answering([pickLabel(/alias\/rotme/), 'Rotate Key Material']);
    try {
      await vscode.commands.executeCommand('hush.key.rotate');
    } finally {
      ui.restore();
    }
    assert.strictEqual(JSON.parse(cli(['keys', 'describe', 'alias/rotme', '--json']).stdout).materials.length, before + 1);
    assert.strictEqual(cli(['secrets', 'get', 'plain/under-rotme']).stdout, 'under-rotme-1');
  });

  it('"Verify Audit Chain" and the audit filter', async () => {
    const verdict = await api.ctx.core('audit/verify', {});
    assert.strictEqual(verdict.ok, true);
    await vscode.commands.executeCommand('hush.audit.verify');
    const ui = answering([pickLabel(/Secret…/), 'plain/one']);
    try {
      await vscode.commands.executeCommand('hush.audit.filter');
    } finally {
      ui.restore();
    }
    const rows = (await api.views.audit.getChildren()).filter((r): r is AuditRow => !isOffline(r));
    assert.ok(rows.length > 0 && rows.every((r) => r.resource.secretName === 'plain/one'), JSON.stringify(rows.map((r) => r.resource)));
    api.views.audit.secret = '';
  });

  it('"Show Secret in Sidebar" reveals and selects the secret', async () => {
    // A store change from the previous test may refresh the tree right after the reveal and drop the
    // selection; a user would click again, and so does the test (at most three times).
    let selected: { kind: string; secretName?: string }[] = [];
    for (let attempt = 0; attempt < 3 && selected.length === 0; attempt++) {
      await vscode.commands.executeCommand('hush.secret.showInSidebar', 'plain/one');
      for (let i = 0; i < 30 && selected.length === 0; i++) {
        selected = api.views.secretsView.selection as typeof selected;
        if (selected.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.deepStrictEqual(selected.map((n) => n.secretName), ['plain/one']);
  });

  it('"Open Manifest" creates .hush.json when asked and opens it', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const manifest = vscode.Uri.joinPath(folder, '.hush.json');
    await vscode.workspace.fs.delete(manifest).then(undefined, () => undefined);
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showInformationMessage;
    w.showInformationMessage = async () => 'Create';
    try {
      await vscode.commands.executeCommand('hush.openManifest');
    } finally {
      w.showInformationMessage = saved;
    }
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, manifest.fsPath);
    assert.deepStrictEqual(JSON.parse(vscode.window.activeTextEditor!.document.getText()), { env: {} });
  });
});
