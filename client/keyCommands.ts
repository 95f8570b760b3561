/** Commands on customer master keys (the Keys view and the palette). */
import * as vscode from 'vscode';
import type { KeySummary } from '../shared/protocol';
import type { Ctx } from './ctx';

type Factory = (ctx: Ctx) => (...args: unknown[]) => unknown;

function label(k: KeySummary): string {
  return k.aliases[0] ?? k.keyId;
}

/** The key a command is about: the tree item, else a quick pick of keys in the states that fit. */
async function keyFrom(ctx: Ctx, arg: unknown, title: string, fits: (k: KeySummary) => boolean): Promise<KeySummary | undefined> {
  if (arg && typeof (arg as KeySummary).keyId === 'string') return arg as KeySummary;
  let keys: KeySummary[];
  try {
    keys = (await ctx.listKeys()).filter(fits);
  } catch (e) {
    ctx.showError('Could not list keys', e);
    return undefined;
  }
  if (keys.length === 0) {
    void vscode.window.showInformationMessage(`Hush: no key can be used for "${title}" now.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    keys.map((k) => ({ label: label(k), description: `${k.state}${k.isDefault ? ' · default' : ''}`, detail: k.description || k.keyId, key: k })),
    { title },
  );
  return pick?.key;
}

function keyOp(
  op: 'keys/enable' | 'keys/disable' | 'keys/cancelDeletion' | 'keys/rotate',
  title: string,
  fits: (k: KeySummary) => boolean,
  confirm?: (k: KeySummary) => string,
): Factory {
  return (ctx) => async (arg) => {
    const k = await keyFrom(ctx, arg, title, fits);
    if (!k) return;
    if (confirm) {
      const ok = await vscode.window.showWarningMessage(confirm(k), { modal: true }, title);
      if (ok !== title) return;
    }
    try {
      const r = await ctx.core(op, { keyId: k.keyId });
      void vscode.window.showInformationMessage(`Hush: ${label(r)} is ${r.state}.`);
    } catch (e) {
      ctx.showError(`${title} failed for ${label(k)}`, e);
    }
  };
}

const notDefault = (k: KeySummary) => !k.isDefault;

const create: Factory = (ctx) => async () => {
  const alias = await vscode.window.showInputBox({
    title: 'Create key (1/3)',
    prompt: 'Alias, e.g. payments (saved as alias/payments). Empty for none.',
    validateInput: (v) => (v === '' || /^(alias\/)?[A-Za-z0-9/_-]{1,250}$/.test(v) ? undefined : 'Letters, digits and / _ - only.'),
  });
  if (alias === undefined) return;
  const description = await vscode.window.showInputBox({ title: 'Create key (2/3)', prompt: 'Description (optional)' });
  if (description === undefined) return;
  const origin = await vscode.window.showQuickPick(
    [
      { label: 'Hush generates the key material', origin: 'HUSH' as const },
      { label: 'I bring my own key material (BYOK)', detail: 'The key stays PendingImport until you import material with "Import Key Material"', origin: 'EXTERNAL' as const },
    ],
    { title: 'Create key (3/3)' },
  );
  if (!origin) return;
  try {
    const k = await ctx.core('keys/create', {
      origin: origin.origin,
      ...(alias ? { alias: alias.startsWith('alias/') ? alias : `alias/${alias}` } : {}),
      ...(description ? { description } : {}),
    });
    void vscode.window.showInformationMessage(`Hush: created key ${label(k)}.`);
  } catch (e) {
    ctx.showError('Could not create the key', e);
  }
};

const scheduleDeletion: Factory = (ctx) => async (arg) => {
  const k = await keyFrom(ctx, arg, 'Schedule key deletion', (x) => notDefault(x) && x.state !== 'PendingDeletion');
  if (!k) return;
  const days = await vscode.window.showQuickPick(['30', '14', '7'], { title: `Delete ${label(k)} after how many days?`, placeHolder: 'Until then the deletion can be cancelled' });
  if (!days) return;
  const typed = await vscode.window.showInputBox({
    title: `Schedule ${label(k)} for deletion in ${days} days`,
    prompt: 'Every secret version under this key becomes unreadable for good once it is deleted. Type the alias (or key id) to confirm.',
    validateInput: (v) => (v === label(k) ? undefined : `Type ${label(k)} to confirm.`),
    ignoreFocusOut: true,
  });
  if (typed !== label(k)) return;
  try {
    const r = await ctx.core('keys/scheduleDeletion', { keyId: k.keyId, days: Number(days) });
    void vscode.window.showWarningMessage(`Hush: ${label(r)} will be deleted on ${new Date(r.deletionDate ?? 0).toLocaleDateString()}.`);
  } catch (e) {
    ctx.showError(`Could not schedule the deletion of ${label(k)}`, e);
  }
};

/** BYOK: get the wrapping key, let the user wrap their material outside the editor, import it. */
const importMaterial: Factory = (ctx) => async (arg) => {
  const k = await keyFrom(ctx, arg, 'Import key material', (x) => x.origin === 'EXTERNAL');
  if (!k) {
    void vscode.window.showInformationMessage('Hush: import needs a key created for imported material: hush keys create --origin EXTERNAL.');
    return;
  }
  let params;
  try {
    params = await ctx.core('keys/importParameters', { keyId: k.keyId });
  } catch (e) {
    ctx.showError(`Could not get import parameters for ${label(k)}`, e);
    return;
  }
  const pem = `-----BEGIN PUBLIC KEY-----\n${params.publicKey.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
  const guide = [
    `# Import key material into ${label(k)}`,
    '',
    `Wrap 32 random bytes with this RSA-3072 public key (${params.wrappingAlgorithm}); valid until ${new Date(params.validTo).toLocaleString()}.`,
    '',
    '```sh',
    'openssl rand -out material.bin 32',
    'openssl pkeyutl -encrypt -pubin -inkey wrapping-key.pem -in material.bin -out material.enc \\',
    '  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256',
    '```',
    '',
    'Save the key below as `wrapping-key.pem`, run the commands, then pick `material.enc` in the next step.',
    'Keep `material.bin` safe: it is your copy of the key.',
    '',
    '```',
    pem.trimEnd(),
    '```',
  ].join('\n');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: guide });
  await vscode.window.showTextDocument(doc, { preview: true });
  const [file] =
    (await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Pick the wrapped material (material.enc)', openLabel: 'Import' })) ?? [];
  if (!file) return;
  const encrypted = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('base64');
  try {
    const r = await ctx.core('keys/import', { keyId: k.keyId, importToken: params.importToken, encryptedMaterial: encrypted });
    void vscode.window.showInformationMessage(`Hush: imported key material; ${label(r)} is ${r.state}.`);
  } catch (e) {
    ctx.showError(`Could not import key material into ${label(k)}`, e);
  }
};

export const KEY_COMMANDS: Record<string, Factory> = {
  'hush.key.create': create,
  'hush.key.enable': keyOp('keys/enable', 'Enable Key', (k) => k.state === 'Disabled'),
  'hush.key.disable': keyOp(
    'keys/disable',
    'Disable Key',
    (k) => notDefault(k) && k.state === 'Enabled',
    (k) => `Disable ${label(k)}? Secrets under it cannot be read or written until it is enabled again.`,
  ),
  'hush.key.scheduleDeletion': scheduleDeletion,
  'hush.key.cancelDeletion': keyOp('keys/cancelDeletion', 'Cancel Key Deletion', (k) => k.state === 'PendingDeletion'),
  'hush.key.rotate': keyOp(
    'keys/rotate',
    'Rotate Key Material',
    (k) => k.state === 'Enabled' && k.origin !== 'EXTERNAL',
    (k) => `Rotate the material of ${label(k)}? New secret versions use the new material; older versions still decrypt.`,
  ),
  'hush.key.import': importMaterial,
};
