/** The Keys view: customer master keys with alias, state, origin and deletion date. */
import * as vscode from 'vscode';
import { KEY_VERBS, type KeySummary, type KeyVerb } from '../../shared/protocol';
import type { Ctx } from '../ctx';
import { appendDenials, deniedFlags, type Denials, KEY_VERB_TITLES } from './deniedCommands';
import { isOffline, offlineItem, offlineNode, type OfflineNode } from './storeOffline';

export type KeysNode = KeySummary | OfflineNode;

export class KeysTree implements vscode.TreeDataProvider<KeysNode> {
  private readonly changed = new vscode.EventEmitter<KeysNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private denials = new Map<string, Denials<KeyVerb>>();
  private principal: string | undefined;

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: KeysNode): Promise<KeysNode[]> {
    if (node) return [];
    const off = offlineNode(this.ctx);
    if (off) return [off];
    try {
      const keys = await this.ctx.listKeys();
      await this.decide(keys);
      return keys.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.aliases[0] ?? a.keyId).localeCompare(b.aliases[0] ?? b.keyId));
    } catch (e) {
      const offline = offlineNode(this.ctx, e);
      if (offline) return [offline];
      this.ctx.showError('Could not list keys', e);
      return [];
    }
  }

  /** What the member may not do on these keys, in one request (the commands stay offered if it fails). */
  private async decide(keys: KeySummary[]): Promise<void> {
    this.denials.clear();
    if (!keys.length) return;
    try {
      const d = await this.ctx.core('access/decide', { keys: keys.map((k) => k.keyId) });
      this.principal = d.principal;
      for (const k of keys) this.denials.set(k.keyId, d.keys[k.keyId] ?? {});
    } catch (e) {
      this.ctx.log(`Could not ask what you may do on the keys: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  getTreeItem(k: KeysNode): vscode.TreeItem {
    if (isOffline(k)) return offlineItem(k);
    const item = new vscode.TreeItem(k.aliases[0]?.replace(/^alias\//, '') ?? k.keyId.slice(0, 8), vscode.TreeItemCollapsibleState.None);
    item.id = `key:${k.keyId}`;
    const parts = [k.state === 'Enabled' ? '' : k.state, k.isDefault ? 'default' : '', k.origin === 'EXTERNAL' ? 'imported' : ''];
    if (k.deletionDate) parts.push(`deletes ${new Date(k.deletionDate).toLocaleDateString()}`);
    item.description = parts.filter(Boolean).join(' · ') || undefined;
    item.iconPath =
      k.state === 'Enabled'
        ? new vscode.ThemeIcon(k.isDefault ? 'workspace-trusted' : 'key')
        : k.state === 'PendingDeletion'
          ? new vscode.ThemeIcon('trash', new vscode.ThemeColor('list.errorForeground'))
          : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.warningForeground'));
    const denied = this.denials.get(k.keyId);
    item.contextValue = `key.${k.state}${k.isDefault ? '.default' : ''}${k.origin === 'EXTERNAL' ? '.external' : ''}${deniedFlags(denied, KEY_VERBS)}`;
    const md = new vscode.MarkdownString(
      [
        `**${k.aliases.join(', ') || 'no alias'}**`,
        '',
        `Key id: \`${k.keyId}\``,
        `State: ${k.state}`,
        `Origin: ${k.origin === 'EXTERNAL' ? 'imported material (BYOK)' : 'Hush'}`,
        `Created: ${new Date(k.createdAt).toLocaleString()}`,
        k.description ? `Description: ${k.description}` : '',
        k.deletionDate ? `**Deleted for good on ${new Date(k.deletionDate).toLocaleString()}** unless cancelled` : '',
      ]
        .filter(Boolean)
        .join('  \n'),
      true,
    );
    appendDenials(md, denied, KEY_VERB_TITLES, this.principal);
    item.tooltip = md;
    item.accessibilityInformation = { label: `Key ${k.aliases[0] ?? k.keyId}, ${k.state}${k.isDefault ? ', default key' : ''}`, role: 'treeitem' };
    return item;
  }
}
