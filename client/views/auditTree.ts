/**
 * The Audit view: the latest records, newest first, filtered by member,
 * action (or a family: `kms:*`), resource, outcome and secret (the server
 * filters, shared/protocol.ts AuditQuery). A denial stands out (its own
 * icon and colour) and its tooltip names the deciding statement; every
 * tooltip says where the request came from (editor, CLI, hush serve) and on
 * which host.
 */
import * as vscode from 'vscode';
import type { AuditQuery, AuditRow } from '../../shared/protocol';
import type { Ctx } from '../ctx';
import { isOffline, offlineItem, offlineNode, type OfflineNode } from './storeOffline';

const METADATA_READ = /:(List\w*|Describe\w*)$/;

export type AuditNode = AuditRow | OfflineNode;

export type AuditFilters = Omit<AuditQuery, 'limit'>;

const SOURCE_NAMES: Record<string, string> = { editor: 'the editor', cli: 'the CLI', serve: 'hush serve' };

/** The resource of a record as a policy names it (for Explain): its secret, else its key, else `*`. */
export function auditResource(r: AuditRow): string {
  if (r.resource.secretName) return `secret:${r.resource.secretName}`;
  if (r.resource.secretId) return `secret:${r.resource.secretId}`;
  if (r.resource.keyId) return `key:${r.resource.keyId}`;
  if (r.resource.alias) return `key:${r.resource.alias}`;
  return '*';
}

/** "denied by policy 'X', statement Y" / "no statement allows it", from the record's context. */
export function decidingStatement(r: AuditRow): string | undefined {
  const c = r.context;
  if (!c?.decision) return undefined;
  const verb = c.decision === 'Deny' ? 'denied' : 'allowed';
  if (c.policy) return `${verb} by policy '${c.policy}'${c.sid ? `, statement ${c.sid}` : ''}`;
  return c.decision === 'Deny' ? 'no statement allows it' : 'allowed (no policy applies)';
}

export class AuditTree implements vscode.TreeDataProvider<AuditNode> {
  private readonly changed = new vscode.EventEmitter<AuditNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The filters shown in the view's title; empty for all records. */
  filters: AuditFilters = {};

  constructor(private readonly ctx: Ctx) {}

  /** Secret name to filter by; empty for all (the secret's "Show Audit Records" sets it). */
  get secret(): string {
    return this.filters.secret ?? '';
  }
  set secret(v: string) {
    const { secret: _old, ...rest } = this.filters;
    this.filters = v ? { ...rest, secret: v } : rest;
  }

  /** The active filters in a few words, for the view's description. */
  describeFilters(): string | undefined {
    const f = this.filters;
    const parts = [
      f.principal && `member ${f.principal}`,
      f.action && f.action,
      f.resource && `“${f.resource}”`,
      f.secret && `secret ${f.secret}`,
      f.outcome && f.outcome,
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : undefined;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: AuditNode): Promise<AuditNode[]> {
    if (node) return [];
    const off = offlineNode(this.ctx);
    if (off) return [off];
    try {
      const rows = await this.ctx.core('audit/list', { limit: 500, ...this.filters });
      // The views' own listing calls are audited too; by default show what a reviewer looks for:
      // changes, value reads, key use and denials (unless the user filters by action).
      const all = this.ctx.config.auditShowMetadataReads || Boolean(this.filters.action);
      return rows.filter((r) => all || r.outcome !== 'Success' || !METADATA_READ.test(r.action)).slice(0, 200);
    } catch (e) {
      const offline = offlineNode(this.ctx, e);
      if (offline) return [offline];
      this.ctx.showError('Could not read the audit log', e);
      return [];
    }
  }

  getTreeItem(r: AuditNode): vscode.TreeItem {
    if (isOffline(r)) return offlineItem(r);
    const action = r.action.replace(/^[a-z]+:/, '');
    const target = r.resource.secretName ?? r.resource.alias ?? (r.resource.keyId ? r.resource.keyId.slice(0, 8) : '');
    const item = new vscode.TreeItem(`${action}${target ? ` ${target}` : ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = `audit:${r.seq}`;
    const when = new Date(r.time).toLocaleString();
    const deciding = decidingStatement(r);
    const outcome = r.outcome === 'Success' ? '' : r.outcome === 'Denied' ? 'DENIED' : `${r.outcome}${r.errorCode ? ` (${r.errorCode})` : ''}`;
    item.description = [outcome, r.principal, when].filter(Boolean).join(' · ');
    item.iconPath =
      r.outcome === 'Success'
        ? new vscode.ThemeIcon('check')
        : r.outcome === 'Denied'
          ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground'))
          : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = `audit.${r.outcome}`;
    const c = r.context;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(
      [
        `**#${r.seq} ${r.action}**${r.outcome === 'Denied' ? ' — $(circle-slash) **Denied**' : ''}`,
        '',
        `When: ${when}`,
        `Who: ${r.principal}${c?.auth ? ` (authenticated by ${c.auth})` : ''}`,
        ...(c ? [`From: ${SOURCE_NAMES[c.source] ?? c.source} on ${c.host || 'an unknown host'}`] : []),
        `Outcome: ${r.outcome}${r.errorCode ? ` (${r.errorCode})` : ''}`,
        ...(deciding ? [`Decision: ${deciding}`] : []),
        ...Object.entries(r.resource).map(([k, v]) => `${k}: \`${v}\``),
        ...(c?.requestId ? [`Request: \`${c.requestId}\``] : []),
      ].join('  \n'),
    );
    if (r.outcome === 'Denied') md.appendMarkdown('\n\nRight-click → *Explain Access Decision* for every statement that matched.');
    item.tooltip = md;
    item.accessibilityInformation = {
      label: `${r.action} ${target}, ${r.outcome}${deciding && r.outcome === 'Denied' ? `, ${deciding}` : ''}, by ${r.principal}${c ? ` from ${c.source} on ${c.host}` : ''}, ${when}`,
      role: 'treeitem',
    };
    return item;
  }
}
