/**
 * The Secrets view: path groups → secrets → versions → stage labels. Items
 * come from the server (`hush/secrets/page`, `hush/secrets/describe`); the
 * view refreshes when the server says the store changed. Stage labels can be
 * dragged onto another version to move them.
 *
 * Paging: the store is read one page at a time (100 secrets, sorted by name,
 * filtered on the server), never whole: a team store may hold thousands.
 * The tree is built from the pages loaded so far. Every name under a path
 * prefix sorts together, so each group is complete except the ones holding
 * the last secret loaded; the innermost of those ends with "Load more…"
 * (also in the view's title bar). Paging per group would need every group's
 * name first, that is every secret's name: the store has no query for it.
 *
 * What the member may not do on an item (`hush/access/decide`, asked once
 * per page) hides its commands and says why in the tooltip.
 */
import * as vscode from 'vscode';
import { SECRET_VERBS, type SecretDetails, type SecretInfo, type SecretPage, type SecretVerb, type VersionInfo } from '../../shared/protocol';
import type { Ctx } from '../ctx';
import { appendDenials, deniedFlags, type Denials, escapeMd, SECRET_VERB_TITLES } from './deniedCommands';
import { offlineItem, offlineNode, type OfflineNode } from './storeOffline';

export type SecretsNode =
  | { kind: 'group'; path: string; label: string }
  | { kind: 'secret'; secretName: string; info: SecretInfo }
  | { kind: 'version'; secretName: string; version: VersionInfo; details: SecretDetails }
  | { kind: 'label'; secretName: string; label: string; versionId: string }
  /** "Load more…": the next page, at the end of the group that holds the last secret loaded. */
  | { kind: 'more'; path: string; loaded: number }
  | OfflineNode;

const MIME = 'application/vnd.code.tree.hush.secrets';

/** Secrets per page (the most ListSecrets returns at once). */
export const PAGE_SIZE = 100;

function short(id: string): string {
  return id.slice(0, 8);
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** ok / rotation due / scheduled for deletion / under a key that cannot decrypt. */
export function secretState(s: SecretInfo): 'deleting' | 'key-unusable' | 'rotation-due' | 'ok' {
  if (s.deletionDate) return 'deleting';
  // 'Unknown': the member may not list keys, so the key's state is not known here.
  if (s.keyState !== 'Enabled' && s.keyState !== 'Unknown') return 'key-unusable';
  if (s.rotation?.due) return 'rotation-due';
  return 'ok';
}

/** The folder a secret sits in: `a/b/` for `a/b/NAME`, '' at the top. */
function folderOf(name: string): string {
  return name.slice(0, name.lastIndexOf('/') + 1);
}

interface Loaded {
  secrets: SecretInfo[];
  nextToken?: string;
}

export class SecretsTree implements vscode.TreeDataProvider<SecretsNode>, vscode.TreeDragAndDropController<SecretsNode> {
  readonly dropMimeTypes = [MIME];
  readonly dragMimeTypes = [MIME];
  private readonly changed = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: Promise<Loaded> | undefined;
  private loadingMore: Promise<void> | undefined;
  /** Bumped by every reset: a page that arrives for an older listing is dropped. */
  private generation = 0;
  private details = new Map<string, Promise<SecretDetails>>();
  private denials = new Map<string, Denials<SecretVerb>>();
  /** Whose decisions these are (the tooltips name them). */
  principal: string | undefined;
  private text = '';
  private tag = '';
  /** Fires when a page arrived or the listing was reset (the view's title and context keys follow). */
  private readonly pagesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangePages = this.pagesChanged.event;

  constructor(private readonly ctx: Ctx) {}

  /** Part of a name or description (any case), applied by the server. */
  get filter(): string {
    return this.text;
  }
  set filter(v: string) {
    if (v === this.text) return;
    this.text = v;
    this.reset();
  }

  /** A tag key the secrets must have. */
  get tagFilter(): string {
    return this.tag;
  }
  set tagFilter(v: string) {
    if (v === this.tag) return;
    this.tag = v;
    this.reset();
  }

  private reset(): void {
    this.generation++;
    this.loaded = undefined;
    this.loadingMore = undefined;
    this.details.clear();
    this.denials.clear();
    this.pagesChanged.fire();
  }

  refresh(): void {
    this.reset();
    this.changed.fire(undefined);
  }

  /** One page from the server, and what the member may do on its secrets (one batch). */
  private async page(nextToken?: string): Promise<SecretPage> {
    const page = await this.ctx.core('secrets/page', {
      pageSize: PAGE_SIZE,
      ...(this.text ? { filter: this.text } : {}),
      ...(this.tag ? { tagKey: this.tag } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    await this.decide(page.secrets);
    return page;
  }

  private async decide(secrets: SecretInfo[]): Promise<void> {
    if (!secrets.length) return;
    try {
      const d = await this.ctx.core('access/decide', { secrets: secrets.map((s) => s.name) });
      this.principal = d.principal;
      for (const s of secrets) this.denials.set(s.name, d.secrets[s.name] ?? {});
    } catch (e) {
      // The commands stay offered: the core decides when they run.
      this.ctx.log(`Could not ask what you may do on these secrets: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private load(): Promise<Loaded> {
    if (!this.loaded) {
      const gen = this.generation;
      const p = this.page().then((page) => ({ secrets: page.secrets, ...(page.nextToken ? { nextToken: page.nextToken } : {}) }));
      this.loaded = p;
      p.then(
        () => gen === this.generation && this.pagesChanged.fire(),
        () => {
          if (this.loaded === p) this.loaded = undefined;
        },
      );
    }
    return this.loaded;
  }

  /** Loads the next page into the tree (the "Load more…" item and the title bar button). */
  loadMore(): Promise<void> {
    this.loadingMore ??= (async () => {
      const gen = this.generation;
      const l = await this.load();
      if (!l.nextToken) return;
      const page = await this.page(l.nextToken);
      if (gen !== this.generation) return; // refreshed meanwhile: the first page is read again
      const seen = new Set(l.secrets.map((s) => s.name));
      l.secrets.push(...page.secrets.filter((s) => !seen.has(s.name)));
      if (page.nextToken) l.nextToken = page.nextToken;
      else delete l.nextToken;
      this.pagesChanged.fire();
      this.changed.fire(undefined);
    })().finally(() => (this.loadingMore = undefined));
    return this.loadingMore;
  }

  /** The secrets loaded so far (after the filters), and whether the store has more. */
  async loadedSecrets(): Promise<{ secrets: SecretInfo[]; more: boolean }> {
    const l = await this.load();
    return { secrets: l.secrets, more: Boolean(l.nextToken) };
  }

  /** Whether pages have been loaded and more remain (without loading anything). */
  async hasMore(): Promise<boolean> {
    const l = await this.loaded?.catch(() => undefined);
    return Boolean(l?.nextToken);
  }

  /** Secrets loaded so far, after the filter box and the tag filter. */
  async list(): Promise<SecretInfo[]> {
    return (await this.load()).secrets;
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

  /** Groups and secrets directly under `prefix` ('' for the top), from the pages loaded. */
  private childrenOf(prefix: string, l: Loaded): SecretsNode[] {
    const groups = new Map<string, SecretsNode>();
    const leaves: SecretsNode[] = [];
    for (const s of l.secrets) {
      if (!s.name.startsWith(prefix)) continue;
      const rest = s.name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash > 0) {
        const label = rest.slice(0, slash);
        groups.set(label, { kind: 'group', path: prefix + label, label });
      } else {
        leaves.push({ kind: 'secret', secretName: s.name, info: s });
      }
    }
    const out: SecretsNode[] = [...[...groups.values()].sort((a, b) => (a as { label: string }).label.localeCompare((b as { label: string }).label)), ...leaves];
    const last = l.secrets[l.secrets.length - 1];
    if (l.nextToken && last && folderOf(last.name) === prefix) out.push({ kind: 'more', path: prefix.replace(/\/$/, ''), loaded: l.secrets.length });
    return out;
  }

  async getChildren(node?: SecretsNode): Promise<SecretsNode[]> {
    if (!node) {
      const off = offlineNode(this.ctx);
      if (off) return [off];
    }
    try {
      if (!node || node.kind === 'group') {
        const l = await this.load();
        return this.childrenOf(node ? `${node.path}/` : '', l);
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
      const off = offlineNode(this.ctx, e);
      if (off) return node ? [] : [off];
      this.ctx.showError('Could not read the secrets', e);
      return [];
    }
  }

  /** Needed by TreeView.reveal: a secret's parent is its path group. */
  getParent(node: SecretsNode): SecretsNode | undefined {
    if (node.kind === 'offline') return undefined;
    if (node.kind === 'version') return { kind: 'secret', secretName: node.secretName, info: node.details };
    if (node.kind === 'label') return undefined;
    if (node.kind === 'more') return node.path ? { kind: 'group', path: node.path, label: node.path.slice(node.path.lastIndexOf('/') + 1) } : undefined;
    const name = node.kind === 'group' ? node.path : node.secretName;
    const slash = name.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const parent = name.slice(0, slash);
    return { kind: 'group', path: parent, label: parent.slice(parent.lastIndexOf('/') + 1) };
  }

  /** The node of a secret by name among the pages loaded, for reveal. */
  async find(secretName: string): Promise<SecretsNode | undefined> {
    const info = (await this.list()).find((s) => s.name === secretName);
    return info ? { kind: 'secret', secretName, info } : undefined;
  }

  /** What the member may not do on a secret (empty until its page's decisions arrived, or when all is allowed). */
  denied(secretName: string): Denials<SecretVerb> | undefined {
    return this.denials.get(secretName);
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
        return secretItem(node.info, this.denials.get(node.secretName), this.principal);
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.path}`;
        item.iconPath = new vscode.ThemeIcon('fold-down');
        item.description = `${node.loaded} loaded`;
        item.tooltip = `Secrets are read ${PAGE_SIZE} at a time, in name order: ${node.loaded} loaded so far. Load the next ${PAGE_SIZE}, or filter the view to find one.`;
        item.command = { command: 'hush.secrets.loadMore', title: 'Load More Secrets' };
        item.contextValue = 'more';
        item.accessibilityInformation = { label: `Load more secrets, ${node.loaded} loaded`, role: 'treeitem' };
        return item;
      }
      case 'offline':
        return offlineItem(node);
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
        const denied = this.denials.get(node.secretName);
        item.contextValue = (current ? 'version.current' : 'version') + deniedFlags(denied, SECRET_VERBS);
        const md = new vscode.MarkdownString(
          [`**Version** \`${v.versionId}\``, '', `Created: ${when(v.createdAt)}`, `Labels: ${v.versionStages.join(', ') || 'none'}`, `Key: \`${v.kmsKeyId}\``].join('  \n'),
          true,
        );
        appendDenials(md, pick(denied, ['reveal', 'moveLabel']), SECRET_VERB_TITLES, this.principal);
        item.tooltip = md;
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
        const denied = this.denials.get(node.secretName);
        item.contextValue = (node.label === 'CURRENT' ? 'label.current' : 'label') + deniedFlags(denied, SECRET_VERBS);
        item.tooltip = denied?.moveLabel
          ? `Stage label ${node.label}. You may not move it: ${denied.moveLabel.action} on ${denied.moveLabel.resource} — ${denied.moveLabel.reason}.`
          : `Stage label ${node.label}. Drag it onto another version to move it.`;
        item.accessibilityInformation = { label: `Stage label ${node.label}`, role: 'treeitem' };
        return item;
      }
    }
  }

  handleDrag(source: readonly SecretsNode[], data: vscode.DataTransfer): void {
    const labels = source.filter((n): n is Extract<SecretsNode, { kind: 'label' }> => n.kind === 'label' && !this.denials.get(n.secretName)?.moveLabel);
    if (labels.length === 1) data.set(MIME, new vscode.DataTransferItem(labels[0]));
  }

  async handleDrop(target: SecretsNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const label = data.get(MIME)?.value as Extract<SecretsNode, { kind: 'label' }> | undefined;
    if (!label || !target || (target.kind !== 'version' && target.kind !== 'label')) return;
    const toVersion = target.kind === 'version' ? target.version.versionId : target.kind === 'label' ? target.versionId : undefined;
    if (!toVersion || target.secretName !== label.secretName || toVersion === label.versionId) return;
    await vscode.commands.executeCommand('hush.secret.moveLabel', { secretName: label.secretName, label: label.label, fromVersionId: label.versionId, toVersionId: toVersion });
  }
}

function pick<V extends string>(denied: Denials<V> | undefined, verbs: V[]): Denials<V> | undefined {
  if (!denied) return undefined;
  const out: Denials<V> = {};
  for (const v of verbs) if (denied[v]) out[v] = denied[v];
  return out;
}

export function secretItem(s: SecretInfo, denied?: Denials<SecretVerb>, principal?: string): vscode.TreeItem {
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
  item.contextValue = `secret.${state}${deniedFlags(denied, SECRET_VERBS)}`;
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
  appendDenials(md, denied, SECRET_VERB_TITLES, principal);
  item.tooltip = md;
  item.accessibilityInformation = {
    label: `Secret ${s.name}${state === 'ok' ? '' : `, ${notes[state]}`}${s.description ? `, ${s.description}` : ''}`,
    role: 'treeitem',
  };
  return item;
}

