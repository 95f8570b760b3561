/**
 * The sidebar's tree providers and the secret/key commands, inside the real
 * extension host. The store is the same one the CLI uses (same environment),
 * so the tests change it from the CLI and watch the views follow.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import type { SecretsNode } from '../../client/views/secretsTree';
import { isOffline } from '../../client/views/storeOffline';
import type { AuditRow, KeySummary } from '../../shared/protocol';
import { EXTENSION_ID } from '../e2e/fixtures';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function cli(args: string[], input?: string): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const r = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { input, encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`hush ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('Hush sidebar (extension host)', () => {
  let api: TestApi;

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    assert.ok(api?.views, 'activate() returns the test API in extension test mode');
    cli(['secrets', 'create', 'shop/DB_PASSWORD', '--description', 'orders db'], 'first-value-1');
    cli(['secrets', 'create', 'TOP_LEVEL'], 'top-value-1');
    api.views.refresh();
  });

  async function children(node?: SecretsNode): Promise<SecretsNode[]> {
    return api.views.secrets.getChildren(node);
  }

  it('groups secrets by path prefix, with labels, icons and context values', async () => {
    // Other test files share the store: look at this file's secrets, and at the order rule.
    const roots = await children();
    const kinds = roots.map((n) => n.kind);
    assert.ok(kinds.lastIndexOf('group') < kinds.indexOf('secret'), `groups come first: ${kinds.join(',')}`);
    const shopGroup = roots.find((n) => n.kind === 'group' && n.path === 'shop')!;
    assert.ok(shopGroup, 'a "shop" group');
    assert.strictEqual(api.views.secrets.getTreeItem(shopGroup).label, 'shop');
    assert.ok(roots.some((n) => n.kind === 'secret' && n.secretName === 'TOP_LEVEL'), 'TOP_LEVEL at the root');
    const [shop] = await children(shopGroup);
    const item = api.views.secrets.getTreeItem(shop);
    assert.strictEqual(item.label, 'DB_PASSWORD');
    assert.strictEqual(item.description, 'orders db');
    assert.strictEqual(item.contextValue, 'secret.ok');
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'key');
    assert.match(item.accessibilityInformation?.label ?? '', /^Secret shop\/DB_PASSWORD/);
    const versions = await children(shop);
    assert.strictEqual(versions.length, 1);
    const v = api.views.secrets.getTreeItem(versions[0]);
    assert.strictEqual(v.contextValue, 'version.current');
    assert.match(String(v.description), /^CURRENT · /);
    const [label] = await children(versions[0]);
    assert.strictEqual(api.views.secrets.getTreeItem(label).label, 'CURRENT');
  });

  it('refreshes by itself when the CLI changes the store', async () => {
    let fired = 0;
    const sub = api.views.secrets.onDidChangeTreeData(() => fired++);
    try {
      cli(['secrets', 'put', 'shop/DB_PASSWORD'], 'second-value-2');
      await until('a tree refresh', () => fired > 0);
      const shopGroup = (await children()).find((n) => n.kind === 'group' && n.path === 'shop')!;
      const [shop] = await children(shopGroup);
      const versions = await children(shop);
      assert.deepStrictEqual(versions.map((n) => api.views.secrets.getTreeItem(n).contextValue), ['version.current', 'version']);
      assert.match(String(api.views.secrets.getTreeItem(versions[1]).description), /^PREVIOUS/);
    } finally {
      sub.dispose();
    }
  });

  it('filters by text and by tag', async () => {
    api.views.secrets.filter = 'orders';
    assert.deepStrictEqual((await api.views.secrets.list()).map((s) => s.name), ['shop/DB_PASSWORD']);
    api.views.secrets.filter = '';
    cli(['secrets', 'tag', 'TOP_LEVEL', 'team=core']);
    api.views.secrets.refresh();
    api.views.secrets.tagFilter = 'team';
    assert.deepStrictEqual((await api.views.secrets.list()).map((s) => s.name), ['TOP_LEVEL']);
    api.views.secrets.tagFilter = '';
    api.views.refresh();
  });

  it('"Rotate Secret" moves CURRENT to a new version and PREVIOUS to the old one', async () => {
    const before = cli(['secrets', 'get', 'TOP_LEVEL']);
    await vscode.commands.executeCommand('hush.secret.rotate', 'TOP_LEVEL');
    const after = cli(['secrets', 'get', 'TOP_LEVEL']);
    assert.notStrictEqual(after, before);
    assert.strictEqual(cli(['secrets', 'get', 'TOP_LEVEL', '--stage', 'PREVIOUS']), before);
  });

  for (const step of ['setSecret', 'testSecret'] as const) {
    it(`a rotation failing at ${step} leaves CURRENT where it was and keeps PENDING`, async () => {
      const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hush-exthost-hook-')), 'rotate.sh');
      fs.writeFileSync(hook, `#!/bin/sh\ncat >/dev/null; [ "$HUSH_ROTATION_STEP" != ${step} ]\n`, { mode: 0o755 });
      await api.ctx.core('secrets/setRotation', { secretName: 'shop/DB_PASSWORD', intervalDays: 1, hook });
      const current = cli(['secrets', 'get', 'shop/DB_PASSWORD']);
      await vscode.commands.executeCommand('hush.secret.rotate', 'shop/DB_PASSWORD');
      assert.strictEqual(cli(['secrets', 'get', 'shop/DB_PASSWORD']), current);
      const d = await api.ctx.core('secrets/describe', { secretName: 'shop/DB_PASSWORD' });
      assert.ok(d.versions.some((v) => v.versionStages.includes('PENDING')), 'PENDING kept for inspection');
    });
  }

  it('marks a secret under a disabled key, and the keys by state', async () => {
    cli(['keys', 'create', '--alias', 'alias/exthost', '--description', 'test key']);
    cli(['secrets', 'create', 'UNDER_KEY', '--key', 'alias/exthost'], 'v-under-key');
    cli(['keys', 'disable', 'alias/exthost']);
    api.views.secrets.refresh();
    const node = (await children()).find((n) => n.kind === 'secret' && n.secretName === 'UNDER_KEY')!;
    const item = api.views.secrets.getTreeItem(node);
    assert.strictEqual(item.contextValue, 'secret.key-unusable');
    assert.strictEqual(item.description, 'key Disabled');
    const keys = (await api.views.keys.getChildren()).filter((n): n is KeySummary => !isOffline(n));
    const k = keys.find((x) => x.aliases.includes('alias/exthost'))!;
    assert.strictEqual(api.views.keys.getTreeItem(k).contextValue, 'key.Disabled');
    const def = keys.find((x) => x.isDefault)!;
    assert.strictEqual(api.views.keys.getTreeItem(def).contextValue, 'key.Enabled.default');
    await vscode.commands.executeCommand('hush.key.enable', k as KeySummary);
    assert.strictEqual((await api.views.keys.getChildren()).filter((n): n is KeySummary => !isOffline(n)).find((x) => x.keyId === k.keyId)?.state, 'Enabled');
  });

  it('"Restore Secret" brings back a secret scheduled for deletion', async () => {
    cli(['secrets', 'delete', 'UNDER_KEY', '--recovery-days', '7']);
    api.views.secrets.refresh();
    const node = (await children()).find((n) => n.kind === 'secret' && n.secretName === 'UNDER_KEY')!;
    assert.strictEqual(api.views.secrets.getTreeItem(node).contextValue, 'secret.deleting');
    await vscode.commands.executeCommand('hush.secret.restore', 'UNDER_KEY');
    assert.strictEqual(cli(['secrets', 'get', 'UNDER_KEY']), 'v-under-key');
  });

  it('lists audit records newest first, without the views\' own reads', async () => {
    api.views.audit.refresh();
    const rows = (await api.views.audit.getChildren()).filter((r): r is AuditRow => !isOffline(r));
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => !/:(List|Describe)/.test(r.action) || r.outcome !== 'Success'));
    assert.ok(rows[0].seq > rows[rows.length - 1].seq);
    assert.match(String(api.views.audit.getTreeItem(rows[0]).label), /\w/);
  });

  it('"Open Terminal with Secrets" asks once for the folder, then starts a terminal with the manifest\'s variables and without the root key', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    fs.writeFileSync(path.join(folder, '.hush.json'), JSON.stringify({ env: { DB_PASSWORD: 'shop/DB_PASSWORD' } }));
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showWarningMessage;
    const asked: string[] = [];
    w.showWarningMessage = async (msg: string, o: { modal?: boolean; detail?: string }) => {
      asked.push(`${o?.modal ? 'modal' : 'toast'}: ${msg} ${o?.detail ?? ''}`);
      return 'Allow';
    };
    let t: vscode.Terminal;
    try {
      t = (await vscode.commands.executeCommand<vscode.Terminal>('hush.openTerminal'))!;
      assert.strictEqual(asked.length, 1);
      assert.match(asked[0], /^modal: .*'s \.hush\.json asks for a secret from your store for a terminal\. Allow it for this folder\? DB_PASSWORD ← shop\/DB_PASSWORD/);
      const env = (t.creationOptions as vscode.TerminalOptions).env ?? {};
      assert.strictEqual(env.DB_PASSWORD, cli(['secrets', 'get', 'shop/DB_PASSWORD']));
      assert.strictEqual(env.HUSH_PASSPHRASE, null, 'the root key is removed from the terminal');
      assert.strictEqual(env.HUSH_MASTER_KEY, null);
      t.dispose();
      t = (await vscode.commands.executeCommand<vscode.Terminal>('hush.openTerminal'))!;
      assert.strictEqual(asked.length, 1, 'remembered for the folder: not asked again');
      t.dispose();
    } finally {
      w.showWarningMessage = saved;
    }
  });
});
