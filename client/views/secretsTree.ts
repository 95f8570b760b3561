/**
 * The Secrets view: path groups → secrets → versions → stage labels. Items
 * come from the server (`hush/secrets/list`, `hush/secrets/describe`); the
 * view refreshes when the server says the store changed. Stage labels can be
 * dragged onto another version to move them.
 */
import * as vscode from 'vscode';
import type { SecretDetails, SecretInfo, VersionInfo } from '../../shared/protocol';
import type { Ctx } from '../ctx';

export type SecretsNode =
  | { kind: 'group'; path: string; label: string }
  | { kind: 'secret'; secretName: string; info: SecretInfo }
  | { kind: 'version'; secretName: string; version: VersionInfo; details: SecretDetails }
  | { kind: 'label'; secretName: string; label: string; versionId: string };

const MIME = 'application/vnd.code.tree.hush.secrets';

function short(id: string): string {
  return id.slice(0, 8);
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** ok / rotation due / scheduled for deletion / under a key that cannot decrypt. */
export function secretState(s: SecretInfo): 'deleting' | 'key-unusable' | 'rotation-due' | 'ok' {
  if (s.deletionDate) return 'deleting';
  if (s.keyState !== 'Enabled') return 'key-unusable';
  if (s.rotation?.due) return 'rotation-due';
  return 'ok';
}

export class SecretsTree implements vscode.TreeDataProvider<SecretsNode>, vscode.TreeDragAndDropController<SecretsNode> {
  readonly dropMimeTypes = [MIME];
  readonly dragMimeTypes = [MIME];
  private readonly changed = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private secrets: Promise<SecretInfo[]> | undefined;
  private details = new Map<string, Promise<SecretDetails>>();
  filter = '';
  tagFilter = '';

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.secrets = undefined;
    this.details.clear();
    this.changed.fire(undefined);
  }

  /** Secrets after the filter box and the tag filter. */
  async list(): Promise<SecretInfo[]> {
    this.secrets ??= this.ctx.core('secrets/list', {}).catch((e: unknown) => {
      this.secrets = undefined;
      throw e;
    });
    const all = await this.secrets;
    const f = this.filter.toLowerCase();
    return all.filter(
      (s) =>
        (!f || s.name.toLowerCase().includes(f) || s.description.toLowerCase().includes(f)) &&
        (!this.tagFilter || this.tagFilter in s.tags),
    );
  }

  private describe(name: string): Promise<SecretDetails> {
    let d = this.details.get(name);
    if (!d) {
      d = this.ctx.core('secrets/describe', { secretName: name });
      this.details.set(name, d);
      d.catch(() => this.details.delete(name));
    }
    return d;
  }

  async getChildren(node?: SecretsNode): Promise<SecretsNode[]> {
    try {
      if (!node || node.kind === 'group') {
        const prefix = node ? `${node.path}/` : '';
        const secrets = (await this.list()).filter((s) => s.name.startsWith(prefix));
        const groups = new Map<string, SecretsNode>();
        const leaves: SecretsNode[] = [];
        for (const s of secrets) {
          const rest = s.name.slice(prefix.length);
          const slash = rest.indexOf('/');
          if (slash > 0) {
            const label = rest.slice(0, slash);
            groups.set(label, { kind: 'group', path: prefix + label, label });
          } else {
            leaves.push({ kind: 'secret', secretName: s.name, info: s });
          }
        }
        return [...[...groups.values()].sort((a, b) => (a as { label: string }).label.localeCompare((b as { label: string }).label)), ...leaves];
      }
      if (node.kind === 'secret') {
        const d = await this.describe(node.secretName);
        return [...d.versions]
          .sort((a, b) => Number(b.versionStages.includes('CURRENT')) - Number(a.versionStages.includes('CURRENT')) || b.createdAt.localeCompare(a.createdAt))
          .map((v) => ({ kind: 'version', secretName: node.secretName, version: v, details: d }));
      }
      if (node.kind === 'version') {
        return node.version.versionStages.map((label) => ({ kind: 'label', secretName: node.secretName, label, versionId: node.version.versionId }));
      }
      return [];
    } catch (e) {
      this.ctx.showError('Could not read the secrets', e);
      return [];
    }
  }

  /** Needed by TreeView.reveal: a secret's parent is its path group. */
  getParent(node: SecretsNode): SecretsNode | undefined {
    const name = node.kind === 'group' ? node.path : node.secretName;
    if (node.kind === 'version') return { kind: 'secret', secretName: node.secretName, info: node.details };
    if (node.kind === 'label') return undefined;
    const slash = name.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const parent = name.slice(0, slash);
    return { kind: 'group', path: parent, label: parent.slice(parent.lastIndexOf('/') + 1) };
  }

  /** The node of a secret by name, for reveal. */
  async find(secretName: string): Promise<SecretsNode | undefined> {
    const info = (await this.list()).find((s) => s.name === secretName);
    return info ? { kind: 'secret', secretName, info } : undefined;
  }

  getTreeItem(node: SecretsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.path}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = 'group';
        item.accessibilityInformation = { label: `Folder ${node.path}`, role: 'treeitem' };
        return item;
      }
      case 'secret':
        return secretItem(node.info);
      case 'version': {
        const v = node.version;
        const current = v.versionStages.includes('CURRENT');
        const item = new vscode.TreeItem(
          short(v.versionId),
          v.versionStages.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `version:${node.secretName}:${v.versionId}`;
        item.description = [v.versionStages.join(', '), when(v.createdAt)].filter(Boolean).join(' · ');
        item.iconPath = current ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green')) : new vscode.ThemeIcon('circle-outline');
        item.contextValue = current ? 'version.current' : 'version';
        item.tooltip = new vscode.MarkdownString(
          [`**Version** \`${v.versionId}\``, '', `Created: ${when(v.createdAt)}`, `Labels: ${v.versionStages.join(', ') || 'none'}`, `Key: \`${v.kmsKeyId}\``].join('  \n'),
        );
        item.accessibilityInformation = {
          label: `Version ${short(v.versionId)}, ${v.versionStages.length ? `labels ${v.versionStages.join(', ')}` : 'no labels'}, created ${when(v.createdAt)}`,
          role: 'treeitem',
        };
        return item;
      }
      case 'label': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `label:${node.secretName}:${node.label}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = node.label === 'CURRENT' ? 'label.current' : 'label';
        item.tooltip = `Stage label ${node.label}. Drag it onto another version to move it.`;
        item.accessibilityInformation = { label: `Stage label ${node.label}`, role: 'treeitem' };
        return item;
      }
    }
  }

  handleDrag(source: readonly SecretsNode[], data: vscode.DataTransfer): void {
    const labels = source.filter((n): n is Extract<SecretsNode, { kind: 'label' }> => n.kind === 'label');
    if (labels.length === 1) data.set(MIME, new vscode.DataTransferItem(labels[0]));
  }

  async handleDrop(target: SecretsNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const label = data.get(MIME)?.value as Extract<SecretsNode, { kind: 'label' }> | undefined;
    if (!label || !target || target.kind === 'group') return;
    const toVersion = target.kind === 'version' ? target.version.versionId : target.kind === 'label' ? target.versionId : undefined;
    if (!toVersion || target.secretName !== label.secretName || toVersion === label.versionId) return;
    await vscode.commands.executeCommand('hush.secret.moveLabel', { secretName: label.secretName, label: label.label, fromVersionId: label.versionId, toVersionId: toVersion });
  }
}

export function secretItem(s: SecretInfo): vscode.TreeItem {
  const leaf = s.name.slice(s.name.lastIndexOf('/') + 1);
  const item = new vscode.TreeItem(leaf, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `secret:${s.name}`;
  const state = secretState(s);
  const icons = {
    ok: new vscode.ThemeIcon('key'),
    'rotation-due': new vscode.ThemeIcon('history', new vscode.ThemeColor('list.warningForeground')),
    deleting: new vscode.ThemeIcon('trash', new vscode.ThemeColor('list.errorForeground')),
    'key-unusable': new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  } as const;
  const notes = {
    ok: s.description,
    'rotation-due': 'rotation due',
    deleting: `deleted ${new Date(s.deletionDate ?? 0).toLocaleDateString()}`,
    'key-unusable': `key ${s.keyState}`,
  } as const;
  item.iconPath = icons[state];
  item.description = notes[state] || undefined;
  item.contextValue = `secret.${state}`;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**$(key) ${escapeMd(s.name)}**\n\n`);
  if (s.description) md.appendMarkdown(`${escapeMd(s.description)}\n\n`);
  md.appendMarkdown(`Key: \`${s.keyAlias ?? s.kmsKeyId}\` (${s.keyState})  \n`);
  md.appendMarkdown(`Created: ${when(s.createdAt)}  \nUpdated: ${when(s.updatedAt)}  \n`);
  if (s.lastAccessedAt) md.appendMarkdown(`Last read: ${new Date(s.lastAccessedAt).toLocaleDateString()}  \n`);
  if (s.rotation) {
    md.appendMarkdown(`Rotation: every ${s.rotation.intervalDays} days, next ${new Date(s.rotation.nextRotationDate).toLocaleDateString()}${s.rotation.due ? ' **(due)**' : ''}  \n`);
  }
  if (s.deletionDate) md.appendMarkdown(`**Scheduled for deletion on ${when(s.deletionDate)}**: restore it to keep it.  \n`);
  const tags = Object.entries(s.tags);
  if (tags.length) md.appendMarkdown(`Tags: ${tags.map(([k, v]) => `\`${escapeMd(k)}=${escapeMd(v)}\``).join(' ')}`);
  item.tooltip = md;
  item.accessibilityInformation = {
    label: `Secret ${s.name}${state === 'ok' ? '' : `, ${notes[state]}`}${s.description ? `, ${s.description}` : ''}`,
    role: 'treeitem',
  };
  return item;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
