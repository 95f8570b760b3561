/**
 * The sidebar views. Until the Secrets Manager lands they are empty, which
 * makes VS Code show each view's welcome content (declared in package.json).
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';

class EmptyTree implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
}

export function registerViews(ctx: Ctx): void {
  for (const id of ['hush.secrets', 'hush.keys', 'hush.audit']) {
    ctx.extension.subscriptions.push(vscode.window.createTreeView(id, { treeDataProvider: new EmptyTree() }));
  }
}
