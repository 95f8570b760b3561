/**
 * The sidebar: Secrets, Keys and Audit views, refreshed when the server says
 * the store changed (this editor's actions and the CLI's alike).
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { AuditTree } from './views/auditTree';
import { KeysTree } from './views/keysTree';
import { SecretsTree } from './views/secretsTree';

export interface Views {
  secrets: SecretsTree;
  keys: KeysTree;
  audit: AuditTree;
  secretsView: vscode.TreeView<unknown>;
  auditView: vscode.TreeView<unknown>;
  refresh(): void;
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
      secretsView.description = [secrets.filter && `“${secrets.filter}”`, secrets.tagFilter && `tag ${secrets.tagFilter}`].filter(Boolean).join(' · ') || undefined;
      auditView.description = audit.secret || undefined;
      void vscode.commands.executeCommand('setContext', 'hush.secretsFiltered', Boolean(secrets.filter || secrets.tagFilter));
    },
  };
  ctx.extension.subscriptions.push(
    ctx.onStoreChanged(() => views.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hush.audit')) audit.refresh();
    }),
  );
  return views;
}
