/** The Audit view: the latest records, newest first, optionally for one secret. */
import * as vscode from 'vscode';
import type { AuditRow } from '../../shared/protocol';
import type { Ctx } from '../ctx';

const METADATA_READ = /:(List\w*|Describe\w*)$/;

export class AuditTree implements vscode.TreeDataProvider<AuditRow> {
  private readonly changed = new vscode.EventEmitter<AuditRow | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Secret name to filter by; empty for all. */
  secret = '';

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: AuditRow): Promise<AuditRow[]> {
    if (node) return [];
    try {
      const rows = await this.ctx.core('audit/list', { limit: 500, ...(this.secret ? { secret: this.secret } : {}) });
      // The views' own listing calls are audited too; by default show what a reviewer looks for:
      // changes, value reads, key use and denials.
      const all = this.ctx.config.auditShowMetadataReads;
      return rows.filter((r) => all || r.outcome !== 'Success' || !METADATA_READ.test(r.action)).slice(0, 200);
    } catch (e) {
      this.ctx.showError('Could not read the audit log', e);
      return [];
    }
  }

  getTreeItem(r: AuditRow): vscode.TreeItem {
    const action = r.action.replace(/^[a-z]+:/, '');
    const target = r.resource.secretName ?? r.resource.alias ?? (r.resource.keyId ? r.resource.keyId.slice(0, 8) : '');
    const item = new vscode.TreeItem(`${action}${target ? ` ${target}` : ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = `audit:${r.seq}`;
    const ok = r.outcome === 'Success';
    item.description = `${new Date(r.time).toLocaleString()}${ok ? '' : ` · ${r.outcome}${r.errorCode ? ` (${r.errorCode})` : ''}`}`;
    item.iconPath = ok ? new vscode.ThemeIcon('check') : new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.tooltip = new vscode.MarkdownString(
      [
        `**#${r.seq} ${r.action}**`,
        '',
        `When: ${new Date(r.time).toLocaleString()}`,
        `Who: ${r.principal}`,
        `Outcome: ${r.outcome}${r.errorCode ? ` (${r.errorCode})` : ''}`,
        ...Object.entries(r.resource).map(([k, v]) => `${k}: \`${v}\``),
      ].join('  \n'),
    );
    item.accessibilityInformation = { label: `${r.action} ${target}, ${r.outcome}, ${new Date(r.time).toLocaleString()}`, role: 'treeitem' };
    return item;
  }
}
