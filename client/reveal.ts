/**
 * Reveal shows a value in a read-only virtual document (`hush-secret:`): not
 * a file, so it is never saved, backed up or offered for "Save As" on close,
 * and nothing writes it to the output log. The value lives in this map only
 * while the document is open.
 */
import * as vscode from 'vscode';

export const REVEAL_SCHEME = 'hush-secret';
const values = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

export function registerRevealProvider(subscriptions: vscode.Disposable[]): void {
  subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(REVEAL_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => values.get(uri.toString()) ?? '(closed: reveal the value again)',
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === REVEAL_SCHEME) values.delete(doc.uri.toString());
    }),
  );
}

export async function revealValue(secretName: string, versionId: string, stages: string[], value: string): Promise<void> {
  const label = stages.length ? stages.join(',') : versionId.slice(0, 8);
  const uri = vscode.Uri.from({ scheme: REVEAL_SCHEME, path: `/${secretName} (${label})`, query: versionId });
  values.set(uri.toString(), value);
  changed.fire(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}
