/**
 * The store's one door to the file system. Everything the embedded store and
 * its freshness anchor write goes through a `Disk`, so the power-loss test can
 * record every write and fsync and replay only what a real disk would have
 * kept. The default is node:fs.
 *
 * The helpers below are the only places that create, replace or sync files:
 * private modes (folders 0700, files 0600), never following a symlink
 * (O_NOFOLLOW on the last component; O_EXCL for new files), and the one
 * durable replace (temp file, fsync, rename, fsync the folder).
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface Disk {
  open(path: string, flags: number, mode?: number): number;
  close(fd: number): void;
  read(fd: number, buf: Buffer, off: number, len: number, pos: number): number;
  write(fd: number, buf: Buffer, off: number, len: number, pos: number): number;
  fsync(fd: number): void;
  fdatasync(fd: number): void;
  ftruncate(fd: number, len: number): void;
  fstat(fd: number): fs.Stats;
  rename(from: string, to: string): void;
  link(from: string, to: string): void;
  unlink(path: string): void;
  /** One level, like mkdir(2). */
  mkdir(path: string, mode: number): void;
}

export const realDisk: Disk = {
  open: (p, flags, mode) => fs.openSync(p, flags, mode),
  close: (fd) => fs.closeSync(fd),
  read: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
  write: (fd, buf, off, len, pos) => fs.writeSync(fd, buf, off, len, pos),
  fsync: (fd) => fs.fsyncSync(fd),
  fdatasync: (fd) => fs.fdatasyncSync(fd),
  ftruncate: (fd, len) => fs.ftruncateSync(fd, len),
  fstat: (fd) => fs.fstatSync(fd),
  rename: (a, b) => fs.renameSync(a, b),
  link: (a, b) => fs.linkSync(a, b),
  unlink: (p) => fs.unlinkSync(p),
  mkdir: (p, mode) => fs.mkdirSync(p, { mode }),
};

const C = fs.constants;
/** 0 where the platform has no such flag (Windows): there the checks in storeFolder.ts carry the weight. */
export const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
export const READ = C.O_RDONLY | O_NOFOLLOW;
export const READ_WRITE = C.O_RDWR | O_NOFOLLOW;
/** A new file, never an existing one or a symlink. */
export const CREATE_NEW = C.O_RDWR | C.O_CREAT | C.O_EXCL | O_NOFOLLOW;
/** Open or create, never through a symlink. */
export const OPEN_OR_CREATE = C.O_RDWR | C.O_CREAT | O_NOFOLLOW;

export function writeAll(disk: Disk, fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) off += disk.write(fd, buf, off, buf.length - off, position + off);
}

export function readRange(disk: Disk, fd: number, from: number, to: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, to - from));
  let off = 0;
  while (off < buf.length) {
    const n = disk.read(fd, buf, off, buf.length - off, from + off);
    if (n === 0) return buf.subarray(0, off);
    off += n;
  }
  return buf;
}

/** The whole file, opened without following a symlink. */
export function readWhole(disk: Disk, path: string): Buffer {
  const fd = disk.open(path, READ);
  try {
    return readRange(disk, fd, 0, disk.fstat(fd).size);
  } finally {
    disk.close(fd);
  }
}

/** Makes a create, rename or unlink in `dir` durable. (Windows cannot open a folder; NTFS journals renames.) */
export function fsyncDir(disk: Disk, dir: string): void {
  if (process.platform === 'win32') return;
  const fd = disk.open(dir, C.O_RDONLY);
  try {
    disk.fsync(fd);
  } finally {
    disk.close(fd);
  }
}

/** mkdir -p with mode 0700, making each new folder's entry durable in its parent. */
export function mkdirPrivate(disk: Disk, dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) mkdirPrivate(disk, parent);
  try {
    disk.mkdir(dir, 0o700);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return;
  }
  fsyncDir(disk, parent);
}

function tmpName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function writeTemp(disk: Disk, path: string, bytes: Buffer): string {
  const tmp = tmpName(path);
  const fd = disk.open(tmp, CREATE_NEW, 0o600);
  try {
    writeAll(disk, fd, bytes, 0);
    disk.fsync(fd);
  } finally {
    disk.close(fd);
  }
  return tmp;
}

/** Replaces `path` with `bytes` atomically and durably: temp file, fsync, rename, fsync the folder. */
export function replaceFile(disk: Disk, path: string, bytes: Buffer): void {
  const tmp = writeTemp(disk, path, bytes);
  try {
    disk.rename(tmp, path);
  } catch (e) {
    try {
      disk.unlink(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  fsyncDir(disk, dirname(path));
}

/** Creates `path` with `bytes` unless it exists (link(2) fails then): returns whether this call created it. */
export function createFileOnce(disk: Disk, path: string, bytes: Buffer): boolean {
  const tmp = writeTemp(disk, path, bytes);
  let created = true;
  try {
    disk.link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    created = false;
  } finally {
    disk.unlink(tmp);
  }
  fsyncDir(disk, dirname(path));
  return created;
}
