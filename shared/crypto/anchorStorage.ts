/**
 * Where a store's freshness anchor is kept: beside its root key. A root key
 * from the OS keychain gets its anchor in the keychain too (service 'hush',
 * account '<storeId>.anchor'; one value, replaced whole by the keychain, so
 * no torn write to guard against). A root key from HUSH_MASTER_KEY or
 * HUSH_PASSPHRASE gets a file in the user's config folder (store/anchorFile.ts).
 */
import { HushError } from '../errors';
import { AnchorStorage, FreshnessAnchor } from '../store/freshnessAnchor';
import { AnchorFile } from '../store/anchorFile';
import type { Disk } from '../store/disk';
import { findRawRootKey, KEYCHAIN_SERVICE, loadKeytar, RootKeyOptions, UnlockedRootKey } from './rootKey';

/** The freshness anchor of a store, beside the root key that was just unlocked. */
export function freshnessAnchorFor(root: UnlockedRootKey, storeId: string, storeDir: string, env: NodeJS.ProcessEnv, disk: Disk): FreshnessAnchor {
  return new FreshnessAnchor(anchorStorageFor(root.source, storeId, storeDir, env, disk), root.key, storeId);
}

/**
 * A root key that fails the header's check (WrongRootKey) but verifies the
 * store's anchor is the right key: then store.json was damaged. Returns the
 * error to report. (A passphrase store's header carries a digest, which
 * catches its damage before any key is tried.)
 */
export async function explainUnlockFailure(e: unknown, storeId: string, headerPath: string, o: RootKeyOptions, storeDir: string, disk: Disk): Promise<unknown> {
  if (!(e instanceof HushError) || e.code !== 'WrongRootKey') return e;
  const env = o.env ?? process.env;
  for (const k of [await findRawRootKey(storeId, o)]) {
    const anchor = freshnessAnchorFor(k, storeId, storeDir, env, disk);
    try {
      if (await anchor.verifies()) {
        return new HushError(
          'CorruptStore',
          `the store header ${headerPath} is damaged: the root key from ${k.source} is this store's (it verifies the store's freshness anchor) but fails the header's check; restore store.json from a backup of this store`,
        );
      }
    } finally {
      anchor.close();
    }
  }
  return e;
}

/** `source`: where the root key came from (UnlockedRootKey.source). */
export function anchorStorageFor(source: string, storeId: string, storeDir: string, env: NodeJS.ProcessEnv, disk: Disk): AnchorStorage {
  if (source === 'keychain' || source === 'the keychain') return new KeychainAnchor(storeId);
  return AnchorFile.forStore(disk, env, storeId, storeDir);
}

export class KeychainAnchor implements AnchorStorage {
  readonly where: string;
  private readonly account: string;

  constructor(storeId: string) {
    this.account = `${storeId}.anchor`;
    this.where = `the OS keychain (service '${KEYCHAIN_SERVICE}', account '${this.account}')`;
  }

  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof HushError) throw e;
      throw new HushError('AnchorUnavailable', `the OS keychain refused to ${what} the freshness anchor (${String((e as Error).message ?? e).split('\n')[0]})`);
    }
  }

  async read(): Promise<string[]> {
    const v = await this.call('read', () => loadKeytar().getPassword(KEYCHAIN_SERVICE, this.account));
    return v ? [v] : [];
  }

  async write(value: string): Promise<void> {
    await this.call('write', () => loadKeytar().setPassword(KEYCHAIN_SERVICE, this.account, value));
  }
}
