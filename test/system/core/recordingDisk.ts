/**
 * A Disk for the power-loss test: it does every call on the real file system
 * (so the store runs normally) and records every change (create, write,
 * truncate, rename, link, unlink, mkdir) and every fsync, with the bytes
 * written. `imageAt(k, …)` then rebuilds what a disk would hold after power
 * was cut just before change k: only what an fsync had made durable (data by
 * fsync/fdatasync of the file, names by fsync of their folder), optionally
 * plus a prefix of the changes that were not yet synced, the last of them
 * possibly torn, as a real disk may have written some of its cache.
 */
import * as fs from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Disk, realDisk } from '../../../shared/store/disk';

export type Change =
  | { op: 'create'; path: string; id: number }
  | { op: 'write'; id: number; pos: number; data: Buffer }
  | { op: 'truncate'; id: number; len: number }
  | { op: 'sync'; id: number }
  | { op: 'syncdir'; dir: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'link'; from: string; to: string }
  | { op: 'unlink'; path: string }
  | { op: 'mkdir'; path: string };

export class RecordingDisk implements Disk {
  readonly log: Change[] = [];
  private names = new Map<string, number>();
  private fds = new Map<number, { id: number } | { dir: string }>();
  private nextId = 1;

  /** Records changes under `root` only (which exists, empty, and counts as durable). */
  constructor(readonly root: string) {}

  private mine(p: string): boolean {
    const r = relative(this.root, p);
    return r !== '' && !r.startsWith('..');
  }

  open(p: string, flags: number, mode?: number): number {
    const existed = fs.existsSync(p);
    const fd = realDisk.open(p, flags, mode);
    if (!this.mine(p) && p !== this.root) return fd;
    if (fs.fstatSync(fd).isDirectory()) {
      this.fds.set(fd, { dir: p });
      return fd;
    }
    let id = this.names.get(p);
    if (!existed || id === undefined) {
      id = this.nextId++;
      this.names.set(p, id);
      this.log.push({ op: 'create', path: p, id });
    }
    if (flags & fs.constants.O_TRUNC) this.log.push({ op: 'truncate', id, len: 0 });
    this.fds.set(fd, { id });
    return fd;
  }
  close(fd: number): void {
    this.fds.delete(fd);
    realDisk.close(fd);
  }
  read(fd: number, buf: Buffer, off: number, len: number, pos: number): number {
    return realDisk.read(fd, buf, off, len, pos);
  }
  write(fd: number, buf: Buffer, off: number, len: number, pos: number): number {
    const n = realDisk.write(fd, buf, off, len, pos);
    const f = this.fds.get(fd);
    if (f && 'id' in f) this.log.push({ op: 'write', id: f.id, pos, data: Buffer.from(buf.subarray(off, off + n)) });
    return n;
  }
  private synced(fd: number): void {
    const f = this.fds.get(fd);
    if (!f) return;
    this.log.push('id' in f ? { op: 'sync', id: f.id } : { op: 'syncdir', dir: f.dir });
  }
  fsync(fd: number): void {
    realDisk.fsync(fd);
    this.synced(fd);
  }
  fdatasync(fd: number): void {
    realDisk.fdatasync(fd);
    this.synced(fd);
  }
  ftruncate(fd: number, len: number): void {
    realDisk.ftruncate(fd, len);
    const f = this.fds.get(fd);
    if (f && 'id' in f) this.log.push({ op: 'truncate', id: f.id, len });
  }
  fstat(fd: number): fs.Stats {
    return realDisk.fstat(fd);
  }
  rename(from: string, to: string): void {
    realDisk.rename(from, to);
    if (!this.mine(to)) return;
    const id = this.names.get(from);
    this.names.delete(from);
    if (id !== undefined) this.names.set(to, id);
    this.log.push({ op: 'rename', from, to });
  }
  link(from: string, to: string): void {
    realDisk.link(from, to);
    if (!this.mine(to)) return;
    const id = this.names.get(from);
    if (id !== undefined) this.names.set(to, id);
    this.log.push({ op: 'link', from, to });
  }
  unlink(p: string): void {
    realDisk.unlink(p);
    if (!this.mine(p)) return;
    this.names.delete(p);
    this.log.push({ op: 'unlink', path: p });
  }
  mkdir(p: string, mode: number): void {
    realDisk.mkdir(p, mode);
    if (this.mine(p)) this.log.push({ op: 'mkdir', path: p });
  }

  /** Whether change i of the first k had been made durable by a later sync among them. */
  private durable(i: number, k: number): boolean {
    const c = this.log[i]!;
    const later = (pred: (d: Change) => boolean) => {
      for (let j = i + 1; j < k; j++) if (pred(this.log[j]!)) return true;
      return false;
    };
    switch (c.op) {
      case 'write':
      case 'truncate':
        return later((d) => d.op === 'sync' && d.id === c.id);
      case 'create':
      case 'unlink':
      case 'mkdir':
        return later((d) => d.op === 'syncdir' && d.dir === dirname(c.path));
      case 'rename':
      case 'link':
        return later((d) => d.op === 'syncdir' && d.dir === dirname(c.to));
      default:
        return true;
    }
  }

  /**
   * Writes into `target` (mirroring `root`) the files a disk would hold after
   * a power cut before change k. `unsynced`: how many of the changes not yet
   * synced (in program order) reached the disk anyway; `tornBytes`: how much
   * of the last of those, if a write, did (undefined: all of it).
   */
  imageAt(k: number, target: string, unsynced = 0, tornBytes?: number): { unsyncedCount: number } {
    const names = new Map<string, number>();
    const data = new Map<number, Buffer>();
    const dirs = new Set<string>();
    const pending: number[] = [];
    for (let i = 0; i < k; i++) if (!this.durable(i, k)) pending.push(i);
    const extra = new Set(pending.slice(0, unsynced));
    const lastExtra = unsynced > 0 ? pending[unsynced - 1] : undefined;
    for (let i = 0; i < k; i++) {
      if (!this.durable(i, k) && !extra.has(i)) continue;
      const c = this.log[i]!;
      if (c.op === 'create') {
        names.set(c.path, c.id);
        if (!data.has(c.id)) data.set(c.id, Buffer.alloc(0));
      } else if (c.op === 'write') {
        const bytes = i === lastExtra && tornBytes !== undefined ? c.data.subarray(0, Math.min(tornBytes, c.data.length)) : c.data;
        const cur = data.get(c.id) ?? Buffer.alloc(0);
        const out = Buffer.alloc(Math.max(cur.length, c.pos + bytes.length));
        cur.copy(out);
        bytes.copy(out, c.pos);
        data.set(c.id, out);
      } else if (c.op === 'truncate') {
        const cur = data.get(c.id) ?? Buffer.alloc(0);
        const out = Buffer.alloc(c.len);
        cur.copy(out, 0, 0, Math.min(c.len, cur.length));
        data.set(c.id, out);
      } else if (c.op === 'rename') {
        const id = names.get(c.from);
        names.delete(c.from);
        if (id !== undefined) names.set(c.to, id);
      } else if (c.op === 'link') {
        const id = names.get(c.from);
        if (id !== undefined) names.set(c.to, id);
      } else if (c.op === 'unlink') {
        names.delete(c.path);
      } else if (c.op === 'mkdir') {
        dirs.add(c.path);
      }
    }
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    const where = (p: string) => join(target, relative(this.root, p));
    for (const d of [...dirs].sort()) fs.mkdirSync(where(d), { recursive: true, mode: 0o700 });
    for (const [p, id] of names) {
      if (!fs.existsSync(dirname(where(p)))) continue; // its folder never reached the disk
      fs.writeFileSync(where(p), data.get(id) ?? Buffer.alloc(0), { mode: 0o600 });
    }
    return { unsyncedCount: pending.length };
  }
}
