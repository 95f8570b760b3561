/**
 * Every command Hush registers, from one table (the rust-analyzer pattern):
 * a command is a factory `(ctx) => handler`. This module and what it imports
 * are bundled apart (dist/commands.js) and loaded on the first command
 * (client/commandLoader.ts); keep state on Ctx, not in module variables.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ACTIONS } from '../shared/policy/actions';
import type { AuditRow } from '../shared/protocol';
import type { Ctx } from './ctx';
import { auditResource, type AuditFilters } from './views/auditTree';
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

/** Members and actions seen in the recent records, for the filter's choices. */
async function recentAudit(ctx: Ctx): Promise<AuditRow[]> {
  try {
    return await ctx.core('audit/list', { limit: 5000 });
  } catch (e) {
    ctx.showError('Could not read the audit log', e);
    return [];
  }
}

type Dimension = keyof AuditFilters | 'clear';

/**
 * Filter Audit…: by member, action (or family), resource, outcome or secret,
 * one at a time (the filters add up). From a secret's context menu: that
 * secret's records.
 */
const filterAudit: Factory = (ctx, views) => async (arg) => {
  const audit = views.audit;
  const fromItem = (arg as { secretName?: unknown } | undefined)?.secretName;
  if (typeof fromItem === 'string') {
    audit.secret = fromItem;
    views.refresh();
    await vscode.commands.executeCommand('hush.audit.focus');
    return;
  }
  const f = audit.filters;
  const dims: (vscode.QuickPickItem & { dim: Dimension })[] = [
    { label: '$(person) Member…', description: f.principal ?? 'any', dim: 'principal' },
    { label: '$(symbol-event) Action…', description: f.action ?? 'any', dim: 'action' },
    { label: '$(symbol-field) Resource…', description: f.resource ? `“${f.resource}”` : 'any', dim: 'resource' },
    { label: '$(pass) Outcome…', description: f.outcome ?? 'any', dim: 'outcome' },
    { label: '$(key) Secret…', description: f.secret ?? 'any', dim: 'secret' },
    ...(audit.describeFilters() ? [{ label: '$(clear-all) Clear All Filters', dim: 'clear' as const }] : []),
  ];
  const dim = (await vscode.window.showQuickPick(dims, { title: 'Filter the Audit view', placeHolder: 'Filters add up; pick one to change it' }))?.dim;
  if (!dim) return;
  const set = (value: string | undefined): void => {
    const { [dim as keyof AuditFilters]: _old, ...rest } = audit.filters;
    audit.filters = value ? { ...rest, [dim]: value } : rest;
    views.refresh();
  };
  const ANY = '$(circle-large-outline) Any';
  switch (dim) {
    case 'clear':
      audit.filters = {};
      views.refresh();
      return;
    case 'principal': {
      const members = [...new Set((await recentAudit(ctx)).map((r) => r.principal))].sort();
      const pick = await vscode.window.showQuickPick([ANY, ...members], { title: 'Records of which member?' });
      if (pick !== undefined) set(pick === ANY ? undefined : pick);
      return;
    }
    case 'action': {
      const seen = [...new Set((await recentAudit(ctx)).map((r) => r.action))].sort();
      const families = [...new Set(ACTIONS.map((a) => `${a.split(':')[0]}:*`))];
      const pick = await vscode.window.showQuickPick(
        [{ label: ANY }, ...families.map((a) => ({ label: a, description: 'every action of the family' })), ...seen.map((a) => ({ label: a }))],
        { title: 'Records of which action?', matchOnDescription: true },
      );
      if (pick !== undefined) set(pick.label === ANY ? undefined : pick.label);
      return;
    }
    case 'outcome': {
      const pick = await vscode.window.showQuickPick(
        [
          { label: ANY, value: '' },
          { label: '$(circle-slash) Denied', description: 'refused by policy', value: 'Denied' },
          { label: '$(warning) Failure', description: 'failed for another reason', value: 'Failure' },
          { label: '$(check) Success', value: 'Success' },
        ],
        { title: 'Records with which outcome?' },
      );
      if (pick !== undefined) set(pick.value || undefined);
      return;
    }
    case 'resource':
    case 'secret': {
      const v = await vscode.window.showInputBox({
        title: dim === 'resource' ? 'Records about which resource?' : 'Records of which secret?',
        prompt: dim === 'resource' ? 'Part of a secret name, key id or alias (any case); empty for any' : 'Secret name or id; empty for any',
        value: f[dim] ?? '',
      });
      if (v !== undefined) set(v.trim() || undefined);
      return;
    }
  }
};

const clearAuditFilter: Factory = (_ctx, views) => () => {
  views.audit.filters = {};
  views.refresh();
};

/**
 * Explain Access Decision: why the member may (not) run an action on a
 * resource. From an AccessDenied error (Explain), a denied audit record, or
 * the palette (asks for the action and the resource).
 */
const explainAccess: Factory = (ctx) => async (arg) => {
  let action: string | undefined;
  let resource: string | undefined;
  const a = arg as Partial<AuditRow> & { resource?: unknown; action?: unknown } | undefined;
  if (a && typeof a.action === 'string' && a.resource && typeof a.resource === 'object') {
    action = a.action;
    resource = auditResource(a as AuditRow);
  } else if (a && typeof a.action === 'string' && typeof a.resource === 'string') {
    action = a.action;
    resource = a.resource;
  } else {
    action = await vscode.window.showQuickPick([...ACTIONS], { title: 'Explain access (1/2): which action?' });
    if (!action) return;
    resource = await vscode.window.showInputBox({
      title: 'Explain access (2/2): on which resource?',
      prompt: 'secret:NAME, key:alias/NAME, key:KEY-ID, or * for actions on no resource',
      value: 'secret:',
      validateInput: (v) => (v.trim() ? undefined : 'A resource as a policy names it, e.g. secret:prod/db'),
    });
    if (!resource) return;
  }
  try {
    await ctx.explanations.show(action, resource.trim());
  } catch (e) {
    ctx.showError(`Could not explain ${action} on ${resource}`, e);
  }
};

const loadMore: Factory = (ctx, views) => async () => {
  try {
    await views.secrets.loadMore();
  } catch (e) {
    ctx.showError('Could not load more secrets', e);
  }
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
  const filtered = Boolean(views.secrets.filter || views.secrets.tagFilter);
  views.secrets.filter = '';
  views.secrets.tagFilter = '';
  let node = await views.secrets.find(name);
  if (!node) {
    // Not in the pages loaded: filter the view by its name, so it is on the first page.
    views.secrets.filter = name;
    node = await views.secrets.find(name);
  }
  if (filtered || views.secrets.filter) views.refresh();
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
  'hush.audit.clearFilter': clearAuditFilter,
  'hush.access.explain': explainAccess,
  'hush.secrets.loadMore': loadMore,
  'hush.openManifest': openManifest,
  ...SECRET_COMMANDS,
  ...KEY_COMMANDS,
  ...SERVE_COMMANDS,
};
