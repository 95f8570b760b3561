/**
 * The workspace manifest `.hush.json`: environment variable → secret. Names
 * only, never values, so it is safe to commit. Its simplest form, which
 * scripts and docs rely on: `{"env": {"DB_PASSWORD": "myapp/DB_PASSWORD"}}`;
 * a value may also be `{"secret": "…", "stage": "CURRENT"}` or carry a
 * `versionId`; a database secret may be read as a URL (`"format": "url"`) or
 * one field (`"field": "password"`), see dbSecret.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HushError } from '../errors';
import { ENV_VAR_NAME } from './replacement';

export const MANIFEST_FILE = '.hush.json';

export interface SecretRef {
  readonly secret: string;
  /** Stage label; `CURRENT` when neither this nor versionId is given. */
  readonly stage?: string;
  readonly versionId?: string;
  /** A database secret (JSON credentials) read as a connection URL, or one of its fields (dbSecret.ts). */
  readonly format?: 'url';
  readonly field?: string;
}

export interface Manifest {
  readonly env: Readonly<Record<string, SecretRef>>;
}

/** Parses manifest text; errors name the file, the entry and what to fix. */
export function parseManifest(text: string, file = MANIFEST_FILE): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HushError('InvalidManifest', `${file} is not valid JSON (${(e as Error).message}); fix or delete it.`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HushError('InvalidManifest', `${file} must hold a JSON object like {"env": {"NAME": "secret/name"}}.`);
  }
  const envRaw = (raw as { env?: unknown }).env ?? {};
  if (!envRaw || typeof envRaw !== 'object' || Array.isArray(envRaw)) {
    throw new HushError('InvalidManifest', `${file}: "env" must be an object mapping variable names to secret names.`);
  }
  const env: Record<string, SecretRef> = {};
  for (const [name, value] of Object.entries(envRaw as Record<string, unknown>)) {
    if (!ENV_VAR_NAME.test(name)) {
      throw new HushError('InvalidManifest', `${file}: "${name}" is not a valid environment variable name.`);
    }
    if (typeof value === 'string' && value.length > 0) {
      env[name] = { secret: value };
    } else if (value && typeof value === 'object' && typeof (value as SecretRef).secret === 'string') {
      const v = value as Record<string, unknown>;
      for (const k of ['stage', 'versionId']) {
        if (v[k] !== undefined && typeof v[k] !== 'string') {
          throw new HushError('InvalidManifest', `${file}: env.${name}.${k} must be a string.`);
        }
      }
      if (v.stage !== undefined && v.versionId !== undefined) {
        throw new HushError('InvalidManifest', `${file}: env.${name} gives both a stage and a versionId; keep one.`);
      }
      if (v.format !== undefined && v.format !== 'url') throw new HushError('InvalidManifest', `${file}: env.${name}.format can only be "url" (a database secret read as a connection URL).`);
      if (v.field !== undefined && (typeof v.field !== 'string' || !v.field)) throw new HushError('InvalidManifest', `${file}: env.${name}.field must name a field of a database secret, like "password".`);
      if (v.format !== undefined && v.field !== undefined) throw new HushError('InvalidManifest', `${file}: env.${name} gives both a format and a field; keep one.`);
      env[name] = {
        secret: v.secret as string,
        stage: v.stage as string | undefined,
        versionId: v.versionId as string | undefined,
        ...(v.format !== undefined ? { format: 'url' as const } : {}),
        ...(v.field !== undefined ? { field: v.field as string } : {}),
      };
    } else {
      throw new HushError('InvalidManifest', `${file}: env.${name} must be a secret name or {"secret": "…", "stage": "…"}.`);
    }
  }
  return { env };
}

/** Reads `.hush.json` from a folder; an absent file is an empty manifest. */
export function readManifest(dir: string): Manifest {
  return readManifestFile(path.join(dir, MANIFEST_FILE));
}

/** Reads a manifest file; an absent file is an empty manifest. */
export function readManifestFile(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { env: {} };
    throw e;
  }
  return parseManifest(text, file);
}

/**
 * Sets `envVar` → `secret` in the manifest text and returns the new text,
 * keeping every other field (also ones this version does not know). The
 * simple string form is written unless a stage other than CURRENT is asked.
 */
export function withEntry(text: string | undefined, envVar: string, ref: SecretRef): string {
  const raw = text && text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  parseManifest(JSON.stringify(raw)); // refuse to extend a manifest that is already invalid
  const env = { ...((raw.env as Record<string, unknown> | undefined) ?? {}) };
  env[envVar] = !ref.versionId && (!ref.stage || ref.stage === 'CURRENT') && !ref.format && !ref.field ? ref.secret : { ...ref };
  return JSON.stringify({ ...raw, env }, null, 2) + '\n';
}
