/**
 * `hush run [--watch] [--env-file-compat] [--manifest F] -- <command…>`:
 * starts a command with the secrets the workspace manifest names in its
 * environment. Values are decrypted in memory and handed to the child's
 * environment only: never written to disk, never printed.
 *
 * With --watch, a new CURRENT version of any referenced secret (a put, a
 * rotation, from any process) stops the child (SIGTERM, then SIGKILL after
 * the grace period) and starts it again with the new values, as doppler and
 * infisical do.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { allowSecrets, consentFile, describeRequests, notYetAllowed } from '../shared/consent/allowedSecrets';
import { HushError } from '../shared/errors';
import { childEnv } from '../shared/process/childEnv';
import { Manifest, MANIFEST_FILE, readManifest, readManifestFile } from '../shared/move/manifest';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { resolveManifest } from '../shared/move/resolve';
import { parseDotenv } from './dotenv';
import { CoreIo, open, parse } from './store';
import type { OpenedStore } from '../shared/compose/openStore';
import { StopWatching, watchStore } from '../shared/compose/storeWatch';

export const RUN_HELP = `Usage: hush run [--yes] [--watch] [--env-file-compat] [--manifest FILE] [--store DIR] -- COMMAND [ARG…]

Starts COMMAND with every variable of the workspace manifest (.hush.json, found
in this folder or the nearest parent) set to its secret's value (CURRENT
unless the manifest names a stage or version). Values stay in memory. COMMAND
never gets HUSH_MASTER_KEY, HUSH_PASSPHRASE or any other variable that unlocks
the store.

The first time a folder's manifest names a secret, hush run lists the secrets
and asks before reading them; the answer is remembered for that folder in your
config folder (not in the repository). A manifest that names new secrets later
is asked about again.

  --yes              allow the manifest's secrets for this folder without asking
                     (CI and scripts; without a terminal hush run refuses instead)

  --watch            restart COMMAND when a referenced secret gets a new CURRENT
                     version (SIGTERM, then SIGKILL after --grace seconds)
  --grace SECONDS    how long a stopping child may take under --watch (default 10)
  --env-file-compat  also load plain settings from .env beside the manifest
                     (manifest secrets win), like node --env-file
  --manifest FILE    use this manifest instead of searching for .hush.json

Exit status: COMMAND's own, 128+N when it died of signal N; 1 when a secret
cannot be read (nothing is started), 2 for usage errors.
`;

export interface RunOptions {
  /** Allow the manifest's secrets for this folder without asking (--yes). */
  yes?: boolean;
  /** Asks the user a yes/no question on the terminal; absent when there is none. */
  confirm?: (question: string) => Promise<boolean>;
  watch: boolean;
  graceMs: number;
  envFileCompat: boolean;
  manifest?: string;
  store?: string;
  /** Where the child's stdio goes (inherit by default). */
  stdio?: 'inherit' | 'pipe';
  /** Test hook: called with every child started. */
  onChild?: (child: ChildProcess) => void;
  /** How often --watch checks the store besides file events (ms). */
  pollMs?: number;
}

/** The manifest to use: --manifest, else .hush.json in cwd or the nearest parent. */
export function findManifest(cwd: string, explicit?: string): { dir: string; manifest: Manifest } {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new HushError('NotFound', `no manifest at ${explicit}`);
    return { dir: path.dirname(file), manifest: readManifestFile(file) };
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return { dir, manifest: readManifest(dir) };
    if (path.dirname(dir) === dir) break;
  }
  throw new HushError(
    'NotFound',
    `no ${MANIFEST_FILE} in ${cwd} or its parents: move a secret with the editor's quick fix, or write {"env": {"NAME": "secret/name"}}`,
  );
}

/** `hush run …` from the command line. */
export async function runRun(args: string[], io: CoreIo): Promise<number> {
  const { values, positionals } = parse(args, {
    yes: { type: 'boolean', short: 'y', default: false },
    watch: { type: 'boolean', default: false },
    grace: { type: 'string', default: '10' },
    'env-file-compat': { type: 'boolean', default: false },
    manifest: { type: 'string' },
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  const grace = Number(values.grace);
  if (!Number.isFinite(grace) || grace < 0) throw new HushError('InvalidArgument', `--grace takes seconds (a number ≥ 0), not '${values.grace}'`);
  return runWithSecrets(positionals, {
    yes: values.yes === true,
    ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askOnTerminal } : {}),
    watch: values.watch === true,
    graceMs: grace * 1000,
    envFileCompat: values['env-file-compat'] === true,
    ...(typeof values.manifest === 'string' ? { manifest: values.manifest } : {}),
    ...(typeof values.store === 'string' ? { store: values.store } : {}),
  }, io);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** A y/N question on the terminal (stderr, so stdout stays the command's). */
export async function askOnTerminal(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * The manifest may hand the command only secrets the user allowed for this
 * folder (shared/consent/allowedSecrets.ts): asks on a terminal, takes --yes,
 * and refuses otherwise, before anything is read or started.
 */
export async function ensureAllowed(dir: string, manifest: Manifest, o: Pick<RunOptions, 'yes' | 'confirm'>, io: CoreIo, command = 'hush run'): Promise<void> {
  const env = io.env ?? process.env;
  const missing = notYetAllowed(dir, manifest, env);
  if (missing.length === 0) return;
  const list = describeRequests(missing);
  if (!o.yes) {
    if (!o.confirm) {
      throw new HushError(
        'ConsentRequired',
        `${path.join(dir, MANIFEST_FILE)} asks for secrets you have not allowed for this folder: ${list.join(', ')}. ` +
          `Run ${command} on a terminal to be asked, or pass --yes to allow them (CI, scripts). Nothing was read or started.`,
      );
    }
    io.err(`${command}: ${path.join(dir, MANIFEST_FILE)} asks for these secrets from your store:\n${list.map((l) => `  ${l}\n`).join('')}`);
    const ok = await o.confirm(`Allow them for ${dir}? (remembered in ${consentFile(env)}) [y/N] `);
    if (!ok) throw new HushError('ConsentRequired', `not allowed: nothing was read or started.`);
  }
  allowSecrets(dir, missing.map((m) => m.secret), env);
}

export async function runWithSecrets(command: string[], o: RunOptions, io: CoreIo): Promise<number> {
  if (command.length === 0) throw new HushError('InvalidArgument', `no command to run: hush run -- COMMAND [ARG…]`);
  const { dir, manifest } = findManifest(io.cwd, o.manifest);
  await ensureAllowed(dir, manifest, o, io);
  const plain = o.envFileCompat && fs.existsSync(path.join(dir, '.env')) ? parseDotenv(fs.readFileSync(path.join(dir, '.env'), 'utf8')) : {};
  const opened = await open(io, o.store, false);
  const m = opened.manager;
  try {
    let current = await resolveManifest(m, manifest);
    const baseEnv = { ...(io.env ?? process.env) };
    const start = (values: Record<string, string>): ChildProcess => {
      const child = spawn(command[0], command.slice(1), {
        cwd: io.cwd,
        env: childEnv(baseEnv, { ...plain, ...values }),
        stdio: o.stdio ?? 'inherit',
      });
      o.onChild?.(child);
      return child;
    };
    const exitOf = (child: ChildProcess): Promise<number> =>
      new Promise((resolve, reject) => {
        child.once('error', (e: NodeJS.ErrnoException) =>
          reject(new HushError('NotFound', `cannot start '${command[0]}': ${e.code === 'ENOENT' ? 'no such command' : e.message}`)),
        );
        child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 1) : 1)));
      });

    let child = start(current.env);
    const forward = (sig: NodeJS.Signals) => () => {
      child.kill(sig);
    };
    const handlers = SIGNALS.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    try {
      if (!o.watch) return await exitOf(child);
      for (;;) {
        const exited = exitOf(child);
        const changed = waitForNewVersions(opened, m, manifest, current.versions, o.pollMs ?? 1000);
        const first = await Promise.race([exited.then((code) => ({ kind: 'exit' as const, code })), changed.promise.then((next) => ({ kind: 'change' as const, next }))]);
        changed.cancel();
        if (first.kind === 'exit') return first.code;
        io.err(`hush run: a secret changed (${describeChange(current.versions, first.next.versions)}); restarting ${command[0]}\n`);
        await stop(child, exited, o.graceMs);
        current = first.next;
        child = start(current.env);
      }
    } finally {
      for (const [s, h] of handlers) process.off(s, h);
    }
  } finally {
    await m.close();
  }
}

function describeChange(before: string, after: string): string {
  const old = new Set(before.split(','));
  return after
    .split(',')
    .filter((x) => !old.has(x))
    .map((x) => x.split('=')[0])
    .join(', ');
}

/** SIGTERM, then SIGKILL when the child is still there after the grace period. */
async function stop(child: ChildProcess, exited: Promise<number>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited.catch(() => undefined);
  clearTimeout(timer);
}

/**
 * Resolves when any referenced secret's version differs from `versions`.
 * Re-reads the manifest's secrets whenever the store says it changed (a
 * NOTIFY from a team store, file events and a slow poll on a folder).
 */
function waitForNewVersions(
  opened: OpenedStore,
  m: SecretsManager,
  manifest: Manifest,
  versions: string,
  pollMs: number,
): { promise: Promise<{ env: Record<string, string>; versions: string }>; cancel(): void } {
  let cancelled = false;
  let stopWatching: StopWatching | undefined;
  const cancel = (): void => {
    cancelled = true;
    void stopWatching?.();
  };
  const promise = new Promise<{ env: Record<string, string>; versions: string }>((resolve) => {
    let busy = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (cancelled) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        const next = await resolveManifest(m, manifest);
        if (!cancelled && next.versions !== versions) {
          cancel();
          resolve(next);
        }
      } catch {
        // A secret disappeared, a key was disabled or the store is offline: keep the running child, try again on the next change.
      } finally {
        busy = false;
        if (again && !cancelled) {
          again = false;
          void check();
        }
      }
    };
    void watchStore(opened, { onChange: () => void check(), pollMs }).then(
      (stop) => {
        if (cancelled) return void stop();
        stopWatching = stop;
        void check(); // a change between the last read and LISTEN would otherwise wait for the next one
      },
      () => undefined,
    );
  });
  return { promise, cancel };
}
