/**
 * The sidebar: Secrets, Keys and Audit views, refreshed when the server says
 * the store changed (this editor's actions, the CLI's, a teammate's), and
 * when a team store goes offline or comes back.
 */
import * as vscode from 'vscode';
import type { StoreState } from '../shared/protocol';
import type { Ctx } from './ctx';
import { AuditTree } from './views/auditTree';
import { KeysTree } from './views/keysTree';
import { SecretsTree } from './views/secretsTree';
import { offlineMessage, offlineNode } from './views/storeOffline';

export interface Views {
  secrets: SecretsTree;
  keys: KeysTree;
  audit: AuditTree;
  secretsView: vscode.TreeView<unknown>;
  auditView: vscode.TreeView<unknown>;
  refresh(): void;
}

/** The store in a few words, for the Secrets view's title: a team store by its host. */
function storeLabel(s: StoreState | undefined): string | undefined {
  if (s?.kind !== 'team') return undefined;
  return `team · ${s.host ?? s.path}${s.state === 'offline' ? ' · offline' : ''}`;
}

export function registerViews(ctx: Ctx): Views {
  const secrets = new SecretsTree(ctx);
  const keys = new KeysTree(ctx);
  const audit = new AuditTree(ctx);
  const secretsView = vscode.window.createTreeView('hush.secrets', {
    treeDataProvider: secrets,
    dragAndDropController: secrets,
    showCollapseAll: true,
    canSelectMany: false,
  });
  const keysView = vscode.window.createTreeView('hush.keys', { treeDataProvider: keys });
  const auditView = vscode.window.createTreeView('hush.audit', { treeDataProvider: audit });
  ctx.extension.subscriptions.push(secretsView, keysView, auditView);

  /** Title descriptions, the offline message and the context keys the menus use. */
  const describe = async (): Promise<void> => {
    const more = await secrets.hasMore();
    secretsView.description =
      [storeLabel(ctx.store), secrets.filter && `“${secrets.filter}”`, secrets.tagFilter && `tag ${secrets.tagFilter}`, more && 'more to load'].filter(Boolean).join(' · ') || undefined;
    const off = offlineNode(ctx);
    // '' rather than undefined: the workbench kept showing the last message when it was set to undefined.
    secretsView.message = off ? offlineMessage(off) : '';
    auditView.description = audit.describeFilters();
    void vscode.commands.executeCommand('setContext', 'hush.secretsFiltered', Boolean(secrets.filter || secrets.tagFilter));
    void vscode.commands.executeCommand('setContext', 'hush.secretsHasMore', more);
    void vscode.commands.executeCommand('setContext', 'hush.auditFiltered', Boolean(audit.describeFilters()));
  };

  const views: Views = {
    secrets,
    keys,
    audit,
    secretsView: secretsView as vscode.TreeView<unknown>,
    auditView: auditView as vscode.TreeView<unknown>,
    refresh() {
      secrets.refresh();
      keys.refresh();
      audit.refresh();
      void describe();
    },
  };
  ctx.extension.subscriptions.push(
    ctx.onStoreChanged(() => views.refresh()),
    secrets.onDidChangePages(() => void describe()),
    // Offline, or back: every view shows it at once (the server retries by itself).
    ctx.onStoreState(({ previous, current }) => {
      const was = previous?.state === 'offline';
      const is = current?.state === 'offline';
      if (was !== is || (is && previous?.message !== current?.message)) views.refresh();
      else if (previous?.kind !== current?.kind || previous?.host !== current?.host) void describe();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hush.audit')) audit.refresh();
    }),
  );
  return views;
}
