/**
 * `hush env`: print the manifest's variables with their values, for tools
 * that cannot be started through `hush run` (stdout only, with a warning).
 *
 * `hush import .env`: move every value of a dotenv file into the Secrets
 * Manager, map the variables in `.hush.json`, and take the values out of the
 * dotenv file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HushError } from '../shared/errors';
import { MANIFEST_FILE, withEntry } from '../shared/move/manifest';
import { ENV_VAR_NAME } from '../shared/move/replacement';
import { resolveManifest } from '../shared/move/resolve';
import { readDotenv } from './dotenv';
import { askOnTerminal, ensureAllowed, findManifest } from './run';
import { CoreIo, parse, withStore } from './store';
import { escapeField as esc } from './terminalText';

export const ENV_HELP = `Usage: hush env [--format export|dotenv|json] [--manifest FILE] [--yes] [--store DIR]

Prints every variable of the workspace manifest with its secret's value, on
stdout only. The values are then in clear text wherever stdout goes: prefer
'hush run -- COMMAND', which keeps them in memory. Like hush run, it asks
before handing out secrets a folder's manifest was never allowed (--yes in CI).
`;

export const IMPORT_HELP = `Usage: hush import FILE [--prefix PREFIX] [--key KEY] [--overwrite] [--keep] [--store DIR]

Moves every KEY=VALUE of a dotenv FILE into the Secrets Manager as the secret
PREFIX + KEY (PREFIX defaults to the folder's name and a slash), maps KEY in
the folder's .hush.json, and rewrites FILE with each value replaced by a
comment naming its secret (--keep leaves FILE as it was).

FILE is read as dotenv and node --env-file read it: quoted values may span
lines (PEM keys), 'export' prefixes and comments are understood. A line that
cannot be read exactly stops the import before anything is written, naming
the line. A key set twice is imported with its last value (the one that
counts); an earlier, different value is kept as an older version.

  --key KEY      customer master key (id or alias) for the new secrets
  --overwrite    put a new version into secrets that exist (default: refuse,
                 before anything is written)
`;

function quoteShell(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function quoteDotenv(v: string): string {
  return /^[A-Za-z0-9_./:@+-]*$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export async function runEnv(args: string[], io: CoreIo): Promise<number> {
  const { values } = parse(args, { format: { type: 'string', default: 'export' }, manifest: { type: 'string' }, yes: { type: 'boolean', default: false } });
  if (values.help) {
    io.out(ENV_HELP);
    return 0;
  }
  const format = values.format;
  if (format !== 'export' && format !== 'dotenv' && format !== 'json') {
    throw new HushError('InvalidArgument', `--format is export, dotenv or json, not '${format}'`);
  }
  const { dir, manifest } = findManifest(io.cwd, typeof values.manifest === 'string' ? values.manifest : undefined);
  // The same consent as hush run: a cloned repository's manifest cannot print your secrets unasked.
  await ensureAllowed(dir, manifest, { yes: values.yes === true, ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askOnTerminal } : {}) }, io, 'hush env');
  const { env } = await withStore(io, typeof values.store === 'string' ? values.store : undefined, false, (s) => resolveManifest(s.manager, manifest));
  const pairs = Object.entries(env);
  io.err(`hush env: ${pairs.length} value(s) in clear text on stdout; prefer 'hush run -- COMMAND'\n`);
  // Values are printed exactly, as bytes: terminal escaping is for names, not for the values asked for.
  if (format === 'json') io.out(Buffer.from(JSON.stringify(Object.fromEntries(pairs), null, 2) + '\n', 'utf8'));
  else for (const [k, v] of pairs) io.out(Buffer.from(format === 'export' ? `export ${k}=${quoteShell(v)}\n` : `${k}=${quoteDotenv(v)}\n`, 'utf8'));
  return 0;
}

export async function runImport(args: string[], io: CoreIo): Promise<number> {
  const { values, positionals } = parse(args, {
    prefix: { type: 'string' },
    key: { type: 'string' },
    overwrite: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new HushError('InvalidArgument', 'which dotenv file? hush import .env');
  const abs = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new HushError('NotFound', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const dir = path.dirname(abs);
  const prefix = typeof values.prefix === 'string' ? values.prefix : `${path.basename(dir).replace(/[^A-Za-z0-9_+=.@-]/g, '-')}/`;
  // Everything is read and checked before anything is written: a line that cannot be read exactly stops here.
  const dotenv = readDotenv(text, file);
  const invalid = dotenv.entries.find((e) => !ENV_VAR_NAME.test(e.key));
  if (invalid) throw new HushError('InvalidArgument', `${file} line ${invalid.line}: '${invalid.key}' is not an environment variable name (letters, digits, _); nothing was imported`);
  for (const d of dotenv.duplicates) {
    io.err(`hush import: ${esc(file)}: ${d.key} is set on lines ${d.lines.join(', ')}; line ${d.lines.at(-1)} counts (as in dotenv and node --env-file)` +
      `${new Set(dotenv.entries.filter((e) => e.key === d.key).map((e) => e.value)).size > 1 ? ', the earlier values become older versions of its secret' : ''}\n`);
  }
  /** Per key, the distinct values in file order, the one that counts last: they become the secret's versions. */
  const versions = new Map<string, string[]>();
  for (const e of dotenv.entries) {
    if (e.value === '') continue;
    versions.set(e.key, [...(versions.get(e.key) ?? []).filter((v) => v !== e.value), e.value]);
  }
  for (const k of versions.keys()) {
    if (dotenv.values[k] === '') {
      versions.delete(k);
      io.err(`hush import: ${esc(file)}: the last line setting ${k} leaves it empty; ${k} is not imported and its lines stay as they are\n`);
    }
  }
  if (versions.size === 0) {
    io.err(`hush import: no KEY=value lines with a value in ${esc(file)}; nothing to do\n`);
    return 0;
  }

  const done: { name: string; secret: string; created: boolean; versions: number }[] = [];
  await withStore(io, typeof values.store === 'string' ? values.store : undefined, true, async (s) => {
    const m = s.manager;
    // Refuse before writing anything when a secret exists and --overwrite was not given.
    if (!values.overwrite) {
      const existing: string[] = [];
      for (const k of versions.keys()) {
        try {
          await m.describeSecret(prefix + k);
          existing.push(prefix + k);
        } catch (e) {
          if (!(e instanceof HushError && e.code === 'SecretNotFound')) throw e;
        }
      }
      if (existing.length) {
        throw new HushError('SecretExists', `these secrets exist already: ${existing.join(', ')}; pass --overwrite to put new versions, or --prefix`);
      }
    }
    for (const [k, vs] of versions) {
      const secret = prefix + k;
      let created = true;
      let rest = vs;
      try {
        await m.createSecret({
          name: secret,
          value: vs[0]!,
          description: `Imported from ${path.basename(abs)} by hush import`,
          ...(typeof values.key === 'string' ? { kmsKeyId: values.key } : {}),
        });
        rest = vs.slice(1);
      } catch (e) {
        if (!(values.overwrite && e instanceof HushError && e.code === 'SecretExists')) throw e;
        created = false;
      }
      for (const v of rest) await m.putSecretValue(secret, v);
      done.push({ name: k, secret, created, versions: vs.length });
    }
  });

  // The values are stored: map them, then take them out of the dotenv file.
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let manifestText = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, 'utf8') : undefined;
  for (const d of done) manifestText = withEntry(manifestText, d.name, { secret: d.secret });
  writeAtomic(manifestPath, manifestText!);
  if (!values.keep) {
    const moved = new Map(done.map((d) => [d.name, d.secret]));
    const out = [...dotenv.lines];
    // Every line of a moved entry goes, a multi-line value's too; the entry's first line becomes a comment naming the secret.
    for (const e of dotenv.entries) {
      const secret = moved.get(e.key);
      if (secret === undefined || e.value === '') continue;
      const last = dotenv.lines[e.endLine - 1]!;
      const eol = last.endsWith('\r\n') ? '\r\n' : last.endsWith('\n') ? '\n' : '';
      const bom = e.line === 1 && out[0]!.startsWith('\uFEFF') ? '\uFEFF' : '';
      const counts = e.value === dotenv.values[e.key];
      out[e.line - 1] = `${bom}# ${e.key}: ${counts ? 'moved to' : 'an older value, kept as a previous version of'} the Hush secret ${secret} (see ${MANIFEST_FILE}; hush run sets it)${eol}`;
      for (let i = e.line; i < e.endLine; i++) out[i] = '';
    }
    writeAtomic(abs, out.join(''));
  }
  for (const d of done) io.err(`${d.created ? 'created' : 'new version of'} ${esc(d.secret)}${d.versions > 1 ? ` (${d.versions} versions)` : ''}  ←  ${d.name}\n`);
  io.err(`hush import: ${done.length} value(s) moved; ${MANIFEST_FILE} maps them${values.keep ? '' : `; ${esc(file)} no longer holds them`}. The old values may still be in version control history: rotate them.\n`);
  return 0;
}

/** Write to a temp file beside the target, fsync, rename: a crash leaves the old or the new file, never half of one. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.hush-tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
