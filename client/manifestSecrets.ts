/**
 * The manifest's secrets for what VS Code starts on the user's behalf (a
 * terminal, a debug session): values go from the server into the process's
 * environment in memory; no env file is written. Three gates first:
 *  - Workspace Trust: in Restricted Mode no secret leaves the store;
 *  - consent: a manifest arrives with the repository, so the secrets it names
 *    that the user has not allowed for this folder are listed in a modal, and
 *    the answer is remembered per folder, outside the workspace
 *    (shared/consent/allowedSecrets.ts, which `hush run` uses too);
 *  - the server checks both again before it reads any value.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { allowSecrets, describeRequests, notYetAllowed } from '../shared/consent/allowedSecrets';
import { MANIFEST_FILE, readManifest } from '../shared/move/manifest';
import type { Ctx } from './ctx';

export type ManifestSecrets =
  | { kind: 'env'; env: Record<string, string> }
  /** No .hush.json in the folder, or it maps nothing. */
  | { kind: 'none' }
  /** Restricted Mode: nothing was read. */
  | { kind: 'untrusted' }
  /** The user did not allow the secrets, or chose to go on without them. */
  | { kind: 'declined'; withoutSecrets: boolean };

/**
 * `purpose` says what gets them ("this terminal"); with `offerWithout`, the
 * modal also offers to go on without the secrets (a debug session).
 */
export async function manifestSecrets(ctx: Ctx, folder: vscode.WorkspaceFolder, purpose: string, offerWithout = false): Promise<ManifestSecrets> {
  if (!vscode.workspace.isTrusted) return { kind: 'untrusted' };
  const dir = folder.uri.fsPath;
  const manifest = readManifest(dir); // an absent file is an empty manifest; a broken one throws InvalidManifest
  if (Object.keys(manifest.env).length === 0) return { kind: 'none' };
  const missing = notYetAllowed(dir, manifest);
  if (missing.length > 0) {
    const allow = 'Allow';
    const without = 'Start Without Secrets';
    const choice = await vscode.window.showWarningMessage(
      `${folder.name}'s ${MANIFEST_FILE} asks for ${missing.length === 1 ? 'a secret' : `${missing.length} secrets`} from your store for ${purpose}. Allow ${missing.length === 1 ? 'it' : 'them'} for this folder?`,
      {
        modal: true,
        detail:
          `${describeRequests(missing).join('\n')}\n\n` +
          `The manifest came with the folder (${path.join(dir, MANIFEST_FILE)}): allow only secrets you expect this project to use. ` +
          'Your answer is remembered for this folder in your user config, not in the workspace; a manifest that names other secrets later is asked about again.',
      },
      allow,
      ...(offerWithout ? [without] : []),
    );
    if (choice !== allow) return { kind: 'declined', withoutSecrets: choice === without };
    allowSecrets(dir, missing.map((m) => m.secret));
  }
  const { env } = await ctx.core('manifest/env', { folder: dir });
  return { kind: 'env', env };
}

/** The message for Restricted Mode, with the way out. */
export async function explainUntrusted(what: string): Promise<void> {
  const trust = 'Manage Workspace Trust';
  const c = await vscode.window.showWarningMessage(`Hush: ${what} only in a trusted workspace. In Restricted Mode Hush only detects credentials.`, trust);
  if (c === trust) await vscode.commands.executeCommand('workbench.trust.manage');
}
