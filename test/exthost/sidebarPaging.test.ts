/**
 * The Secrets view one page at a time, inside the real extension host: the
 * first page and a "Load more…" item at the end of the group it cuts, the
 * next pages on demand (the item and the command), the filter applied by the
 * server, and "Show Secret in Sidebar" for a secret beyond the pages loaded.
 * Its secrets (`zzpage/…`) sort after every other test's, and are deleted
 * at the end.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import type { SecretsNode } from '../../client/views/secretsTree';
import { EXTENSION_ID } from '../e2e/fixtures';

const COUNT = 230;
const nameOf = (i: number): string => `zzpage/S${String(i).padStart(3, '0')}`;

describe('Secrets view paging (extension host)', () => {
  let api: TestApi;
  const children = (n?: SecretsNode): Promise<SecretsNode[]> => api.views.secrets.getChildren(n);

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    for (let i = 0; i < COUNT; i++) await api.ctx.core('secrets/create', { name: nameOf(i), description: i === 222 ? 'the odd one' : '' });
    api.views.secrets.filter = '';
    api.views.secrets.tagFilter = '';
    api.views.refresh();
  });

  after(async () => {
    api.views.secrets.filter = '';
    for (let i = 0; i < COUNT; i++) await api.ctx.core('secrets/delete', { secretName: nameOf(i), force: true }).catch(() => undefined);
    api.views.refresh();
  });

  async function group(): Promise<SecretsNode[]> {
    const g = (await children()).find((n) => n.kind === 'group' && n.path === 'zzpage');
    assert.ok(g, 'the zzpage group');
    return children(g);
  }

  it('shows the first page, then the next ones on "Load more…"', async () => {
    api.views.secrets.filter = 'zzpage/';
    api.views.refresh();
    let items = await group();
    const secrets = (): string[] => items.filter((n) => n.kind === 'secret').map((n) => (n as { secretName: string }).secretName);
    assert.deepStrictEqual(secrets(), Array.from({ length: 100 }, (_, i) => nameOf(i)));
    const more = items[items.length - 1]!;
    assert.strictEqual(more.kind, 'more', 'the group the page cuts ends with Load more…');
    const item = api.views.secrets.getTreeItem(more);
    assert.strictEqual(item.label, 'Load more…');
    assert.strictEqual(item.command?.command, 'hush.secrets.loadMore');
    assert.strictEqual(item.description, '100 loaded');
    assert.ok((await children()).every((n) => n.kind !== 'more'), 'not at the top as well: the group is where the list is cut');
    await waitFor('the title to say more', () => String(api.views.secretsView.description ?? '').includes('more to load'));

    await vscode.commands.executeCommand(item.command!.command);
    items = await group();
    assert.strictEqual(secrets().length, 200);
    assert.strictEqual(items[items.length - 1]!.kind, 'more');
    await vscode.commands.executeCommand('hush.secrets.loadMore');
    items = await group();
    assert.deepStrictEqual(secrets(), Array.from({ length: COUNT }, (_, i) => nameOf(i)));
    assert.ok(items.every((n) => n.kind !== 'more'), 'all loaded: no Load more…');
    await waitFor('the title to drop "more to load"', () => !String(api.views.secretsView.description ?? '').includes('more to load'));
  });

  it('filters on the server, by name or description, in any case', async () => {
    api.views.secrets.filter = 'ZZPAGE/s22';
    api.views.refresh();
    const items = await group();
    assert.deepStrictEqual(
      items.map((n) => (n as { secretName: string }).secretName),
      Array.from({ length: 10 }, (_, i) => nameOf(220 + i)),
    );
    api.views.secrets.filter = 'ODD ONE';
    assert.deepStrictEqual((await api.views.secrets.list()).map((s) => s.name), [nameOf(222)]);
    api.views.secrets.filter = '';
    api.views.refresh();
  });

  it('"Show Secret in Sidebar" finds a secret beyond the pages loaded', async () => {
    const first = (await api.views.secrets.list()).map((s) => s.name);
    assert.ok(!first.includes(nameOf(COUNT - 1)), 'not on the first page');
    let selected: SecretsNode[] = [];
    for (let attempt = 0; attempt < 3 && selected.length === 0; attempt++) {
      await vscode.commands.executeCommand('hush.secret.showInSidebar', nameOf(COUNT - 1));
      for (let i = 0; i < 30 && selected.length === 0; i++) {
        selected = api.views.secretsView.selection as SecretsNode[];
        if (selected.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.deepStrictEqual(selected.map((n) => (n as { secretName?: string }).secretName), [nameOf(COUNT - 1)]);
    assert.strictEqual(api.views.secrets.filter, nameOf(COUNT - 1), 'the view is filtered by its name, and says so');
    api.views.secrets.filter = '';
    api.views.refresh();
  });
});

async function waitFor(what: string, f: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
