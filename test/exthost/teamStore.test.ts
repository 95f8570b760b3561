/**
 * The sidebar on a team store whose database goes away and comes back,
 * inside the real extension host: `hush.storePath` set to a real
 * PostgreSQL (a throwaway server this test starts, stops and starts again),
 * the member identity from HUSH_IDENTITY (test/e2e/exthost.e2e.test.ts sets
 * one). Offline, every view shows one item naming the host — no error
 * message — and the views come back by themselves when the database does.
 * The setting is restored at the end: the other test files use the
 * embedded store.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import type { SecretsNode } from '../../client/views/secretsTree';
import { isOffline } from '../../client/views/storeOffline';
import { EXTENSION_ID } from '../e2e/fixtures';
import { startPostgres, type PgServer } from '../support/pgServer';

function hush(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const r = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`hush ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('The sidebar on a team store, offline and back (extension host)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let pg: PgServer | undefined;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('hush');
  const errors: string[] = [];
  let saved: unknown;

  before(async function () {
    if (!process.env.HUSH_IDENTITY) throw new Error('HUSH_IDENTITY is not set for the extension host (test/e2e/exthost.e2e.test.ts sets it)');
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    pg = await startPostgres();
    hush(['store', 'init', pg.url, '--member', 'exthost'], {});
    hush(['secrets', 'create', 'team/API_TOKEN', '--description', 'shared with the team'], { HUSH_STORE: pg.url }, 'team-token-1');
    const w = vscode.window as unknown as Record<string, unknown>;
    saved = w.showErrorMessage;
    w.showErrorMessage = async (message: string) => {
      errors.push(message);
      return undefined;
    };
    await config().update('storePath', pg.url, vscode.ConfigurationTarget.Global);
    console.log(`      hush.storePath set in: ${Object.keys(config().inspect('storePath') ?? {}).filter((k) => /Value$/.test(k) && k !== 'defaultValue').join(', ')}`);
  });

  after(async () => {
    (vscode.window as unknown as Record<string, unknown>).showErrorMessage = saved;
    try {
      pg?.resume();
    } catch {
      /* running */
    }
    await config().update('storePath', undefined, vscode.ConfigurationTarget.Global);
    console.log(`      hush.storePath set in, after the reset: ${Object.keys(config().inspect('storePath') ?? {}).filter((k) => /Value$/.test(k) && k !== 'defaultValue').join(', ') || 'nowhere'}`);
    // The server switches when it has read the setting again; a request then opens the embedded store.
    await until(
      'the embedded store again',
      async () => {
        await api.ctx.core('secrets/page', { pageSize: 1 }).catch(() => undefined);
        return api.ctx.store?.state === 'open' && api.ctx.store.kind === 'embedded';
      },
      30_000,
    );
    api.views.refresh();
    await pg?.stop();
  });

  const rootNames = async (): Promise<string[]> => {
    const roots = await api.views.secrets.getChildren();
    const out: string[] = [];
    for (const n of roots) {
      if (n.kind === 'group') out.push(...(await api.views.secrets.getChildren(n)).filter((c): c is Extract<SecretsNode, { kind: 'secret' }> => c.kind === 'secret').map((c) => c.secretName));
      else if (n.kind === 'secret') out.push(n.secretName);
      else out.push(`<${n.kind}>`);
    }
    return out;
  };

  it('lists the team store, and names it in the view title', async () => {
    await until('the team secret in the tree', async () => {
      api.views.secrets.refresh();
      return (await rootNames()).includes('team/API_TOKEN');
    });
    const s = await until('the team store open', () => (api.ctx.store?.state === 'open' && api.ctx.store.kind === 'team' ? api.ctx.store : undefined));
    assert.strictEqual(s.host, `127.0.0.1:${pg!.port}`);
    assert.strictEqual(s.principal, 'exthost');
    await until('the title', () => String(api.views.secretsView.description ?? '').startsWith(`team · 127.0.0.1:${pg!.port}`));
  });

  it('shows the store offline, naming the host, in every view; no error message', async () => {
    pg!.halt();
    await until('offline', () => api.ctx.store?.state === 'offline');
    const roots = await api.views.secrets.getChildren();
    assert.strictEqual(roots.length, 1);
    assert.ok(isOffline(roots[0]));
    const item = api.views.secrets.getTreeItem(roots[0]!);
    assert.strictEqual(item.label, `Team store offline: 127.0.0.1:${pg!.port}`);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'debug-disconnect');
    assert.strictEqual(item.command?.command, 'hush.refresh');
    assert.match((item.tooltip as vscode.MarkdownString).value, /tries again every 5 seconds/);
    await until('the view message', () => api.views.secretsView.message?.includes(`The team store at 127.0.0.1:${pg!.port} is offline`));
    assert.ok(isOffline((await api.views.keys.getChildren())[0]), 'Keys view');
    assert.ok(isOffline((await api.views.audit.getChildren())[0]), 'Audit view');
    // A command that reaches the store meanwhile fails with one clear sentence.
    await vscode.commands.executeCommand('hush.secret.describe', 'team/API_TOKEN');
    await until('the error', () => errors.length > 0);
    assert.match(errors[errors.length - 1]!, new RegExp(`StoreUnavailable: the team store at 127\\.0\\.0\\.1:${pg!.port} is unreachable`));
    assert.strictEqual(errors.length, 1, `only the command's own error: ${JSON.stringify(errors)}`);
  });

  it('comes back by itself when the database does', async () => {
    pg!.resume();
    await until('open again', () => api.ctx.store?.state === 'open', 30_000);
    await until('the secrets again', async () => (await rootNames()).includes('team/API_TOKEN'));
    await until('no offline message', () => !api.views.secretsView.message);
  });
});
