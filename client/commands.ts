/**
 * Every command Hush registers, from one table (the rust-analyzer pattern):
 * a command is a factory `(ctx) => handler`.
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { moveCommand } from './move';
import { putValueCommand } from './secretCommands';

type Factory = (ctx: Ctx) => (...args: unknown[]) => unknown;

const showOutput: Factory = (ctx) => () => ctx.output.show(true);

const scanWorkspace: Factory = (ctx) => async () => {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Hush: open a folder to scan it. Open files are checked as you type.');
    return;
  }
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Hush: scanning workspace for hardcoded credentials…' },
    () => ctx.scanWorkspace(),
  );
  ctx.log(`Workspace scan: ${r.filesScanned} files, ${r.findings} findings, ${r.filesSkipped} skipped, ${r.elapsedMs} ms`);
  if (r.findings === 0) {
    void vscode.window.showInformationMessage(`Hush: no hardcoded credentials in ${r.filesScanned} files.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Hush: ${r.findings} hardcoded credential(s) in ${r.filesWithFindings} file(s).`,
    'Show Problems',
  );
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
};

/**
 * Commands the manifest declares for the Secrets Manager, which this build
 * does not have yet. They are hidden from the palette (`hush.coreAvailable`
 * is false) and say so plainly if reached another way.
 */
const notInThisBuild: Factory = () => () =>
  vscode.window.showInformationMessage(
    'Hush: the Secrets Manager is not part of this build yet. Detection works; moving and managing secrets comes next.',
  );

const COMMANDS: Record<string, Factory> = {
  'hush.showOutput': showOutput,
  'hush.scanWorkspace': scanWorkspace,
  'hush.moveToSecretsManager': moveCommand,
  'hush.secret.putValue': putValueCommand,
};

export function registerCommands(ctx: Ctx): void {
  const declared = (ctx.extension.extension.packageJSON as { contributes: { commands: { command: string }[] } })
    .contributes.commands;
  for (const { command } of declared) {
    const factory = COMMANDS[command] ?? notInThisBuild;
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(command, factory(ctx)));
  }
  void vscode.commands.executeCommand('setContext', 'hush.coreAvailable', false);
}
