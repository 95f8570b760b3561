/** Shared by the core tests: throwaway stores, a movable clock, fabricated values. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, OpenedStore, OpenStoreOptions } from '../../../shared/compose/openStore';

export const DAY = 86_400_000;

export class TestClock {
  constructor(public t = Date.parse('2026-01-01T00:00:00Z')) {}
  now = (): Date => new Date(this.t);
  advanceDays(d: number): void {
    this.t += d * DAY;
  }
}

export function tempDir(prefix = 'hush-core-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let anchors: string | undefined;
/** One folder for the freshness anchors of this test process's stores (never the user's config folder). */
export function anchorDir(): string {
  anchors ??= tempDir('hush-anchors-');
  return anchors;
}

/** The environment the core tests open their stores with. */
export function testEnv(key: string): NodeJS.ProcessEnv {
  return { HUSH_MASTER_KEY: key, HUSH_ANCHOR_DIR: anchorDir() };
}

export function masterKey(): string {
  return randomBytes(32).toString('base64');
}

/** A store under a fresh folder with HUSH_MASTER_KEY, and a cleanup. */
export async function freshStore(o: Partial<OpenStoreOptions> & { key?: string } = {}): Promise<OpenedStore & { dir: string; key: string; cleanup: () => Promise<void> }> {
  const dir = o.path ?? join(tempDir(), 'store');
  const key = o.key ?? masterKey();
  const opened = await openStore({ path: dir, env: { HUSH_MASTER_KEY: key, HUSH_ANCHOR_DIR: anchorDir() }, principal: 'test@host', ...o });
  return {
    ...opened,
    dir,
    key,
    cleanup: async () => {
      await opened.manager.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fabricated credential-looking value, built at run time (the repo is scanned). */
export function fakeValue(tag = ''): string {
  return ['fake', 'secret', tag, randomBytes(6).toString('hex')].join('-');
}
