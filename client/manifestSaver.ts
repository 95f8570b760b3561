/**
 * Keeps `.hush.json` on disk in step with the code after a move. The server
 * puts the manifest change into the move's workspace edit, so one undo takes
 * back the literal's replacement and the manifest entry together; VS Code
 * applies such an edit to a text model and leaves it unsaved. This saves the
 * manifest when the move reports it done, and again after an undo or redo
 * touches a manifest a move changed, so `hush run` right after the move, an
 * undo or a redo reads what the code expects. When an undo deleted the
 * manifest the move had created, there is nothing to save and nothing is
 * written back.
 */
import * as vscode from 'vscode';

/** Undo/redo arrive as several model changes (and a file deletion); save once they settled. */
const SETTLE_MS = 150;

export class ManifestSaver implements vscode.Disposable {
  /** Manifests a move changed in this session. */
  private readonly moved = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: (line: string) => void) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      const key = e.document.uri.toString();
      if (!this.moved.has(key)) return;
      if (e.reason !== vscode.TextDocumentChangeReason.Undo && e.reason !== vscode.TextDocumentChangeReason.Redo) return;
      clearTimeout(this.timers.get(key));
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          void this.saveIfOnDisk(e.document.uri);
        }, SETTLE_MS),
      );
    });
  }

  /** After a move: the manifest it changed is saved now, and followed through undo and redo. */
  async afterMove(uri: vscode.Uri): Promise<void> {
    this.moved.add(uri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty && !(await doc.save())) throw new Error(`${vscode.workspace.asRelativePath(uri)} could not be saved`);
  }

  private async saveIfOnDisk(uri: vscode.Uri): Promise<void> {
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return; // the undo removed the manifest the move had created
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc?.isDirty) return;
    if (await doc.save()) this.log(`Saved ${vscode.workspace.asRelativePath(uri)} after an undo/redo of a move`);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
  }
}
