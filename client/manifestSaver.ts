/**
 * Keeps `.hush.json` on disk in step with the code after a move. The server
 * puts the manifest change into the move's workspace edit, so one undo takes
 * back the literal's replacement and the manifest entry together; VS Code
 * applies such an edit to a text model, and saves it by itself only when no
 * editor shows the file, a moment later, and not always after an undo or a
 * redo (observed in code-server 1.139). This saves the manifest when the move
 * reports it done, and again whenever an undo or redo touches a file a move
 * edited (the code file or the manifest), so `hush run` right after the
 * move, an undo or a redo reads what the code expects.
 */
import * as vscode from 'vscode';

/** Undo/redo arrive as several model changes across files; save once they settled. */
const SETTLE_MS = 150;
/** How many more times saveAll looks after an undo or redo settled. */
const LOOK_AGAIN = 4;

export class ManifestSaver implements vscode.Disposable {
  /** Manifests a move changed in this session. */
  private readonly manifests = new Set<string>();
  /** Files a move edited (code files and manifests): an undo or redo in one of them may have changed a manifest. */
  private readonly edited = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private again: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: (line: string) => void) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.reason !== vscode.TextDocumentChangeReason.Undo && e.reason !== vscode.TextDocumentChangeReason.Redo) return;
      if (!this.edited.has(e.document.uri.toString())) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.saveAll(), SETTLE_MS);
    });
  }

  /**
   * After a move: the manifest it changed is on disk when this returns, and
   * is followed through undo and redo of that move.
   */
  async afterMove(manifest: vscode.Uri, editedFiles: readonly string[] = []): Promise<void> {
    this.manifests.add(manifest.toString());
    this.edited.add(manifest.toString());
    for (const f of editedFiles) this.edited.add(f);
    await this.save(manifest, true);
  }

  /**
   * Saves every dirty manifest; on a busy machine a multi-file undo or redo
   * can reach the manifest's model after the settle delay, or a save can be
   * cut short (VS Code aborts slow save participants), so it looks again a
   * few times, half a second apart, while a manifest is still unsaved.
   */
  private async saveAll(attempt = 0): Promise<void> {
    let unsaved = false;
    for (const uri of this.manifests) {
      try {
        await this.save(vscode.Uri.parse(uri), false);
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
        if (doc?.isDirty) unsaved = true;
      } catch (e) {
        this.log(`Could not save ${uri} after an undo/redo of a move: ${(e as Error).message}`);
      }
    }
    if (attempt < LOOK_AGAIN) {
      clearTimeout(this.again);
      this.again = setTimeout(() => void this.saveAll(attempt + 1), unsaved ? 500 : 1000);
    }
  }

  /**
   * Opening the document gives the editor's current text of it (saved or
   * not); an unsaved one is saved. A manifest an undo removed is left gone.
   */
  private async save(uri: vscode.Uri, strict: boolean): Promise<void> {
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return; // no manifest on disk: nothing to write back
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (!doc.isDirty) return;
    // false also when VS Code's own save of the file got there first: only a document still unsaved failed.
    const saved = await doc.save();
    if (!saved && doc.isDirty && strict) throw new Error(`${vscode.workspace.asRelativePath(uri)} is still unsaved after saving it`);
    if (saved && !strict) this.log(`Saved ${vscode.workspace.asRelativePath(uri)} after an undo/redo of a move`);
  }

  dispose(): void {
    this.subscription.dispose();
    clearTimeout(this.timer);
    clearTimeout(this.again);
  }
}
