/**
 * The status bar item: findings in open files, rotations due, whether the
 * store is locked and where its key came from, and whether the language
 * server runs. When it stopped, the item turns into *Restart Language Server*.
 */
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { Ctx } from './ctx';

/** How the status bar names where the root key came from (the server reports the source). */
export function keySourceLabel(source: string | undefined): string {
  switch (source) {
    case 'typed':
      return 'passphrase typed in this session';
    case 'remembered':
      return "passphrase from VS Code's secret storage";
    case 'HUSH_PASSPHRASE':
      return 'passphrase from HUSH_PASSPHRASE';
    case 'HUSH_MASTER_KEY':
      return 'key from HUSH_MASTER_KEY';
    case 'keychain':
    case 'the keychain':
      return 'key from the OS keychain';
    case 'HUSH_IDENTITY':
      return 'identity from HUSH_IDENTITY';
    default:
      return source ?? 'unknown source';
  }
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem('hush.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Hush';
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => this.refresh());
    this.item.show();
  }

  refresh(): void {
    const server = this.ctx.serverState;
    if (server === State.Stopped) {
      this.item.text = '$(error) Hush: server stopped';
      this.item.tooltip = 'The Hush language server is not running: no detection, no Secrets view.\nClick to restart it.';
      this.item.command = 'hush.restartServer';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.accessibilityInformation = { label: 'Hush language server stopped. Activate to restart it.' };
      return;
    }
    this.item.command = 'hush.statusActions';
    this.item.accessibilityInformation = undefined;
    let findings = 0;
    let files = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      const ours = diagnostics.filter((d) => d.source === 'hush' && d.code !== 'missing-secret').length;
      findings += ours;
      if (ours > 0) files++;
    }
    const s = this.ctx.store;
    const parts = [server === State.Starting ? '$(sync~spin) Hush' : findings > 0 ? `$(warning) Hush: ${findings}` : '$(shield) Hush'];
    if (s?.state === 'locked') parts.push('$(lock)');
    if (s?.state === 'offline') parts.push('$(debug-disconnect)');
    if (s?.rotationsDue) parts.push(`$(history) ${s.rotationsDue}`);
    this.item.text = parts.join(' ');
    const lines = [
      server === State.Starting ? 'Starting the Hush language server…' : findings > 0 ? `${findings} hardcoded credential(s) in ${files} open file(s)` : 'No hardcoded credentials in open files',
      s?.state === 'open'
        ? s.kind === 'team'
          ? `Team store ${s.host ?? s.path}, as ${s.principal ?? 'a member'} (${keySourceLabel(s.rootKeySource)})`
          : `Store unlocked (${keySourceLabel(s.rootKeySource)}): ${s.path}`
        : s?.state === 'offline'
          ? `Team store${s.host ? ` at ${s.host}` : ''} offline, retrying every 5 s: ${s.message ?? ''}`
          : s
            ? `Store ${s.state}: ${s.message ?? s.path}`
            : 'Store not opened yet',
    ];
    if (s?.rotationsDue) lines.push(`${s.rotationsDue} rotation(s) due`);
    this.item.tooltip = `${lines.join('\n')}\nClick for Hush actions.`;
    this.item.backgroundColor = s?.rotationsDue ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
