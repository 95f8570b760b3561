/**
 * *Hush: Open Terminal with Secrets*: a terminal with the manifest's
 * variables set (client/manifestSecrets.ts decides whether it may have them)
 * and without the variables that unlock the store.
 */
import * as vscode from 'vscode';
import { childEnvOverlay } from '../shared/process/childEnv';
import type { Ctx } from './ctx';
import { explainUntrusted, manifestSecrets } from './manifestSecrets';

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Whose .hush.json?' });
}

export function openTerminalCommand(ctx: Ctx) {
  return async (): Promise<vscode.Terminal | undefined> => {
    const folder = await pickFolder();
    if (!folder) {
      void vscode.window.showInformationMessage('Hush: open a folder with a .hush.json first.');
      return undefined;
    }
    let secrets;
    try {
      secrets = await manifestSecrets(ctx, folder, 'a terminal');
    } catch (e) {
      ctx.showError('Could not read the secrets for the terminal', e);
      return undefined;
    }
    switch (secrets.kind) {
      case 'untrusted':
        await explainUntrusted('Open Terminal with Secrets works');
        return undefined;
      case 'none':
        void vscode.window.showInformationMessage(`Hush: ${folder.name} has no .hush.json. Move a secret with Ctrl+. on a finding to create one.`);
        return undefined;
      case 'declined':
        return undefined;
    }
    const names = Object.keys(secrets.env);
    const terminal = vscode.window.createTerminal({
      name: `Hush: ${folder.name}`,
      cwd: folder.uri,
      env: childEnvOverlay(secrets.env),
      iconPath: new vscode.ThemeIcon('shield'),
      message: `Hush: ${names.length} variable(s) from .hush.json are set in this terminal (${names.join(', ')}).`,
    });
    terminal.show();
    return terminal;
  };
}
