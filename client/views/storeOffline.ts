/**
 * How the views show a team store whose database cannot be reached: one
 * item naming the host, with the reason in its tooltip, instead of an error
 * per view. The server tries again every few seconds and says when it is
 * back; the views then refresh by themselves (client/views.ts).
 */
import * as vscode from 'vscode';
import { errorCode, type Ctx } from '../ctx';

export interface OfflineNode {
  kind: 'offline';
  /** host:port of the database. */
  host?: string;
  message: string;
}

/** The offline node when the server said the store is offline, or when `e` says it is unreachable. */
export function offlineNode(ctx: Ctx, e?: unknown): OfflineNode | undefined {
  const s = ctx.store;
  if (s?.state === 'offline') return { kind: 'offline', ...(s.host ? { host: s.host } : {}), message: s.message ?? 'the team store cannot be reached' };
  if (e !== undefined && errorCode(e) === 'StoreUnavailable') {
    const message = ((e as Error)?.message ?? String(e)).replace(/^StoreUnavailable: /, '');
    const host = s?.host ?? /the team store at (\S+) is unreachable/.exec(message)?.[1];
    return { kind: 'offline', ...(host ? { host } : {}), message };
  }
  return undefined;
}

export function isOffline(n: unknown): n is OfflineNode {
  return (n as { kind?: unknown })?.kind === 'offline';
}

/** One line for the view's message area. */
export function offlineMessage(n: OfflineNode): string {
  return `The team store${n.host ? ` at ${n.host}` : ''} is offline. Hush retries every 5 seconds; this view refreshes when it is back.`;
}

export function offlineItem(n: OfflineNode): vscode.TreeItem {
  const item = new vscode.TreeItem(`Team store offline${n.host ? `: ${n.host}` : ''}`, vscode.TreeItemCollapsibleState.None);
  item.id = 'offline';
  item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.errorForeground'));
  item.description = 'retrying';
  item.contextValue = 'offline';
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**$(debug-disconnect) The team store${n.host ? ` at \`${n.host}\`` : ''} is offline**\n\n`);
  md.appendText(n.message);
  md.appendMarkdown(
    '\n\nHush tries again every 5 seconds, and this view refreshes by itself when the database answers. ' +
      'Detection in open files keeps working meanwhile. Click to try now.',
  );
  item.tooltip = md;
  item.command = { command: 'hush.refresh', title: 'Try Again' };
  item.accessibilityInformation = { label: `Team store${n.host ? ` at ${n.host}` : ''} is offline; retrying`, role: 'treeitem' };
  return item;
}
