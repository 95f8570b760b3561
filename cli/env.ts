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
import { findManifest, parseDotenv } from './run';
import { CoreIo, parse, withStore } from './store';

export const ENV_HELP = `Usage: hush env [--format export|dotenv|json] [--manifest FILE] [--store DIR]

Prints every variable of the workspace manifest with its secret's value, on
stdout only. The values are then in clear text wherever stdout goes: prefer
'hush run -- COMMAND', which keeps them in memory.
`;

export const IMPORT_HELP = `Usage: hush import FILE [--prefix PREFIX] [--key KEY] [--overwrite] [--keep] [--store DIR]

Moves every KEY=VALUE of a dotenv FILE into the Secrets Manager as the secret
PREFIX + KEY (PREFIX defaults to the folder's name and a slash), maps KEY in
the folder's .hush.json, and rewrites FILE with each value replaced by a
comment naming its secret (--keep leaves FILE as it was).

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
  const { values } = parse(args, { format: { type: 'string', default: 'export' }, manifest: { type: 'string' } });
  if (values.help) {
    io.out(ENV_HELP);
    return 0;
  }
  const format = values.format;
  if (format !== 'export' && format !== 'dotenv' && format !== 'json') {
    throw new HushError('InvalidArgument', `--format is export, dotenv or json, not '${format}'`);
  }
  const { manifest } = findManifest(io.cwd, typeof values.manifest === 'string' ? values.manifest : undefined);
  const { env } = await withStore(io, typeof values.store === 'string' ? values.store : undefined, false, (s) => resolveManifest(s.manager, manifest));
  const pairs = Object.entries(env);
  io.err(`hush env: ${pairs.length} value(s) in clear text on stdout; prefer 'hush run -- COMMAND'\n`);
  if (format === 'json') io.out(JSON.stringify(Object.fromEntries(pairs), null, 2) + '\n');
  else for (const [k, v] of pairs) io.out(format === 'export' ? `export ${k}=${quoteShell(v)}\n` : `${k}=${quoteDotenv(v)}\n`);
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
  const entries = Object.entries(parseDotenv(text)).filter(([, v]) => v !== '');
  if (entries.length === 0) {
    io.err(`hush import: no KEY=value lines with a value in ${file}; nothing to do\n`);
    return 0;
  }
  const invalid = entries.map(([k]) => k).filter((k) => !ENV_VAR_NAME.test(k));
  if (invalid.length) throw new HushError('InvalidArgument', `not variable names: ${invalid.join(', ')}`);

  const done: { name: string; secret: string; created: boolean }[] = [];
  await withStore(io, typeof values.store === 'string' ? values.store : undefined, true, async (s) => {
    const m = s.manager;
    // Refuse before writing anything when a secret exists and --overwrite was not given.
    if (!values.overwrite) {
      const existing: string[] = [];
      for (const [k] of entries) {
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
    for (const [k, v] of entries) {
      const secret = prefix + k;
      try {
        await m.createSecret({
          name: secret,
          value: v,
          description: `Imported from ${path.basename(abs)} by hush import`,
          ...(typeof values.key === 'string' ? { kmsKeyId: values.key } : {}),
        });
        done.push({ name: k, secret, created: true });
      } catch (e) {
        if (!(values.overwrite && e instanceof HushError && e.code === 'SecretExists')) throw e;
        await m.putSecretValue(secret, v);
        done.push({ name: k, secret, created: false });
      }
    }
  });

  // The values are stored: map them, then take them out of the dotenv file.
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let manifestText = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, 'utf8') : undefined;
  for (const d of done) manifestText = withEntry(manifestText, d.name, { secret: d.secret });
  writeAtomic(manifestPath, manifestText!);
  if (!values.keep) {
    const moved = new Map(done.map((d) => [d.name, d.secret]));
    const rewritten = text
      .split(/\r?\n/)
      .map((line) => {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
        return m && moved.has(m[1]) ? `# ${m[1]}: moved to the Hush secret ${moved.get(m[1])} (see ${MANIFEST_FILE}; hush run sets it)` : line;
      })
      .join('\n');
    writeAtomic(abs, rewritten);
  }
  for (const d of done) io.err(`${d.created ? 'created' : 'new version of'} ${d.secret}  ←  ${d.name}\n`);
  io.err(`hush import: ${done.length} value(s) moved; ${MANIFEST_FILE} maps them${values.keep ? '' : `; ${file} no longer holds them`}. The old values may still be in version control history: rotate them.\n`);
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
