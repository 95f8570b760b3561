/**
 * How the CLI opens the store: --store DIR, else HUSH_STORE, else the data
 * folder; the root key from HUSH_MASTER_KEY, HUSH_PASSPHRASE or the keychain.
 * Also the shared bits of the store commands: global options, value input,
 * output and exit codes.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { HushError } from '../shared/errors';
import { openStore, OpenedStore } from '../shared/compose/openStore';
import { escapeField } from './terminalText';

export interface CoreIo {
  out(s: string | Uint8Array): void;
  err(s: string): void;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Whole stdin; undefined when stdin is a terminal (nothing piped). */
  readStdin?: () => Promise<Buffer | undefined>;
  stdoutIsTTY?: boolean;
}

export const GLOBAL_OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O) {
  return parseArgs({ args, allowPositionals: true, strict: true, options: { ...GLOBAL_OPTIONS, ...options } });
}

export async function open(io: CoreIo, store: string | undefined, create: boolean): Promise<OpenedStore> {
  const env = io.env ?? process.env;
  return openStore({ ...(store !== undefined ? { path: store } : {}), env, create });
}

/** Runs `f` with an open store and always closes it. */
export async function withStore<T>(io: CoreIo, store: string | undefined, create: boolean, f: (s: OpenedStore) => Promise<T>): Promise<T> {
  const s = await open(io, store, create);
  if (s.store.readOnly) io.err(`hush: note: the store in ${s.path} is read-only for this user: reads work but are not recorded in its audit log, and changes are refused\n`);
  try {
    return await f(s);
  } finally {
    await s.manager.close();
  }
}

/**
 * The value of a create/put: --value-file F, else stdin when it is not a
 * terminal. A value never comes from an argument (shell history). One
 * trailing newline is dropped from string values (`echo v | hush …`).
 */
export async function readValue(io: CoreIo, valueFile: string | undefined, binary: boolean, required: boolean): Promise<string | Buffer | undefined> {
  let raw: Buffer | undefined;
  if (valueFile !== undefined) {
    try {
      raw = readFileSync(valueFile === '-' ? 0 : valueFile);
    } catch (e) {
      throw new HushError('InvalidArgument', `cannot read --value-file ${valueFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else if (io.readStdin) {
    raw = await io.readStdin();
  }
  if (raw !== undefined && raw.length === 0) raw = undefined; // e.g. </dev/null
  if (raw === undefined) {
    if (required) throw new HushError('InvalidArgument', 'no value: pipe it on stdin or pass --value-file FILE (never as an argument)');
    return undefined;
  }
  if (binary) return raw;
  let s = raw.toString('utf8');
  raw.fill(0);
  if (s.endsWith('\r\n')) s = s.slice(0, -2);
  else if (s.endsWith('\n')) s = s.slice(0, -1);
  return s;
}

export function needPositional(positionals: string[], i: number, what: string): string {
  const v = positionals[i];
  if (v === undefined || v === '') throw new HushError('InvalidArgument', `missing ${what}`);
  return v;
}

export function intOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new HushError('InvalidArgument', `--${name} must be a whole number, not '${v}'`);
  return n;
}

export function printJson(io: CoreIo, v: unknown): void {
  io.out(JSON.stringify(v, null, 2) + '\n');
}

/** Plain columns for human output; every cell escaped (names and descriptions come from the store) so it stays in its cell. */
export function table(cells: string[][]): string {
  if (!cells.length) return '';
  const rows = cells.map((r) => r.map((c) => escapeField(c)));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Default stdin reader for the real process. */
export function processStdin(): Promise<Buffer | undefined> {
  if (process.stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}
