/**
 * The environment of every process Hush starts for the user: `hush run`'s
 * command, rotation hooks, the terminal and debug sessions the editor opens
 * with a manifest's secrets. Each gets the variables it asked for and never
 * the root key: HUSH_MASTER_KEY, HUSH_PASSPHRASE or an identity unlock every
 * secret in the store, and a child (or anything it runs, logs or crashes
 * with) has no business holding that.
 *
 * Two forms, because two kinds of launcher: Node's spawn takes a whole
 * environment (`childEnv`); VS Code's terminals and debug adapters merge an
 * `env` onto the editor's own, where `null` removes a variable
 * (`childEnvOverlay`).
 */
import { HushError } from '../errors';

/** Variables that unlock a store (see shared/crypto/rootKey.ts); none of them ever reaches a child. */
export const ROOT_KEY_VARIABLES: readonly string[] = ['HUSH_MASTER_KEY', 'HUSH_PASSPHRASE', 'HUSH_IDENTITY'];

/** Windows environment names are case-insensitive. */
function normal(name: string): string {
  return process.platform === 'win32' ? name.toUpperCase() : name;
}

const ROOT_KEY_SET = new Set(ROOT_KEY_VARIABLES.map(normal));

export function isRootKeyVariable(name: string): boolean {
  return ROOT_KEY_SET.has(normal(name));
}

/** Refuses to hand a child a variable named like a root key, whatever its value. */
function checked(add: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const name of Object.keys(add)) {
    if (isRootKeyVariable(name)) {
      throw new HushError(
        'InvalidArgument',
        `${name} is one of Hush's root-key variables, which no child process is given; map the secret to another variable name`,
      );
    }
  }
  return add;
}

/** The whole environment for a spawned child: `base` without the root-key variables, then `add`. */
export function childEnv(base: NodeJS.ProcessEnv, add: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!isRootKeyVariable(name)) env[name] = value;
  return { ...env, ...checked(add) };
}

/**
 * The `env` for a VS Code terminal or debug configuration, which VS Code
 * merges onto the editor's environment: `add`, and `null` (remove) for every
 * root-key variable.
 */
export function childEnvOverlay(add: Readonly<Record<string, string>> = {}): Record<string, string | null> {
  const overlay: Record<string, string | null> = { ...checked(add) };
  for (const name of ROOT_KEY_VARIABLES) overlay[name] = null;
  return overlay;
}
