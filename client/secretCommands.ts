/** Commands on one secret that the Move flow and the sidebar share. */
import * as vscode from 'vscode';
import { Ctx } from './ctx';

/** The secret a command is about: a name passed by another command or a tree item, else asked. */
export async function secretNameFrom(arg: unknown, title: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const fromItem = (arg as { secretName?: unknown } | undefined)?.secretName;
  if (typeof fromItem === 'string') return fromItem;
  return vscode.window.showInputBox({ title, prompt: 'Secret name' });
}

type Source = 'type' | 'generate' | 'clipboard' | 'file';

export function putValueCommand(ctx: Ctx) {
  return async (arg?: unknown): Promise<void> => {
    const secretName = await secretNameFrom(arg, 'Put a new value');
    if (!secretName) return;
    const source = await vscode.window.showQuickPick(
      [
        { label: '$(key) Enter the new value', detail: 'Typed or pasted into a masked input box', source: 'type' as Source },
        { label: '$(sparkle) Generate a random password', detail: '32 characters from a cryptographic random source', source: 'generate' as Source },
        { label: '$(clippy) From the clipboard', source: 'clipboard' as Source },
        { label: '$(file) From a file…', source: 'file' as Source },
      ],
      { title: `New value for ${secretName}`, placeHolder: 'The current version becomes PREVIOUS' },
    );
    if (!source) return;
    let value: string | undefined;
    if (source.source === 'type') {
      value = await vscode.window.showInputBox({
        title: `New value for ${secretName}`,
        prompt: 'For a provider credential, paste the new one you created there; then revoke the old one.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.length === 0 ? 'The value cannot be empty.' : undefined),
      });
    } else if (source.source === 'clipboard') {
      value = await vscode.env.clipboard.readText();
      if (!value) {
        void vscode.window.showWarningMessage('Hush: the clipboard holds no text.');
        return;
      }
    } else if (source.source === 'file') {
      const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, title: `Read the new value for ${secretName}` })) ?? [];
      if (!file) return;
      value = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8').replace(/\r?\n$/, '');
    }
    if (source.source !== 'generate' && !value) return;
    try {
      const r = await ctx.putValue({ secretName, ...(source.source === 'generate' ? { generate: {} } : { value }) });
      void vscode.window.showInformationMessage(`Hush: ${r.secretName} has a new CURRENT version (${r.versionId.slice(0, 8)}).`);
    } catch (e) {
      ctx.showError(`Could not put a new value for ${secretName}`, e);
    }
  };
}
