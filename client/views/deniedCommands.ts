/**
 * Commands the member may not run on a tree item, as the server decided
 * them (`hush/access/decide`): each denied command adds `|no-<verb>` to the
 * item's contextValue — the menus in package.json hide a command whose flag
 * is there — and a line to its tooltip naming the refused action, the
 * resource and the deciding statement.
 */
import * as vscode from 'vscode';
import type { Denial, KeyVerb, SecretVerb } from '../../shared/protocol';

export type Denials<V extends string> = Partial<Record<V, Denial>>;

export const SECRET_VERB_TITLES: Record<SecretVerb, string> = {
  describe: 'Describe Secret',
  reveal: 'Reveal Value, Copy Value',
  putValue: 'Put New Value',
  rotate: 'Rotate Secret',
  setRotation: 'Set Up Rotation',
  moveLabel: 'Move Stage Label',
  tag: 'Tag Secret',
  delete: 'Delete Secret',
  restore: 'Restore Secret',
};

export const KEY_VERB_TITLES: Record<KeyVerb, string> = {
  enable: 'Enable Key',
  disable: 'Disable Key',
  rotate: 'Rotate Key Material',
  scheduleDeletion: 'Schedule Key Deletion',
  cancelDeletion: 'Cancel Key Deletion',
  import: 'Import Key Material',
};

/** `|no-reveal|no-putValue`…: appended to a contextValue, in a stable order. */
export function deniedFlags<V extends string>(denied: Denials<V> | undefined, verbs: readonly V[]): string {
  if (!denied) return '';
  return verbs.filter((v) => denied[v]).map((v) => `|no-${v}`).join('');
}

/** One line per denied command, for a tooltip. */
export function denialLines<V extends string>(denied: Denials<V> | undefined, titles: Record<V, string>): string[] {
  if (!denied) return [];
  return (Object.keys(titles) as V[])
    .filter((v) => denied[v])
    .map((v) => {
      const d = denied[v]!;
      return `${titles[v]}: ${d.action} on ${d.resource} — ${d.reason}`;
    });
}

/** Appends "Not allowed for <member>" and the reasons to a tooltip. */
export function appendDenials<V extends string>(md: vscode.MarkdownString, denied: Denials<V> | undefined, titles: Record<V, string>, principal: string | undefined): void {
  const lines = denialLines(denied, titles);
  if (!lines.length) return;
  md.appendMarkdown(`\n\n**$(circle-slash) Not allowed${principal ? ` for ${escapeMd(principal)}` : ''}:**`);
  for (const l of lines) md.appendMarkdown(`  \n${escapeMd(l)}`);
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
