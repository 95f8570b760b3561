/**
 * A freshness anchor in a small file in the user's config folder (for stores
 * whose root key comes from HUSH_MASTER_KEY or HUSH_PASSPHRASE):
 * `$XDG_CONFIG_HOME/hush/anchors/<storeId>.anchor` (~/.config on Linux,
 * ~/Library/Preferences on macOS, %APPDATA% on Windows; HUSH_ANCHOR_DIR
 * overrides the folder). Never inside the store folder.
 *
 * Two fixed-size slots, written in turn, each with one pwrite and one
 * fdatasync: a write torn by a crash spoils only the slot being written, and
 * the other still holds the previous anchor (behind the store, which is safe).
 */
import { existsSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, isAbsolute, dirname } from 'node:path';
import { HushError } from '../errors';
import { Disk, fsyncDir, mkdirPrivate, OPEN_OR_CREATE, READ, readRange, writeAll } from './disk';
import type { AnchorStorage } from './freshnessAnchor';
import { checkStoreFile } from './storeFolder';

const SLOT = 1024;

/** The folder anchors live in for this environment. */
export function anchorFolder(env: NodeJS.ProcessEnv): string {
  if (env.HUSH_ANCHOR_DIR) return env.HUSH_ANCHOR_DIR;
  const home = env.HOME || homedir();
  let config: string;
  if (process.platform === 'win32') config = env.APPDATA || join(home, 'AppData', 'Roaming');
  else if (process.platform === 'darwin') config = join(home, 'Library', 'Preferences');
  else config = env.XDG_CONFIG_HOME || join(home, '.config');
  return join(config, 'hush', 'anchors');
}

function inside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

export class AnchorFile implements AnchorStorage {
  readonly slots = 2;
  private fd: number | undefined;

  constructor(
    private readonly disk: Disk,
    readonly where: string,
  ) {}

  static forStore(disk: Disk, env: NodeJS.ProcessEnv, storeId: string, storeDir: string): AnchorFile {
    const folder = anchorFolder(env);
    const path = join(folder, `${storeId}.anchor`);
    if (inside(path, storeDir)) {
      throw new HushError(
        'AnchorUnavailable',
        `the freshness anchor ${path} would be inside the store folder ${storeDir}, where it could be rolled back with the store; set HUSH_ANCHOR_DIR to a folder outside it`,
      );
    }
    return new AnchorFile(disk, path);
  }

  async read(): Promise<string[]> {
    if (!existsSync(this.where)) return [];
    checkStoreFile(this.where);
    const fd = this.fd ?? this.disk.open(this.where, READ);
    try {
      const buf = readRange(this.disk, fd, 0, 2 * SLOT);
      const out: string[] = [];
      for (let i = 0; i < 2; i++) {
        const s = buf.subarray(i * SLOT, (i + 1) * SLOT).toString('utf8').replace(/[\s\0]+$/, '');
        if (s) out.push(s);
      }
      return out;
    } finally {
      if (fd !== this.fd) this.disk.close(fd);
    }
  }

  async write(value: string, counter: number): Promise<void> {
    const bytes = Buffer.alloc(SLOT, 0x20);
    if (Buffer.byteLength(value) > SLOT - 1) throw new HushError('Internal', 'the freshness anchor outgrew its slot');
    bytes.write(value, 0, 'utf8');
    bytes[SLOT - 1] = 0x0a;
    try {
      if (this.fd === undefined) this.openForWrite();
      writeAll(this.disk, this.fd!, bytes, (counter % 2) * SLOT);
      this.disk.fdatasync(this.fd!);
    } catch (e) {
      if (e instanceof HushError) throw e;
      throw new HushError('AnchorUnavailable', `cannot write the freshness anchor ${this.where}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  private openForWrite(): void {
    const folder = dirname(this.where);
    mkdirPrivate(this.disk, folder);
    const st = lstatSync(folder);
    if (!st.isDirectory() || (process.platform !== 'win32' && (st.mode & 0o022) !== 0)) {
      throw new HushError('AnchorUnavailable', `the anchor folder ${folder} can be written by other users; run 'chmod 700 ${folder}'`);
    }
    const existed = checkStoreFile(this.where);
    this.fd = this.disk.open(this.where, OPEN_OR_CREATE, 0o600);
    if (!existed) {
      this.disk.fsync(this.fd);
      fsyncDir(this.disk, folder);
    }
  }

  close(): void {
    if (this.fd !== undefined) this.disk.close(this.fd);
    this.fd = undefined;
  }
}
