/** The Keys view: customer master keys with alias, state, origin and deletion date. */
import * as vscode from 'vscode';
import type { KeySummary } from '../../shared/protocol';
import type { Ctx } from '../ctx';

export class KeysTree implements vscode.TreeDataProvider<KeySummary> {
  private readonly changed = new vscode.EventEmitter<KeySummary | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: KeySummary): Promise<KeySummary[]> {
    if (node) return [];
    try {
      const keys = await this.ctx.listKeys();
      return keys.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.aliases[0] ?? a.keyId).localeCompare(b.aliases[0] ?? b.keyId));
    } catch (e) {
      this.ctx.showError('Could not list keys', e);
      return [];
    }
  }

  getTreeItem(k: KeySummary): vscode.TreeItem {
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
    item.contextValue = `key.${k.state}${k.isDefault ? '.default' : ''}${k.origin === 'EXTERNAL' ? '.external' : ''}`;
    item.tooltip = new vscode.MarkdownString(
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
    );
    item.accessibilityInformation = { label: `Key ${k.aliases[0] ?? k.keyId}, ${k.state}${k.isDefault ? ', default key' : ''}`, role: 'treeitem' };
    return item;
  }
}
