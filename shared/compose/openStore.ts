/**
 * The composition root: the one place where a store is opened and the core
 * wired on top of it — root key, store, operation pipeline (caller, policy,
 * clock), KMS with its material vault, Secrets Manager. The CLI, the language
 * server and every test open stores through here, so they all find the same
 * folder (--store / HUSH_STORE / hush.storePath, else the user's data folder)
 * and the same root key (HUSH_MASTER_KEY, HUSH_PASSPHRASE, keychain).
 */
import { randomUUID } from 'node:crypto';
import { HushError } from '../errors';
import { createRootKey, RootKeyOptions, unlockRootKey, UnlockedRootKey } from '../crypto/rootKey';
import { explainUnlockFailure, freshnessAnchorFor } from '../crypto/anchorStorage';
import { deriveKey } from '../crypto/aead';
import { ensureHeader, FileStore, FileStoreOptions, FORMAT, readHeader, StoreHeader } from '../store/fileStore';
import { realDisk } from '../store/disk';
import { storeFiles, validateStorePath } from '../store/storeFolder';
import { defaultStorePath } from '../store/storeLocation';
import type { Store } from '../store/store';
import { isPostgresUrl } from '../store/postgres/connection';
import type { Team } from '../team/team';
import type { TeamPolicies } from '../team/policies';
import { openTeamStore } from './teamStore';
import { SecretsManager } from '../secrets/secretsManager';
import { Kms } from '../kms/kms';
import { RootKeyVault } from '../kms/materialVault';
import { Pipeline } from '../core/pipeline';
import { Authorizer, Caller, localCaller, Source } from '../policy/access';
import { PolicyAuthorizer } from '../policy/engine';
import { FilePolicySource } from '../policy/sources';
import { Credentials } from '../serve/credentials';

export { defaultStorePath } from '../store/storeLocation';
export { openForRepair } from '../store/openForRepair';
export type { OpenedForRepair } from '../store/openForRepair';

export interface OpenStoreOptions {
  /** The store folder or a team store's postgres:// URL; default: HUSH_STORE, else defaultStorePath(). */
  path?: string;
  env?: NodeJS.ProcessEnv;
  rootKey?: RootKeyOptions;
  /** Create the store if there is none (default true). */
  create?: boolean;
  clock?: () => Date;
  /** The audit's principal (default `user@host`). */
  principal?: string;
  /** Where the request comes from (default 'cli'). */
  source?: Source;
  /** Access policy (default: the store's own — `.hush/policy.json` in an embedded store's folder, the team store's policies). */
  policy?: Authorizer;
  fileStore?: FileStoreOptions;
}

export interface OpenedStore {
  manager: SecretsManager;
  store: Store;
  /** The folder, or the team store's URL without its password. */
  path: string;
  kind: 'embedded' | 'team';
  created: boolean;
  /** Where the key came from: HUSH_MASTER_KEY, HUSH_PASSPHRASE, keychain (embedded) or HUSH_IDENTITY, keychain (team). */
  rootKeySource: string;
  caller: Caller;
  /** Members and grants (team store only). */
  team?: Team;
  /** Groups and stored policies (team store only). */
  policies?: TeamPolicies;
  /** The access keys of `hush serve`. */
  credentials: Credentials;
}

export async function openStore(o: OpenStoreOptions = {}): Promise<OpenedStore> {
  const env = o.env ?? process.env;
  const where = o.path !== undefined ? o.path : defaultStorePath(env);
  if (isPostgresUrl(where)) {
    const t = await openTeamStore({ url: where.trim(), env, ...(o.source ? { source: o.source } : {}), ...(o.clock ? { clock: o.clock } : {}), ...(o.policy ? { policy: o.policy } : {}) });
    return { manager: t.manager, store: t.store, path: t.location, kind: 'team', created: false, rootKeySource: t.identitySource, caller: t.caller, team: t.team, policies: t.policies, credentials: t.credentials };
  }
  const path = validateStorePath(where);
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
  const caller = localCaller(o.source ?? 'cli', o.principal);
  const pipeline = new Pipeline({ store, caller, authorizer: o.policy ?? new PolicyAuthorizer(new FilePolicySource(path)), clock: o.clock ?? (() => new Date()) });
  const kms = new Kms(pipeline, new RootKeyVault(root.key, storeId));
  const manager = new SecretsManager({ pipeline, kms, auditKey: deriveKey(root.key, storeId, 'audit-mac') });
  root.key.fill(0);
  await manager.kms.ensureDefaultKey();
  return { manager, store, path, kind: 'embedded', created, rootKeySource: root.source, caller, credentials: new Credentials(pipeline, kms) };
}
