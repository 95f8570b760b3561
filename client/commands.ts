/**
 * Every command Hush registers, from one table (the rust-analyzer pattern):
 * a command is a factory `(ctx) => handler`. This module and what it imports
 * are bundled apart (dist/commands.js) and loaded on the first command
 * (client/commandLoader.ts); keep state on Ctx, not in module variables.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { KEY_COMMANDS } from './keyCommands';
import { moveAllCommand, moveCommand } from './move';
import { openTerminalCommand } from './terminal';
import { listSecrets, SECRET_COMMANDS } from './secretCommands';
import { SERVE_COMMANDS } from './serveCommands';
import type { Views } from './views';

type Factory = (ctx: Ctx, views: Views) => (...args: unknown[]) => unknown;

export type CommandTable = Record<string, Factory>;

const showOutput: Factory = (ctx) => () => ctx.output.show(true);

const scanWorkspace: Factory = (ctx) => async () => {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Hush: open a folder to scan it. Open files are checked as you type.');
    return;
  }
  // The server reports progress (cancellable) while it scans.
  const r = await ctx.scanWorkspace();
  ctx.log(`Workspace scan: ${r.filesScanned} files, ${r.findings} findings, ${r.filesSkipped} skipped, ${r.elapsedMs} ms${r.cancelled ? ' (cancelled)' : ''}`);
  if (r.cancelled) {
    void vscode.window.showInformationMessage(`Hush: scan cancelled after ${r.filesScanned} files (${r.findings} finding(s) so far).`);
    return;
  }
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

const refresh: Factory = (_ctx, views) => () => views.refresh();

const filterSecrets: Factory = (_ctx, views) => async () => {
  const f = await vscode.window.showInputBox({ title: 'Filter secrets', prompt: 'Part of a name or description; empty shows all', value: views.secrets.filter });
  if (f === undefined) return;
  views.secrets.filter = f.trim();
  views.refresh();
};

const filterByTag: Factory = (ctx, views) => async () => {
  const secrets = await listSecrets(ctx);
  if (!secrets) return;
  const keys = [...new Set(secrets.flatMap((s) => Object.keys(s.tags)))].sort();
  if (keys.length === 0) {
    void vscode.window.showInformationMessage('Hush: no secret has tags yet. Add some with "Hush: Tag Secret…".');
    return;
  }
  const pick = await vscode.window.showQuickPick(keys, { title: 'Show secrets with the tag' });
  if (pick === undefined) return;
  views.secrets.tagFilter = pick;
  views.refresh();
};

const clearFilter: Factory = (_ctx, views) => () => {
  views.secrets.filter = '';
  views.secrets.tagFilter = '';
  views.refresh();
};

const verifyAudit: Factory = (ctx) => async () => {
  try {
    const v = await ctx.core('audit/verify', {});
    if (v.ok && v.gaps?.length) {
      const g = v.gaps.map((x) => `records ${x.from}–${x.to} lost (recorded by ${x.principal} at ${x.time})`).join('; ');
      void vscode.window.showWarningMessage(`Hush: the audit chain verifies since its repair, but is not intact: ${g}.`);
    } else if (v.ok) {
      void vscode.window.showInformationMessage(`Hush: the audit chain is intact: ${v.records} record(s)${v.signed ? ', signatures checked' : ''}.`);
    } else {
      ctx.output.error(`Audit chain broken at line ${v.line}${v.seq ? ` (record ${v.seq})` : ''}: ${v.reason}`);
      void vscode.window.showErrorMessage(
        `Hush: the audit log was altered: record ${v.seq ?? v.line} ${v.reason}. The ${v.records} record(s) before it are intact.`,
        { modal: true },
      );
    }
  } catch (e) {
    ctx.showError('Could not verify the audit log', e);
  }
};

const filterAudit: Factory = (_ctx, views) => async () => {
  const s = await vscode.window.showInputBox({ title: 'Audit records of one secret', prompt: 'Secret name; empty shows all', value: views.audit.secret });
  if (s === undefined) return;
  views.audit.secret = s.trim();
  views.refresh();
};

const openManifest: Factory = () => async () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Hush: open a folder first; its .hush.json maps environment variables to secrets.');
    return;
  }
  const uri = vscode.Uri.file(path.join(folder.uri.fsPath, '.hush.json'));
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    const ok = await vscode.window.showInformationMessage('There is no .hush.json in this folder yet. Create one?', 'Create');
    if (ok !== 'Create') return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{\n  "env": {}\n}\n'));
  }
  await vscode.window.showTextDocument(uri);
};

const showInSidebar: Factory = (_ctx, views) => async (arg) => {
  const name = typeof arg === 'string' ? arg : undefined;
  if (!name) return;
  views.secrets.filter = '';
  views.secrets.tagFilter = '';
  const node = await views.secrets.find(name);
  if (!node) {
    void vscode.window.showWarningMessage(`Hush: there is no secret named ${name}.`);
    return;
  }
  await vscode.commands.executeCommand('hush.secrets.focus'); // the view must be visible to reveal in it
  await views.secretsView.reveal(node, { select: true, focus: true, expand: true });
};

const restartServer: Factory = (ctx) => async () => {
  try {
    await ctx.restart();
    void vscode.window.setStatusBarMessage('$(check) Hush: language server restarted', 4000);
  } catch (e) {
    ctx.showError('Could not restart the language server', e);
  }
};

/** The status bar item's menu. */
const statusActions: Factory = (ctx) => async () => {
  const due = ctx.store?.rotationsDue ?? 0;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { label: '$(search) Scan Workspace for Secrets', command: 'hush.scanWorkspace' },
    { label: '$(list-tree) Show Secrets', command: 'hush.secrets.focus' },
    ...(due > 0 ? [{ label: `$(history) Rotate All Due Secrets`, description: `${due} due`, command: 'hush.secret.rotateAllDue' }] : []),
    { label: '$(terminal) Open Terminal with Secrets', command: 'hush.openTerminal' },
    { label: '$(json) Open Manifest (.hush.json)', command: 'hush.openManifest' },
    { label: '$(output) Show Output', command: 'hush.showOutput' },
    { label: '$(debug-restart) Restart Language Server', command: 'hush.restartServer' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Hush' });
  if (pick) await vscode.commands.executeCommand(pick.command);
};

export const COMMANDS: CommandTable = {
  'hush.statusActions': statusActions,
  'hush.restartServer': restartServer,
  'hush.secret.showInSidebar': showInSidebar,
  'hush.openTerminal': (ctx) => openTerminalCommand(ctx),
  'hush.showOutput': showOutput,
  'hush.scanWorkspace': scanWorkspace,
  'hush.moveToSecretsManager': (ctx) => moveCommand(ctx),
  'hush.moveAllInFile': (ctx) => moveAllCommand(ctx),
  'hush.refresh': refresh,
  'hush.secrets.filter': filterSecrets,
  'hush.secrets.filterByTag': filterByTag,
  'hush.secrets.clearFilter': clearFilter,
  'hush.audit.verify': verifyAudit,
  'hush.audit.filter': filterAudit,
  'hush.openManifest': openManifest,
  ...SECRET_COMMANDS,
  ...KEY_COMMANDS,
  ...SERVE_COMMANDS,
};
