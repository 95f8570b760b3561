/**
 * The client half of "Move to Secrets Manager": the server offers the quick
 * fix with its defaults; here the user may change them, then the server does
 * the work (store, then edit). The client never touches the store.
 *
 * Every question is modal: one the user cannot miss or dismiss by accident
 * (a name already taken, a move in Restricted Mode), so a move never waits on
 * a notification that hid itself. When the language server dies mid-move,
 * the message says what happened to the value and to the file, as found
 * after the restart.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KeySummary, MoveCommandArgs, MoveParams, MoveResult, NameConflict } from '../shared/protocol';
import { ENV_VAR_NAME } from '../shared/move/replacement';
import type { Ctx } from './ctx';
import { explainUntrusted } from './manifestSecrets';

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A conflict answered by a name that was taken meanwhile is asked again, a few times at most. */
const MAX_CONFLICT_QUESTIONS = 3;

export function moveCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<MoveResult | undefined> => {
    const args = arg as MoveCommandArgs | undefined;
    if (!args?.uri) {
      void vscode.window.showInformationMessage(
        'Hush: put the cursor on an underlined credential and press Ctrl+. to move it to the Secrets Manager.',
      );
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      await explainUntrusted('moving a credential into your store works');
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
      const others = await ctx.occurrences({ uri: args.uri, version: args.version, range: args.range });
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
    let params: MoveParams = { uri: args.uri, version: args.version, range: args.range, envVar, secretName, kmsKeyId, ...(alsoIn.length ? { alsoIn } : {}), ...(args.dbJson ? { dbJson: true } : {}) };
    // What the file holds now, to tell afterwards whether the edit happened (kept in memory only).
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
    const literal = doc?.getText(toRange(args.range));
    for (let asked = 0; ; asked++) {
      const startedAt = Date.now();
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Hush: moving ${args.masked} to ${params.secretName}…` },
          () => ctx.move(params),
        );
        if (result.applied) await saveManifest(ctx, result, [args.uri, ...(params.alsoIn ?? [])]);
        if (result.applied) void afterMove(result, args.masked);
        return result;
      } catch (e) {
        const conflict = nameConflict(e);
        if (conflict && asked < MAX_CONFLICT_QUESTIONS) {
          const answer = await askConflict(conflict, args.masked);
          if (!answer) return undefined;
          params = { ...params, ...answer };
          continue;
        }
        if (ctx.lostConnection(e)) await reportCrash(ctx, params, doc, literal, startedAt);
        else ctx.showError('Could not move the secret', e);
        return undefined;
      }
    }
  };
}

function toRange(r: MoveCommandArgs['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The NameConflict a move was refused with, if that is why. */
function nameConflict(e: unknown): NameConflict | undefined {
  const data = (e as { data?: Partial<NameConflict> } | undefined)?.data;
  return data && (data.code === 'SecretExists' || data.code === 'VariableTaken') && typeof data.suggestedSecretName === 'string' ? (data as NameConflict) : undefined;
}

/** Asks (modal) what to do when the name or the variable is taken; undefined when the user cancels. */
async function askConflict(c: NameConflict, masked: string): Promise<Partial<MoveParams> | undefined> {
  const useFree = `Use ${c.suggestedSecretName}`;
  if (c.code === 'VariableTaken') {
    const choice = await vscode.window.showWarningMessage(
      `${c.envVar} already reads the secret ${c.mappedTo} in .hush.json.`,
      { modal: true, detail: `Move ${masked} as ${c.suggestedSecretName}, read from ${c.suggestedEnvVar}? Nothing was stored yet.` },
      useFree,
    );
    return choice === useFree ? { secretName: c.suggestedSecretName, envVar: c.suggestedEnvVar, onExisting: 'fail' } : undefined;
  }
  const newVersion = `New Version of ${c.secretName}`;
  const choice = await vscode.window.showWarningMessage(
    `A secret named ${c.secretName} already holds a different value.`,
    {
      modal: true,
      detail:
        `Move ${masked} as ${c.suggestedSecretName}, read from ${c.suggestedEnvVar}? ` +
        `Or store it as the new CURRENT version of ${c.secretName}: every app reading ${c.secretName} then gets this value. Nothing was stored yet.`,
    },
    useFree,
    newVersion,
  );
  if (choice === useFree) return { secretName: c.suggestedSecretName, envVar: c.suggestedEnvVar, onExisting: 'fail' };
  if (choice === newVersion) return { onExisting: 'newVersion' };
  return undefined;
}

/** The move's manifest is saved before the move is reported done (the server put it in the edit). */
async function saveManifest(ctx: Ctx, r: MoveResult, editedFiles: string[]): Promise<void> {
  if (!r.manifestUri) return;
  try {
    await ctx.manifests.afterMove(vscode.Uri.parse(r.manifestUri), editedFiles);
  } catch (e) {
    ctx.showError('The code now reads the secret, but .hush.json could not be saved; save it before running the app', e);
  }
}

/**
 * The server stopped before answering: find out, once it runs again, whether
 * the value was stored and whether the file was edited, and say exactly that.
 */
async function reportCrash(ctx: Ctx, p: MoveParams, doc: vscode.TextDocument | undefined, literal: string | undefined, startedAt: number): Promise<void> {
  const back = await ctx.whenRunning(20_000);
  let stored: string;
  let wasStored: boolean | undefined;
  if (!back) {
    stored = `Whether ${p.secretName} got a new version is unknown until the server runs again (Hush: Restart Language Server, then look at the Secrets view).`;
  } else {
    try {
      const d = await ctx.core('secrets/describe', { secretName: p.secretName });
      const fresh = d.versions.filter((v) => Date.parse(v.createdAt) >= startedAt - 1000);
      wasStored = fresh.length > 0;
      stored = wasStored
        ? `The value was stored: ${p.secretName} has a new version ${fresh[0].versionId.slice(0, 8)}${fresh[0].versionStages.length ? ` (${fresh[0].versionStages.join(', ')})` : ''}.`
        : `No new version of ${p.secretName} was stored.`;
    } catch (e) {
      wasStored = /SecretNotFound/.test((e as Error)?.message ?? '') ? false : undefined;
      stored = wasStored === false ? `The value was not stored (there is no secret ${p.secretName}).` : `Whether the value was stored could not be checked: ${(e as Error)?.message ?? e}`;
    }
  }
  const file = doc ? path.basename(doc.uri.fsPath) : 'the file';
  let edited: boolean | undefined;
  if (doc && !doc.isClosed && literal !== undefined) edited = doc.getText(toRange(p.range)) !== literal;
  const fileText = edited === undefined ? `Whether ${file} was edited is unknown (it was closed).` : edited ? `${file} was edited: the literal was replaced.` : `${file} is unchanged: the literal is still there.`;
  if (edited && doc) {
    // The edit reached the editor: its manifest change may be unsaved, save it as a finished move would.
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (folder) await ctx.manifests.afterMove(vscode.Uri.joinPath(folder.uri, '.hush.json'), [doc.uri.toString()]).catch(() => undefined);
  }
  const next =
    edited === false
      ? wasStored
        ? ' Run the quick fix again: it finds the stored value and only replaces the literal (nothing is stored twice).'
        : ' Nothing changed: run the quick fix again.'
      : '';
  const message = `Hush: the language server stopped during the move${back ? ' and was restarted' : ''}. ${stored} ${fileText}${next}`;
  ctx.output.error(message);
  const choice = await vscode.window.showErrorMessage(message, ...(back ? ['Show Output'] : ['Restart Language Server', 'Show Output']));
  if (choice === 'Show Output') ctx.output.show(true);
  if (choice === 'Restart Language Server') await vscode.commands.executeCommand('hush.restartServer');
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

async function afterMove(r: MoveResult, masked: string): Promise<void> {
  if (r.reused) {
    void vscode.window.showInformationMessage(
      `Hush: ${masked} is the value of ${r.secretName}, already in the store: the code now reads ${r.lookup}, and nothing new was stored. ` +
        'The old value is still in your version control history: treat it as leaked and rotate it.',
    );
    return;
  }
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
    if (!vscode.workspace.isTrusted) {
      await explainUntrusted('moving credentials into your store works');
      return undefined;
    }
    const ok = await vscode.window.showInformationMessage(
      `Move these to the Secrets Manager and read them from the environment?`,
      { modal: true, detail: `${a.names.join('\n')}\n\nA name already used for another value gets the next free one (…_2).` },
      'Move All',
    );
    if (ok !== 'Move All') return undefined;
    try {
      const results = await ctx.moveAll({ uri: a.uri, version: a.version });
      if (results.length && results[0].applied) {
        await saveManifest(ctx, results[0], [a.uri]);
        const reused = results.filter((r) => r.reused).length;
        void vscode.window.showInformationMessage(
          `Moved ${results.length} secret(s): ${results.map((r) => r.secretName).join(', ')}${reused ? ` (${reused} already stored, reused)` : ''}. ` +
            'Run your app with "hush run -- <command>". The old values are still in your version control history: rotate them.',
        );
      }
      return results;
    } catch (e) {
      ctx.showError('Could not move the secrets', e);
      return undefined;
    }
  };
}
