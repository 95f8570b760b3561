/**
 * The store passphrase, asked when the server needs it (no HUSH_PASSPHRASE,
 * or a wrong one). A new store's passphrase is typed twice: a typo there
 * would lock the user out of every secret. With `hush.rememberPassphrase`,
 * VS Code's secret storage keeps it; the answer says where it came from, so
 * the status bar can say so truthfully.
 */
import * as vscode from 'vscode';
import type { AskPassphraseParams, AskPassphraseResult } from '../shared/protocol';

const MIN_LENGTH = 12;
const CONFIRM_TRIES = 3;

export async function askPassphrase(p: AskPassphraseParams, secrets: vscode.SecretStorage): Promise<AskPassphraseResult> {
  const key = `hush.passphrase:${p.storePath}`;
  const remember = vscode.workspace.getConfiguration('hush').get<boolean>('rememberPassphrase', false);
  if (remember && !p.wrong) {
    const saved = await secrets.get(key);
    if (saved) return { passphrase: saved, source: 'remembered' };
  }
  if (p.wrong) await secrets.delete(key);
  const passphrase = p.creating ? await chooseNew(p.storePath) : await askExisting(p);
  if (passphrase && remember) await secrets.store(key, passphrase);
  return passphrase ? { passphrase, source: 'typed' } : {};
}

async function askExisting(p: AskPassphraseParams): Promise<string | undefined> {
  const passphrase = await vscode.window.showInputBox({
    title: 'Hush: unlock the secrets store',
    prompt: `${p.wrong ? 'That passphrase did not unlock it. ' : ''}Passphrase of the store in ${p.storePath} (kept in memory for this session).`,
    password: true,
    ignoreFocusOut: true,
  });
  return passphrase || undefined;
}

/** A new store's passphrase, typed twice; undefined when the user gives up. */
async function chooseNew(storePath: string): Promise<string | undefined> {
  let mismatch = false;
  for (let i = 0; i < CONFIRM_TRIES; i++) {
    const first = await vscode.window.showInputBox({
      title: 'Hush: choose a passphrase for the new store (1/2)',
      prompt:
        `${mismatch ? 'The two entries did not match; start again. ' : ''}The OS keychain is not available, so the store in ${storePath} ` +
        'will be protected by this passphrase. It cannot be recovered if lost. The CLI reads it from HUSH_PASSPHRASE.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.length < MIN_LENGTH ? `Use at least ${MIN_LENGTH} characters.` : undefined),
    });
    if (!first) return undefined;
    const again = await vscode.window.showInputBox({
      title: 'Hush: type the new passphrase again (2/2)',
      prompt: 'The same passphrase once more, to be sure it is the one you meant.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.length > 0 && v !== first ? 'This does not match the first entry.' : undefined),
    });
    if (again === undefined) return undefined;
    if (again === first) return first;
    mismatch = true;
  }
  void vscode.window.showErrorMessage(`Hush: the passphrase entries did not match ${CONFIRM_TRIES} times; the store was not created.`);
  return undefined;
}
