/**
 * The client half of "Move to Secrets Manager": the server offers the quick
 * fix with its defaults; here the user may change them, then the server does
 * the work (store, then edit). The client never touches the store.
 */
import * as vscode from 'vscode';
import { KeySummary, MoveAllRequest, MoveCommandArgs, MoveResult, OccurrencesRequest } from '../shared/protocol';
import { ENV_VAR_NAME } from '../shared/move/replacement';
import { Ctx } from './ctx';

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export function moveCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<MoveResult | undefined> => {
    const args = arg as MoveCommandArgs | undefined;
    if (!args?.uri) {
      void vscode.window.showInformationMessage(
        'Hush: put the cursor on an underlined credential and press Ctrl+. to move it to the Secrets Manager.',
      );
      return undefined;
    }
    let { secretName, envVar } = args;
    let kmsKeyId: string | undefined;
    if (args.ask) {
      const name = await vscode.window.showInputBox({
        title: `Move ${args.masked} to the Secrets Manager (1/3)`,
        prompt: 'Secret name. Slashes group secrets in the sidebar (myapp/DB_PASSWORD).',
        value: secretName,
        validateInput: (v) => (SECRET_NAME.test(v) ? undefined : 'Letters, digits and / _ + = . @ - only, 1 to 512 characters.'),
      });
      if (name === undefined) return undefined;
      secretName = name;
      const variable = await vscode.window.showInputBox({
        title: `Move ${args.masked} to the Secrets Manager (2/3)`,
        prompt: 'Environment variable the code will read it from.',
        value: envVar,
        validateInput: (v) => (ENV_VAR_NAME.test(v) ? undefined : 'Letters, digits and _ only, not starting with a digit.'),
      });
      if (variable === undefined) return undefined;
      envVar = variable;
      const key = await pickKey(ctx, `Move ${args.masked} to the Secrets Manager (3/3)`);
      if (key === null) return undefined;
      kmsKeyId = key;
    }
    // The same value elsewhere in the workspace: show the list, let the user choose.
    let alsoIn: string[] = [];
    // A URL moved as database credentials is replaced alone: copies of its password elsewhere are not URLs.
    if (!args.dbJson) try {
      const others = await ctx.request(OccurrencesRequest, { uri: args.uri, version: args.version, range: args.range });
      if (others.length) {
        const where = others.map((o) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(o.uri))}:${o.line + 1}`);
        const choice = await vscode.window.showWarningMessage(
          `The same value is in ${others.length} other place(s). Replace them with ${envVar} too?`,
          { modal: true, detail: where.join('\n') },
          'Replace Everywhere',
          'Only Here',
        );
        if (choice === undefined) return undefined;
        if (choice === 'Replace Everywhere') alsoIn = [...new Set(others.map((o) => o.uri))];
      }
    } catch (e) {
      ctx.showError('Could not look for other copies of the value', e);
      return undefined;
    }
    let result: MoveResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Hush: moving ${args.masked} to ${secretName}…` },
        () => ctx.move({ uri: args.uri, version: args.version, range: args.range, envVar, secretName, kmsKeyId, ...(alsoIn.length ? { alsoIn } : {}), ...(args.dbJson ? { dbJson: true } : {}) }),
      );
    } catch (e) {
      ctx.showError('Could not move the secret', e);
      return undefined;
    }
    if (result.applied) void afterMove(result);
    return result;
  };
}

/** The CMK to use: undefined for the default key, null when the user cancelled. */
async function pickKey(ctx: Ctx, title: string): Promise<string | undefined | null> {
  let keys: KeySummary[];
  try {
    keys = (await ctx.listKeys()).filter((k) => k.state === 'Enabled');
  } catch (e) {
    ctx.showError('Could not list keys', e);
    return null;
  }
  if (keys.length <= 1) return undefined;
  const items = keys
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .map((k) => ({
      label: k.aliases[0] ?? k.keyId,
      description: k.isDefault ? 'default key' : k.keyId.slice(0, 8),
      detail: k.description || undefined,
      keyId: k.keyId,
    }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Customer master key that wraps the secret' });
  return pick ? pick.keyId : null;
}

async function afterMove(r: MoveResult): Promise<void> {
  const verb = r.created ? 'Moved to the Secrets Manager as' : 'Stored as a new version of';
  const choice = await vscode.window.showInformationMessage(
    `Hush: ${verb} ${r.secretName}; the code now reads ${r.lookup}. Run your app with "hush run -- <command>". ` +
      'The old value is still in your version control history: treat it as leaked and rotate it.',
    'Rotate Now',
    'Learn More',
  );
  if (choice === 'Rotate Now') await vscode.commands.executeCommand('hush.secret.putValue', r.secretName);
  if (choice === 'Learn More') {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'hush-dev.hush#hush.gettingStarted', false);
  }
}

/** "Move all secrets in this file": confirm the list, then one server request and one edit. */
export function moveAllCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<MoveResult[] | undefined> => {
    const a = arg as { uri: string; version: number; names: string[] } | undefined;
    if (!a?.uri) return undefined;
    const ok = await vscode.window.showInformationMessage(
      `Move these to the Secrets Manager and read them from the environment?`,
      { modal: true, detail: a.names.join('\n') },
      'Move All',
    );
    if (ok !== 'Move All') return undefined;
    try {
      const results = await ctx.request(MoveAllRequest, { uri: a.uri, version: a.version });
      if (results.length && results[0].applied) {
        void vscode.window.showInformationMessage(
          `Moved ${results.length} secret(s): ${results.map((r) => r.secretName).join(', ')}. Run your app with "hush run -- <command>". ` +
            'The old values are still in your version control history: rotate them.',
        );
      }
      return results;
    } catch (e) {
      ctx.showError('Could not move the secrets', e);
      return undefined;
    }
  };
}
