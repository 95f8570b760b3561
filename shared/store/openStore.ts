/**
 * Opens the embedded store the way the CLI and the language server both do:
 * the same folder (--store / HUSH_STORE / hush.storePath, else the user's data
 * folder) and the same root key (HUSH_MASTER_KEY, HUSH_PASSPHRASE, keychain).
 */
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { HushError } from '../errors';
import { createRootKey, findRawRootKey, rawRootKeyHeader, RootKeyOptions, unlockRootKey, UnlockedRootKey } from '../crypto/rootKey';
import type { FreshnessAnchor } from './freshnessAnchor';
import { storeIdFromLog } from './logFraming';
import { explainUnlockFailure, freshnessAnchorFor } from '../crypto/anchorStorage';
import { ensureHeader, FileStore, FileStoreOptions, FORMAT, readHeader, StoreHeader } from './fileStore';
import { realDisk } from './disk';
import { storeFiles, validateStorePath } from './storeFolder';
import { SecretsManager } from '../secrets/secretsManager';
import type { Policy } from '../policy/policy';

export interface OpenStoreOptions {
  /** The store folder; default: HUSH_STORE, else defaultStorePath(). */
  path?: string;
  env?: NodeJS.ProcessEnv;
  rootKey?: RootKeyOptions;
  /** Create the store if there is none (default true). */
  create?: boolean;
  clock?: () => Date;
  principal?: string;
  policy?: Policy;
  fileStore?: FileStoreOptions;
}

export interface OpenedStore {
  manager: SecretsManager;
  store: FileStore;
  path: string;
  created: boolean;
  /** Where the root key came from: HUSH_MASTER_KEY, HUSH_PASSPHRASE or keychain. */
  rootKeySource: string;
}

/** $XDG_DATA_HOME/hush, ~/.local/share/hush; the platform's equivalent elsewhere. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HUSH_STORE) return resolve(env.HUSH_STORE);
  const home = env.HOME || homedir();
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'hush');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'hush');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'hush');
}

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

export async function openStore(o: OpenStoreOptions = {}): Promise<OpenedStore> {
  const env = o.env ?? process.env;
  const path = o.path !== undefined ? validateStorePath(o.path) : validateStorePath(defaultStorePath(env));
  const disk = o.fileStore?.disk ?? realDisk;
  const rk: RootKeyOptions = { env, ...(o.rootKey ?? {}) };
  let fresh: UnlockedRootKey | undefined;
  let header: StoreHeader | undefined = readHeader(path, disk);
  let created = false;
  if (!header) {
    if (o.create === false) throw new HushError('StoreNotFound', `there is no Hush store in ${path}; create one with 'hush secrets create' or pass --store`);
    const r = await ensureHeader(
      path,
      async () => {
        const storeId = randomUUID();
        const made = await createRootKey(storeId, rk);
        fresh = { key: made.key, source: made.source };
        return { format: FORMAT, storeId, createdAt: new Date().toISOString(), rootKey: made.header };
      },
      disk,
    );
    header = r.header;
    created = r.created;
  }
  const storeId = header.storeId;
  const root =
    fresh ??
    (await unlockRootKey(storeId, header.rootKey, rk).catch(async (e: unknown) => {
      throw await explainUnlockFailure(e, storeId, storeFiles(path).header, rk, path, disk);
    }));
  const anchor = freshnessAnchorFor(root, storeId, path, env, disk);
  let store: FileStore;
  try {
    store = await FileStore.open(path, header, root.key, { ...o.fileStore, anchor });
  } catch (e) {
    anchor.close();
    throw e;
  }
  const manager = new SecretsManager({
    store,
    rootKey: root.key,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.principal ? { principal: o.principal } : {}),
    ...(o.policy ? { policy: o.policy } : {}),
  });
  root.key.fill(0);
  await manager.kms.ensureDefaultKey();
  return { manager, store, path, created, rootKeySource: root.source };
}
