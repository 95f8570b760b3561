/** The extension's settings, read through one typed object that follows changes. */
import * as vscode from 'vscode';

export class Config {
  private cfg = vscode.workspace.getConfiguration('hush');

  constructor(subscriptions: vscode.Disposable[]) {
    subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('hush')) this.cfg = vscode.workspace.getConfiguration('hush');
      }),
    );
  }

  get clipboardClearAfterSeconds(): number {
    return Math.max(0, this.cfg.get<number>('clipboard.clearAfterSeconds', 30));
  }

  get debugInjectSecrets(): boolean {
    return this.cfg.get<boolean>('debug.injectSecrets', true);
  }

  get auditShowMetadataReads(): boolean {
    return this.cfg.get<boolean>('audit.showMetadataReads', false);
  }

  get rotationDefaultIntervalDays(): number {
    return Math.max(1, this.cfg.get<number>('rotation.defaultIntervalDays', 90));
  }
}
