/**
 * Commands on secrets: from the palette (a quick pick asks which secret) or
 * from a tree item's context menu (the item says which). Every change goes
 * through the server; values cross only to be shown or copied on request.
 */
import * as vscode from 'vscode';
import type { CoreParams, RotationResult, SecretInfo } from '../shared/protocol';
import { ROTATOR_LABEL, ROTATORS, RotatorName, STRATEGIES, STRATEGY_SUMMARY } from '../shared/secrets/rotators/choices';
import type { Ctx } from './ctx';

type Handler = (...args: unknown[]) => unknown;
type Factory = (ctx: Ctx) => Handler;

/** What a tree item or another command passes: a node of the Secrets view, a name, or nothing. */
interface SecretArg {
  secretName?: string;
  version?: { versionId: string; versionStages: string[] };
  label?: string;
  versionId?: string;
}

function nameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const n = (arg as SecretArg | undefined)?.secretName;
  return typeof n === 'string' ? n : undefined;
}

/** The store's secrets for a command; undefined (the error shown) when they cannot be read. */
export async function listSecrets(ctx: Ctx): Promise<SecretInfo[] | undefined> {
  try {
    return await ctx.core('secrets/list', {});
  } catch (e) {
    ctx.showError('Could not list secrets', e);
    return undefined;
  }
}

/** The secret a command is about: from its argument, else a quick pick of the store's secrets. */
export async function secretFrom(ctx: Ctx, arg: unknown, title: string, filter: (s: SecretInfo) => boolean = (s) => !s.deletionDate): Promise<string | undefined> {
  const given = nameOf(arg);
  if (given) return given;
  const secrets = (await listSecrets(ctx))?.filter(filter);
  if (!secrets) return undefined;
  if (secrets.length === 0) {
    void vscode.window.showInformationMessage('Hush: there is no secret to pick here. Create one, or move one out of your code with Ctrl+. on a finding.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    secrets.map((s) => ({ label: s.name, description: s.description, detail: s.rotation?.due ? '$(history) rotation due' : undefined })),
    { title, matchOnDescription: true, placeHolder: 'Secret' },
  );
  return pick?.label;
}

type Source = 'type' | 'generate' | 'clipboard' | 'file';

/** Asks where a new value comes from and reads it; undefined if the user cancelled. */
async function askValue(title: string, allowEmpty: boolean): Promise<{ value?: string; generate?: boolean } | undefined> {
  const items: { label: string; detail?: string; source: Source | 'none' }[] = [
    { label: '$(key) Enter the value', detail: 'Typed or pasted into a masked input box', source: 'type' },
    { label: '$(sparkle) Generate a random password', detail: '32 characters from a cryptographic random source', source: 'generate' },
    { label: '$(clippy) From the clipboard', source: 'clipboard' },
    { label: '$(file) From a file…', source: 'file' },
  ];
  if (allowEmpty) items.push({ label: '$(circle-slash) No value yet', detail: 'Create the secret now, put a value later', source: 'none' });
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Where does the value come from?' });
  if (!pick) return undefined;
  switch (pick.source) {
    case 'none':
      return {};
    case 'generate':
      return { generate: true };
    case 'type': {
      const value = await vscode.window.showInputBox({
        title,
        prompt: 'For a provider credential, paste the one you created there.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.length === 0 ? 'The value cannot be empty.' : undefined),
      });
      return value === undefined ? undefined : { value };
    }
    case 'clipboard': {
      const value = await vscode.env.clipboard.readText();
      if (!value) {
        void vscode.window.showWarningMessage('Hush: the clipboard holds no text.');
        return undefined;
      }
      return { value };
    }
    case 'file': {
      const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, title })) ?? [];
      if (!file) return undefined;
      const bytes = await vscode.workspace.fs.readFile(file);
      if (bytes.includes(0)) {
        void vscode.window.showErrorMessage('Hush: that file is binary. Store binary values with the CLI: hush secrets put NAME --binary --value-file FILE.');
        return undefined;
      }
      return { value: Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '') };
    }
  }
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

const create: Factory = (ctx) => async () => {
  const name = await vscode.window.showInputBox({
    title: 'Create secret (1/3)',
    prompt: 'Name. Slashes group secrets in the sidebar (myapp/DB_PASSWORD).',
    validateInput: (v) => (SECRET_NAME.test(v) ? undefined : 'Letters, digits and / _ + = . @ - only, 1 to 512 characters.'),
  });
  if (!name) return;
  const description = await vscode.window.showInputBox({ title: 'Create secret (2/3)', prompt: 'Description (optional)' });
  if (description === undefined) return;
  const value = await askValue('Create secret (3/3)', true);
  if (!value) return;
  try {
    await ctx.core('secrets/create', { name, ...(description ? { description } : {}), ...value });
    void vscode.window.showInformationMessage(`Hush: created ${name}.`);
  } catch (e) {
    ctx.showError(`Could not create ${name}`, e);
  }
};

export const putValue: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Put a new value');
  if (!secretName) return;
  const value = await askValue(`New value for ${secretName} (the current one becomes PREVIOUS)`, false);
  if (!value) return;
  try {
    const r = await ctx.putValue({ secretName, ...(value.generate ? { generate: {} } : { value: value.value }) });
    void vscode.window.showInformationMessage(`Hush: ${r.secretName} has a new CURRENT version (${r.versionId.slice(0, 8)}).`);
  } catch (e) {
    ctx.showError(`Could not put a new value for ${secretName}`, e);
  }
};

const reveal: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Reveal value');
  if (!secretName) return;
  const versionId = (arg as SecretArg | undefined)?.version?.versionId;
  try {
    const r = await ctx.core('secrets/reveal', { secretName, ...(versionId ? { versionId } : {}) });
    await ctx.revealed.show(secretName, r.versionId, r.versionStages, r.value);
  } catch (e) {
    ctx.showError(`Could not read ${secretName}`, e);
  }
};

const copy: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Copy value');
  if (!secretName) return;
  const versionId = (arg as SecretArg | undefined)?.version?.versionId;
  let value: string;
  try {
    value = (await ctx.core('secrets/reveal', { secretName, ...(versionId ? { versionId } : {}) })).value;
  } catch (e) {
    ctx.showError(`Could not read ${secretName}`, e);
    return;
  }
  await vscode.env.clipboard.writeText(value);
  const seconds = ctx.config.clipboardClearAfterSeconds;
  if (seconds > 0) {
    setTimeout(async () => {
      // Clear only if the clipboard still holds our value: never wipe what the user copied since.
      if ((await vscode.env.clipboard.readText()) === value) await vscode.env.clipboard.writeText('');
    }, seconds * 1000);
  }
  void vscode.window.setStatusBarMessage(
    seconds > 0 ? `$(clippy) Hush: copied ${secretName}; the clipboard clears in ${seconds} s` : `$(clippy) Hush: copied ${secretName}`,
    4000,
  );
};

const describe: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Describe secret', () => true);
  if (!secretName) return;
  try {
    const d = await ctx.core('secrets/describe', { secretName });
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(d, null, 2) + '\n' });
    await vscode.window.showTextDocument(doc, { preview: true });
  } catch (e) {
    ctx.showError(`Could not describe ${secretName}`, e);
  }
};

/** Runs one rotation with a progress notification that names each step. */
async function rotateOne(ctx: Ctx, secretName: string): Promise<RotationResult | undefined> {
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Hush: rotating ${secretName}`, cancellable: false },
    async (progress) => {
      const sub = ctx.onRotationStep((s) => {
        if (s.secretName === secretName) progress.report({ message: `${s.step} ${s.ok ? 'done' : 'failed'}`, increment: 25 });
      });
      try {
        return await ctx.core('secrets/rotate', { secretName });
      } catch (e) {
        ctx.showError(`Could not rotate ${secretName}`, e);
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
  if (r && !r.ok) {
    ctx.output.error(r.message ?? `Rotation of ${secretName} failed`);
    for (const s of r.steps) ctx.output.info(`  ${s.step}: ${s.ok ? 'ok' : 'FAILED'}${s.detail ? ` — ${s.detail}` : ''}`);
    void vscode.window.showErrorMessage(`Hush: ${r.message}`, 'Show Output').then((c) => c && ctx.output.show(true));
  }
  return r;
}

const rotate: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Rotate secret');
  if (!secretName) return;
  const r = await rotateOne(ctx, secretName);
  if (r?.ok) void vscode.window.showInformationMessage(`Hush: rotated ${secretName}. The new version ${r.versionId?.slice(0, 8)} is CURRENT; the old one is PREVIOUS.`);
};

const rotateAllDue: Factory = (ctx) => async () => {
  const due = (await listSecrets(ctx))?.filter((s) => s.rotation?.due && !s.deletionDate);
  if (!due) return;
  if (due.length === 0) {
    void vscode.window.showInformationMessage('Hush: no rotation is due.');
    return;
  }
  let ok = 0;
  for (const s of due) if ((await rotateOne(ctx, s.name))?.ok) ok++;
  void vscode.window.showInformationMessage(`Hush: rotated ${ok} of ${due.length} due secret(s).`);
};

type Applier = { label: string; detail: string; applier: 'none' | 'hook' | RotatorName };

/** Set Up Rotation: schedule, then how a new value is applied (a database rotator with its strategy, a hook, or nothing). */
const setRotation: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Set up rotation');
  if (!secretName) return;
  const days = await vscode.window.showInputBox({
    title: `Rotation of ${secretName} (1/2): schedule`,
    prompt: 'Rotate every N days',
    value: String(ctx.config.rotationDefaultIntervalDays),
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'A whole number of days, 1 to 1000.'),
  });
  if (!days) return;
  const appliers: Applier[] = [
    ...ROTATORS.map((r): Applier => ({
      label: `$(database) ${ROTATOR_LABEL[r]} rotator`,
      detail: `The value is JSON credentials {"engine", "host", "port", "username", "password", "dbname"}; Hush changes the password in the database and tests a new login.`,
      applier: r,
    })),
    { label: '$(file-code) Hook…', detail: 'An executable file of yours applies and tests the new value (HUSH_ROTATION_STEP, value on stdin).', applier: 'hook' },
    { label: '$(circle-slash) Only store a new random value', detail: 'Nothing outside Hush changes: for values you update yourself.', applier: 'none' },
  ];
  const how = await vscode.window.showQuickPick(appliers, { title: `Rotation of ${secretName} (2/2): how is a new value applied?` });
  if (!how) return;
  const params: CoreParams<'secrets/setRotation'> = { secretName, intervalDays: Number(days) };
  if (how.applier === 'hook') {
    const hook = await vscode.window.showInputBox({
      title: `Rotation hook for ${secretName}`,
      prompt: 'Path of an executable file; a relative path is resolved now, against the workspace folder, and stored absolute.',
      placeHolder: './rotate-db.sh',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The path of an executable file.'),
    });
    if (!hook) return;
    params.hook = hook.trim();
  } else if (how.applier !== 'none') {
    const strategy = await vscode.window.showQuickPick(
      STRATEGIES.map((st) => ({ label: st === 'single' ? 'Single user' : 'Alternating users', detail: STRATEGY_SUMMARY[st], strategy: st })),
      { title: `${ROTATOR_LABEL[how.applier]} rotation of ${secretName}: strategy` },
    );
    if (!strategy) return;
    const others = (await listSecrets(ctx))?.filter((s) => s.name !== secretName && !s.deletionDate);
    if (!others) return;
    const optional = strategy.strategy === 'single';
    const admin = await vscode.window.showQuickPick(
      [
        ...(optional ? [{ label: '$(person) None', description: 'the user changes its own password', name: '' }] : []),
        ...others.map((s) => ({ label: s.name, description: s.description, name: s.name })),
      ],
      { title: `Admin secret${optional ? ' (optional)' : ''}: credentials that may change passwords${optional ? '' : ' and create the second user'}`, placeHolder: 'Secret holding the admin credentials (same JSON)' },
    );
    if (!admin) return;
    params.rotator = how.applier;
    params.strategy = strategy.strategy;
    if (admin.name) params.adminSecret = admin.name;
  }
  try {
    await ctx.core('secrets/setRotation', params);
    void vscode.window.showInformationMessage(`Hush: ${secretName} rotates every ${days} days${params.rotator ? ` with the ${ROTATOR_LABEL[params.rotator]} rotator (${params.strategy})` : params.hook ? ' through the hook' : ''}.`);
  } catch (e) {
    ctx.showError(`Could not set up the rotation of ${secretName}`, e);
  }
};

const moveLabel: Factory = (ctx) => async (arg) => {
  const a = (arg ?? {}) as SecretArg & { toVersionId?: string; fromVersionId?: string };
  const secretName = await secretFrom(ctx, arg, 'Move stage label');
  if (!secretName) return;
  let details;
  try {
    details = await ctx.core('secrets/describe', { secretName });
  } catch (e) {
    ctx.showError(`Could not read ${secretName}`, e);
    return;
  }
  let label = a.label;
  if (!label) {
    const labels = [...new Set(details.versions.flatMap((v) => v.versionStages))].sort();
    label = (await vscode.window.showQuickPick([...labels, '$(add) New label…'], { title: `Move which label of ${secretName}?` })) ?? undefined;
    if (label === '$(add) New label…') label = await vscode.window.showInputBox({ title: 'New stage label', validateInput: (v) => (/^[A-Za-z0-9_.:+=@-]{1,256}$/.test(v) ? undefined : 'Letters, digits and _ . : + = @ - only.') });
    if (!label) return;
  }
  const holder = details.versions.find((v) => v.versionStages.includes(label!));
  let to = a.toVersionId ?? (a.version && !a.label ? a.version.versionId : undefined);
  if (!to) {
    const pick = await vscode.window.showQuickPick(
      details.versions
        .filter((v) => v.versionId !== holder?.versionId)
        .map((v) => ({ label: v.versionId.slice(0, 8), description: v.versionStages.join(', '), detail: new Date(v.createdAt).toLocaleString(), id: v.versionId })),
      { title: `Move ${label} to which version?` },
    );
    if (!pick) return;
    to = pick.id;
  }
  const warning = label === 'CURRENT' ? ' Every app reading this secret gets that version from now on; the old one becomes PREVIOUS.' : '';
  const ok = await vscode.window.showWarningMessage(
    `Move ${label} of ${secretName} ${holder ? `from ${holder.versionId.slice(0, 8)} ` : ''}to ${to.slice(0, 8)}?${warning}`,
    { modal: true },
    'Move Label',
  );
  if (ok !== 'Move Label') return;
  try {
    await ctx.core('secrets/moveLabel', { secretName, label, toVersionId: to, ...(holder ? { fromVersionId: holder.versionId } : {}) });
  } catch (e) {
    ctx.showError(`Could not move ${label}`, e);
  }
};

const tag: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Tag secret');
  if (!secretName) return;
  const input = await vscode.window.showInputBox({
    title: `Tags of ${secretName}`,
    prompt: 'key=value to add or change, -key to remove; several separated by spaces',
    validateInput: (v) => (v.split(/\s+/).filter(Boolean).every((t) => /^-?[^=\s]+(=\S*)?$/.test(t)) ? undefined : 'Use key=value or -key.'),
  });
  if (!input) return;
  const tags: Record<string, string> = {};
  const removeKeys: string[] = [];
  for (const t of input.split(/\s+/).filter(Boolean)) {
    if (t.startsWith('-')) removeKeys.push(t.slice(1));
    else {
      const [k, ...v] = t.split('=');
      tags[k] = v.join('=');
    }
  }
  try {
    await ctx.core('secrets/tag', { secretName, tags, removeKeys });
  } catch (e) {
    ctx.showError(`Could not tag ${secretName}`, e);
  }
};

const del: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Delete secret');
  if (!secretName) return;
  const pick = await vscode.window.showQuickPick(
    [
      { label: '30 days', description: 'recommended', days: 30 },
      { label: '14 days', days: 14 },
      { label: '7 days', description: 'the shortest recovery window', days: 7 },
    ],
    { title: `Delete ${secretName}: recovery window`, placeHolder: 'Until then you can restore it; apps cannot read it' },
  );
  if (!pick) return;
  const ok = await vscode.window.showWarningMessage(
    `Schedule ${secretName} for deletion in ${pick.label}? Apps reading it fail from now on; you can restore it until then.`,
    { modal: true },
    'Schedule Deletion',
  );
  if (ok !== 'Schedule Deletion') return;
  try {
    const r = await ctx.core('secrets/delete', { secretName, recoveryDays: pick.days });
    void vscode.window.showInformationMessage(`Hush: ${secretName} will be deleted on ${new Date(r.deletionDate).toLocaleDateString()}.`, 'Undo').then(async (c) => {
      if (c === 'Undo') await ctx.core('secrets/restore', { secretName }).catch((e: unknown) => ctx.showError(`Could not restore ${secretName}`, e));
    });
  } catch (e) {
    ctx.showError(`Could not delete ${secretName}`, e);
  }
};

const restore: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Restore secret', (s) => Boolean(s.deletionDate));
  if (!secretName) return;
  try {
    await ctx.core('secrets/restore', { secretName });
    void vscode.window.showInformationMessage(`Hush: restored ${secretName}.`);
  } catch (e) {
    ctx.showError(`Could not restore ${secretName}`, e);
  }
};

const forceDelete: Factory = (ctx) => async (arg) => {
  const secretName = await secretFrom(ctx, arg, 'Delete secret immediately', () => true);
  if (!secretName) return;
  const typed = await vscode.window.showInputBox({
    title: `Delete ${secretName} immediately, with no recovery`,
    prompt: `Every version is destroyed and cannot be restored. Type the secret's name to confirm.`,
    validateInput: (v) => (v === secretName ? undefined : `Type ${secretName} to confirm.`),
    ignoreFocusOut: true,
  });
  if (typed !== secretName) return;
  try {
    await ctx.core('secrets/delete', { secretName, force: true });
    void vscode.window.showInformationMessage(`Hush: deleted ${secretName}.`);
  } catch (e) {
    ctx.showError(`Could not delete ${secretName}`, e);
  }
};

export const SECRET_COMMANDS: Record<string, Factory> = {
  'hush.secret.create': create,
  'hush.secret.describe': describe,
  'hush.secret.reveal': reveal,
  'hush.secret.copy': copy,
  'hush.secret.putValue': putValue,
  'hush.secret.rotate': rotate,
  'hush.secret.rotateAllDue': rotateAllDue,
  'hush.secret.setRotation': setRotation,
  'hush.secret.moveLabel': moveLabel,
  'hush.secret.tag': tag,
  'hush.secret.delete': del,
  'hush.secret.restore': restore,
  'hush.secret.forceDelete': forceDelete,
};
