/**
 * Reveal shows a value in a read-only virtual document (`hush-secret:`): not
 * a file, so it is never saved, backed up or offered for "Save As" on close,
 * and nothing writes it to the output log. The value lives in this object
 * only while the document is open. One instance, on Ctx: the command modules
 * load later, in their own bundle, and must show values through it.
 */
import * as vscode from 'vscode';

export const REVEAL_SCHEME = 'hush-secret';

export class RevealedValues {
  private readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();

  constructor(subscriptions: vscode.Disposable[]) {
    subscriptions.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(REVEAL_SCHEME, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.values.get(uri.toString()) ?? '(closed: reveal the value again)',
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === REVEAL_SCHEME) this.values.delete(doc.uri.toString());
      }),
    );
  }

  async show(secretName: string, versionId: string, stages: string[], value: string): Promise<void> {
    const label = stages.length ? stages.join(',') : versionId.slice(0, 8);
    const uri = vscode.Uri.from({ scheme: REVEAL_SCHEME, path: `/${secretName} (${label})`, query: versionId });
    this.values.set(uri.toString(), value);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
