/**
 * The header, root key and freshness anchor of an embedded store, without
 * opening it: for `hush store check`, `recover` and `passphrase`, which must
 * work on a store that refuses to open.
 */
import { HushError } from '../errors';
import { findRawRootKey, rawRootKeyHeader, RootKeyOptions, unlockRootKey, UnlockedRootKey } from '../crypto/rootKey';
import type { FreshnessAnchor } from './freshnessAnchor';
import { storeIdFromLog } from './logFraming';
import { explainUnlockFailure, freshnessAnchorFor } from '../crypto/anchorStorage';
import { FORMAT, readHeader, StoreHeader } from './fileStore';
import { realDisk } from './disk';
import { storeFiles, validateStorePath } from './storeFolder';
import { defaultStorePath } from './storeLocation';
import { isPostgresUrl } from './postgres/connection';

export interface OpenedForRepair {
  path: string;
  header: StoreHeader;
  /** Why store.json could not be used as it is (then `header` was rebuilt from store.log and the root key). */
  headerProblem?: string;
  rootKey: UnlockedRootKey;
  anchor: FreshnessAnchor;
}

/**
 * The header, root key and anchor of a store, without opening it: for
 * `hush store check` and `recover`, which must work on a store that refuses
 * to open. A damaged store.json of a store without a passphrase is rebuilt
 * from store.log's store id and the root key.
 */
export async function openForRepair(o: { path?: string; env?: NodeJS.ProcessEnv; rootKey?: RootKeyOptions } = {}): Promise<OpenedForRepair> {
  const env = o.env ?? process.env;
  const where = o.path !== undefined ? o.path : defaultStorePath(env);
  if (isPostgresUrl(where)) {
    throw new HushError('InvalidArgument', "this works on an embedded store (a folder); a team store's integrity is checked with 'hush audit verify'");
  }
  const path = o.path !== undefined ? validateStorePath(o.path) : validateStorePath(defaultStorePath(env));
  const rk: RootKeyOptions = { env, ...(o.rootKey ?? {}) };
  let header: StoreHeader | undefined;
  let headerProblem: string | undefined;
  try {
    header = readHeader(path);
  } catch (e) {
    if (!(e instanceof HushError) || e.code !== 'CorruptStore') throw e;
    headerProblem = e.message;
  }
  if (!header && !headerProblem) throw new HushError('StoreNotFound', `there is no Hush store in ${path}`);
  let root: UnlockedRootKey;
  if (header) {
    const h = header;
    root = await unlockRootKey(h.storeId, h.rootKey, rk).catch(async (e: unknown) => {
      throw await explainUnlockFailure(e, h.storeId, storeFiles(path).header, rk, path, realDisk);
    });
  } else {
    const storeId = storeIdFromLog(storeFiles(path).log);
    if (!storeId) throw new HushError('CorruptStore', `${headerProblem}; and store.log does not name the store either`);
    root = await findRawRootKey(storeId, rk);
    header = { format: FORMAT, storeId, createdAt: new Date().toISOString(), rootKey: rawRootKeyHeader(storeId, root.key) };
  }
  const anchor = freshnessAnchorFor(root, header.storeId, path, env, realDisk);
  return { path, header, ...(headerProblem ? { headerProblem } : {}), rootKey: root, anchor };
}

