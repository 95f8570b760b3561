/**
 * The store folder on disk: which files it holds, and the checks made before
 * any of them is opened. A folder or file that another user can write, or a
 * symlink in place of a store file, is refused with the path and the fix:
 * someone who can swap a store file for a link could make Hush overwrite a
 * file elsewhere, and someone who can write the folder can roll files back.
 * A folder we may read but not write opens read-only.
 */
import { accessSync, constants, existsSync, lstatSync, Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { HushError } from '../errors';

export const HEADER_FILE = 'store.json';
export const LOG_FILE = 'store.log';
export const AUDIT_FILE = 'audit.log';
export const LOCK_FILE = 'store.lock';

export interface StoreFiles {
  dir: string;
  header: string;
  log: string;
  audit: string;
  lock: string;
}

export function storeFiles(dir: string): StoreFiles {
  return { dir, header: join(dir, HEADER_FILE), log: join(dir, LOG_FILE), audit: join(dir, AUDIT_FILE), lock: join(dir, LOCK_FILE) };
}

const POSIX = process.platform !== 'win32';

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HushError('InvalidArgument', `cannot inspect ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * A store path as given (--store, HUSH_STORE, hush.storePath): not empty, and
 * not an existing file or symlink. Returns the absolute path. Does not create it.
 */
export function validateStorePath(path: string): string {
  if (path.trim() === '') {
    throw new HushError('InvalidArgument', "the store path is empty; pass a folder with --store DIR, or leave --store out for the default store");
  }
  const abs = resolve(path);
  const st = lstatOrUndefined(abs);
  if (!st) return abs;
  if (st.isSymbolicLink()) {
    throw new HushError('InvalidArgument', `the store folder ${abs} is a symbolic link; pass the real folder instead (e.g. --store "$(realpath ${abs})")`);
  }
  if (st.isFile()) {
    throw new HushError('InvalidArgument', `${abs} is a file, not a store folder; pass the folder that holds store.json (or a new folder to create a store in)`);
  }
  if (!st.isDirectory()) throw new HushError('InvalidArgument', `${abs} is not a folder`);
  return abs;
}

function othersCanWrite(st: Stats): boolean {
  return POSIX && (st.mode & 0o022) !== 0;
}

/**
 * Refuses a store folder others can write. Returns whether this process can
 * write it (false: the store opens read-only).
 */
export function checkStoreFolder(dir: string): { writable: boolean } {
  const st = lstatOrUndefined(dir);
  if (!st) throw new HushError('StoreNotFound', `there is no store folder ${dir}`);
  if (st.isSymbolicLink()) {
    throw new HushError('InvalidArgument', `the store folder ${dir} is a symbolic link; pass the real folder instead (e.g. --store "$(realpath ${dir})")`);
  }
  if (!st.isDirectory()) throw new HushError('InvalidArgument', `${dir} is a file, not a store folder; pass the folder that holds store.json`);
  if (othersCanWrite(st)) {
    throw new HushError(
      'InsecureStore',
      `the store folder ${dir} can be written by other users (mode ${(st.mode & 0o777).toString(8)}), who could replace or roll back its files; run 'chmod 700 ${dir}' if you trust its contents`,
    );
  }
  return { writable: canWrite(dir) };
}

/**
 * Refuses a store file that is a symlink, not a regular file, or writable by
 * others. Returns whether it exists.
 */
export function checkStoreFile(path: string): boolean {
  const st = lstatOrUndefined(path);
  if (!st) return false;
  if (st.isSymbolicLink()) {
    throw new HushError(
      'InsecureStore',
      `${path} is a symbolic link; a store file must be a regular file. Hush will not follow it (it could point anywhere). Remove the link (rm ${path}) and put the real file back from a backup`,
    );
  }
  if (!st.isFile()) throw new HushError('InsecureStore', `${path} is not a regular file; move it away and put the real file back from a backup`);
  if (othersCanWrite(st)) {
    throw new HushError(
      'InsecureStore',
      `${path} can be written by other users (mode ${(st.mode & 0o777).toString(8)}); run 'chmod 600 ${path}' if you trust its contents`,
    );
  }
  return true;
}

/** Checks the folder and every store file that exists; returns whether the store can be written. */
export function checkStoreFiles(f: StoreFiles): { writable: boolean } {
  const { writable } = checkStoreFolder(f.dir);
  let files = writable;
  for (const p of [f.header, f.log, f.audit]) if (checkStoreFile(p) && !canWrite(p)) files = false;
  if (existsSync(f.lock)) checkStoreFile(f.lock);
  return { writable: files };
}

function canWrite(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
