/**
 * The manifest's secrets for what VS Code starts: a terminal ("Hush: Open
 * Terminal with Secrets") and debug sessions (a configuration provider that
 * adds them to `env`). Values go from the server to the process's
 * environment in memory; no env file is written.
 */
import * as vscode from 'vscode';
import { childEnvOverlay, ROOT_KEY_VARIABLES } from '../shared/process/childEnv';
import type { Ctx } from './ctx';

async function manifestEnv(ctx: Ctx, folder: vscode.WorkspaceFolder): Promise<Record<string, string> | undefined> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, '.hush.json'));
  } catch {
    return undefined; // no manifest: nothing to add
  }
  return (await ctx.core('manifest/env', { folder: folder.uri.fsPath })).env;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Whose .hush.json?' });
}

export function openTerminalCommand(ctx: Ctx) {
  return async (): Promise<void> => {
    const folder = await pickFolder();
    if (!folder) {
      void vscode.window.showInformationMessage('Hush: open a folder with a .hush.json first.');
      return;
    }
    let env: Record<string, string> | undefined;
    try {
      env = await manifestEnv(ctx, folder);
    } catch (e) {
      ctx.showError('Could not read the secrets for the terminal', e);
      return;
    }
    if (!env) {
      void vscode.window.showInformationMessage(`Hush: ${folder.name} has no .hush.json. Move a secret with Ctrl+. on a finding to create one.`);
      return;
    }
    const terminal = vscode.window.createTerminal({
      name: `Hush: ${folder.name}`,
      cwd: folder.uri,
      env: childEnvOverlay(env),
      iconPath: new vscode.ThemeIcon('shield'),
      message: `Hush: ${Object.keys(env).length} variable(s) from .hush.json are set in this terminal (${Object.keys(env).join(', ')}).`,
    });
    terminal.show();
  };
}

/** Adds the manifest's variables to every debug session of a folder with a .hush.json (setting hush.debug.injectSecrets). */
export function registerDebugInjection(ctx: Ctx): void {
  ctx.extension.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider('*', {
      async resolveDebugConfiguration(folder, config) {
        // The program never inherits the root key from the editor's environment, Hush's manifest or not.
        const strip = ROOT_KEY_VARIABLES.some((v) => process.env[v] !== undefined) ? childEnvOverlay() : {};
        const own = config.env as Record<string, string | null> | undefined;
        if (!folder || !ctx.config.debugInjectSecrets || config.hush === false) {
          return Object.keys(strip).length ? { ...config, env: { ...own, ...strip } } : config;
        }
        try {
          const env = await manifestEnv(ctx, folder);
          if (!env) return Object.keys(strip).length ? { ...config, env: { ...own, ...strip } } : config;
          ctx.log(`Debug session "${config.name}": added ${Object.keys(env).join(', ')} from .hush.json`);
          return { ...config, env: { ...own, ...childEnvOverlay(env) } };
        } catch (e) {
          ctx.showError('Could not read the secrets for the debug session', e);
          return undefined; // abort the launch rather than start without its secrets
        }
      },
    }),
  );
}
