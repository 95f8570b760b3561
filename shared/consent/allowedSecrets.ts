/**
 * Which secrets a folder's `.hush.json` may hand to the processes Hush starts
 * for it (`hush run`, Open Terminal with Secrets, debug sessions). A manifest
 * comes with the repository, so a cloned repository could otherwise name any
 * secret in the user's store and have it put into a program it controls. The
 * first time a folder's manifest names a secret, the user is asked; the
 * answer is remembered per folder, in the user's config folder and never in
 * the workspace (a repository cannot approve itself). A manifest that later
 * names a secret not allowed yet is asked about again.
 *
 * Consent is per secret name, not per variable: renaming the variable an
 * allowed secret goes into changes nothing the user agreed to, mapping a new
 * secret does. The CLI and the editor share this file.
 */
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { HushError } from '../errors';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { Manifest } from '../move/manifest';

const FILE = 'allowed-secrets.json';
const FORMAT = 1;

/** One variable of a manifest and the secret it asks for. */
export interface SecretRequest {
  readonly envVar: string;
  readonly secret: string;
}

interface ConsentFile {
  format: number;
  /** Real path of a folder → the secret names allowed for it, and when they last changed. */
  folders: Record<string, { secrets: string[]; updatedAt: string }>;
}

/** The user's Hush config folder: %APPDATA%\hush, else $XDG_CONFIG_HOME/hush or ~/.config/hush. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'hush');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'hush');
}

export function consentFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), FILE);
}

/** The folder as the key of the consent file: absolute, symlinks resolved, so two paths to one folder agree. */
function folderKey(folder: string): string {
  const abs = path.resolve(folder);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    return abs;
  }
}

function read(env: NodeJS.ProcessEnv): ConsentFile {
  const file = consentFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, folders: {} };
    throw new HushError('InvalidArgument', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix its permissions or delete it`);
  }
  try {
    const raw = JSON.parse(text) as Partial<ConsentFile>;
    if (raw.format !== FORMAT || !raw.folders || typeof raw.folders !== 'object') throw new Error('unknown format');
    return { format: FORMAT, folders: raw.folders };
  } catch (e) {
    throw new HushError('InvalidArgument', `${file} is not a Hush consent file (${(e as Error).message}); delete it to be asked again for every folder`);
  }
}

/** Replaces the file whole, readable by the user only. */
function write(env: NodeJS.ProcessEnv, data: ConsentFile): void {
  const file = consentFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', 0o600);
}

/** Every variable of the manifest with its secret, in the manifest's order. */
export function requestedSecrets(manifest: Manifest): SecretRequest[] {
  return Object.entries(manifest.env).map(([envVar, ref]) => ({ envVar, secret: ref.secret }));
}

/** The manifest's requests whose secret the user has not allowed for `folder` yet. */
export function notYetAllowed(folder: string, manifest: Manifest, env: NodeJS.ProcessEnv = process.env): SecretRequest[] {
  const requests = requestedSecrets(manifest);
  if (requests.length === 0) return [];
  const allowed = new Set(read(env).folders[folderKey(folder)]?.secrets ?? []);
  return requests.filter((r) => !allowed.has(r.secret));
}

/** Remembers that `folder`'s manifest may name these secrets. */
export function allowSecrets(folder: string, secrets: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (secrets.length === 0) return;
  const data = read(env);
  const key = folderKey(folder);
  const had = data.folders[key]?.secrets ?? [];
  data.folders[key] = { secrets: [...new Set([...had, ...secrets])].sort(), updatedAt: new Date().toISOString() };
  write(env, data);
}

/**
 * `DB_PASSWORD ← myapp/DB_PASSWORD`, one line a request, for prompts. The
 * names come from a file in the repository: control characters are shown
 * escaped (`\x1b`) so a prompt cannot be rewritten by a terminal sequence.
 */
export function describeRequests(requests: readonly SecretRequest[]): string[] {
  const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return requests.map((r) => `${printable(r.envVar)} ← ${printable(r.secret)}`);
}
