/**
 * The local KMS: customer master keys (CMKs) kept in the store, their
 * material sealed under the root key. Every wrap and unwrap goes through
 * here, and here only is a key's state checked: a key that is not Enabled
 * refuses GenerateDataKey, Decrypt and ReEncrypt with an error that names it.
 *
 * Two layers: `*In(tx, …)` methods run inside the caller's transaction (the
 * Secrets Manager uses them), the public methods are audited operations of
 * their own (the CLI's `hush keys`).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { deserializeFactory } from '@aws-crypto/serialize';
import { NodeAlgorithmSuite } from '@aws-crypto/material-management-node';
import { HushError } from '../errors';
import { deriveKey } from '../crypto/aead';
import { EncryptionContext, KEY_NAMESPACE, openEnvelope, sealEnvelope, WrappingKey } from '../crypto/envelope';
import type { Pipeline, Scope, Target } from '../core/pipeline';
import type { Caller } from '../policy/access';
import type { AliasRecord, KeyMaterialRecord, KeyOrigin, KeyRecord, StoreTx } from '../store/store';
import { effectiveState, EffectiveKeyState, notUsable } from './keyState';
import { ImportParameters, newImportParameters, unwrapImportedMaterial } from './byok';
import type { MaterialVault } from './materialVault';

export const DEFAULT_ALIAS = 'alias/hush/default';
const DAY_MS = 86_400_000;

export interface KeyDescription {
  keyId: string;
  aliases: string[];
  description: string;
  state: EffectiveKeyState;
  origin: KeyOrigin;
  createdAt: string;
  deletionDate?: string;
  isDefault: boolean;
  currentMaterialVersion?: number;
  materials: { version: number; createdAt: string; expiresAt?: string }[];
}

export interface DataKey {
  keyId: string;
  /** 32 bytes. Wipe it (fill(0)) when done. */
  plaintext: Buffer;
  /** An ESDK message holding the data key, bound to the encryption context. */
  ciphertextBlob: Buffer;
}

const { deserializeMessageHeader } = deserializeFactory((b: Uint8Array) => Buffer.from(b).toString('utf8'), NodeAlgorithmSuite);

/**
 * The CMK and material version a Hush ESDK message was wrapped under, read
 * from its header with the ESDK's own parser: the raw AES keyring's provider
 * info is the key name (`keyId/vN`) followed by the tag length (4 bytes), the
 * IV length (4) and the IV (12).
 */
export function keyHintOf(ciphertext: Uint8Array): { keyId: string; version: number } | undefined {
  let header;
  try {
    header = deserializeMessageHeader(ciphertext, { maxEncryptedDataKeys: 1 });
  } catch {
    return undefined;
  }
  const edk = header ? header.messageHeader.encryptedDataKeys[0] : undefined;
  if (!edk || edk.providerId !== KEY_NAMESPACE || !edk.rawInfo || edk.rawInfo.length <= 20) return undefined;
  const name = Buffer.from(edk.rawInfo.subarray(0, edk.rawInfo.length - 20)).toString('utf8');
  const m = /^(.+)\/v(\d+)$/.exec(name);
  return m ? { keyId: m[1]!, version: Number(m[2]) } : undefined;
}

/** The audit map and policy names of a key. */
export function keyTarget(k: KeyRecord, aliases: string[]): Target {
  return {
    audit: { keyId: k.id, ...(aliases[0] ? { alias: aliases[0] } : {}) },
    ref: { names: [`key:${k.id}`, ...aliases.map((a) => `key:${a}`)] },
  };
}

/** What sealing a value returns: the envelope, and the value's keyed fingerprint under the same material. */
export interface Sealed {
  keyId: string;
  ciphertext: Buffer;
  materialVersion: number;
  /** HMAC-SHA256 of the value under a key derived from the CMK material version (base64url). */
  fingerprint: string;
}

/** A key and its material in clear, between two stores (never written anywhere). */
export interface KeyCopy {
  record: Omit<KeyRecord, 'materials'>;
  aliases: string[];
  materials: { version: number; createdAt: string; expiresAt?: string; bytes: Buffer }[];
}

/** `keyId/vN`: one CMK material version. */
export function materialRef(keyId: string, version: number): string {
  return `${keyId}/v${version}`;
}

function refAudit(ref: string): Record<string, string> {
  return ref.startsWith('alias/') ? { alias: ref } : { keyId: ref };
}

export class Kms {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly vault: MaterialVault,
  ) {}

  /** This KMS acting for another caller (same store, vault, policy). */
  forCaller(caller: Caller): Kms {
    return new Kms(this.pipeline.forCaller(caller), this.vault);
  }

  private now(): Date {
    return this.pipeline.clock();
  }

  private async newMaterial(tx: StoreTx, keyId: string, version: number, bytes: Uint8Array, expiresAt?: string, previous?: KeyMaterialRecord): Promise<KeyMaterialRecord> {
    return {
      ...(await this.vault.sealMaterial(tx, keyId, version, bytes, previous)),
      createdAt: this.now().toISOString(),
      ...(expiresAt ? { expiresAt } : {}),
    };
  }

  // ---- inside a transaction -------------------------------------------------

  /** Accepts a key id or an alias (`alias/…`). */
  async resolveIn(tx: StoreTx, ref: string): Promise<KeyRecord> {
    let id = ref;
    if (ref.startsWith('alias/')) {
      const a = await tx.getAlias(ref);
      if (!a) throw new HushError('KeyNotFound', `no key has the alias ${ref}; list keys with 'hush keys list'`);
      id = a.keyId;
    }
    const k = await tx.getKey(id);
    if (!k) throw new HushError('KeyNotFound', `no key ${ref} in this store; list keys with 'hush keys list'`);
    return k;
  }

  async aliasesOfIn(tx: StoreTx, keyId: string): Promise<string[]> {
    return (await tx.listAliases())
      .filter((a) => a.keyId === keyId)
      .map((a) => a.name)
      .sort();
  }

  /** The canonical target of a key reference (for the pipeline's resolve step). */
  async targetIn(tx: StoreTx, ref: string): Promise<Target> {
    const k = await this.resolveIn(tx, ref);
    return keyTarget(k, await this.aliasesOfIn(tx, k.id));
  }

  /** Destroys material of keys whose deletion date has passed. Called at the start of writes. */
  async housekeepIn(tx: StoreTx): Promise<void> {
    const now = this.now();
    for (const k of await tx.listKeys()) {
      if (!k.deletedAt && effectiveState(k, now) === 'Deleted') {
        await tx.putKey({ ...k, materials: [], deletedAt: k.deletionDate ?? now.toISOString() });
        for (const a of await this.aliasesOfIn(tx, k.id)) await tx.deleteAlias(a);
      }
    }
    // Expired import parameters linger a day so a late import says ImportTokenExpired.
    for (const p of await tx.listImports()) if (Date.parse(p.expiresAt) + DAY_MS <= now.getTime()) await tx.deleteImport(p.token);
  }

  private async usable(tx: StoreTx, k: KeyRecord): Promise<KeyRecord> {
    const st = effectiveState(k, this.now());
    if (st !== 'Enabled') throw notUsable(k, (await this.aliasesOfIn(tx, k.id))[0], st);
    return k;
  }

  private async currentWrapping(tx: StoreTx, k: KeyRecord): Promise<WrappingKey> {
    const live = this.liveMaterials(k);
    const m = live[live.length - 1];
    if (!m) throw notUsable(k, undefined, 'PendingImport');
    return { keyId: k.id, materialVersion: m.version, material: await this.vault.openMaterial(tx, k, m) };
  }

  private liveMaterials(k: KeyRecord): KeyMaterialRecord[] {
    const now = this.now().getTime();
    return k.materials.filter((m) => !m.expiresAt || Date.parse(m.expiresAt) > now).sort((a, b) => a.version - b.version);
  }

  /**
   * The key of value fingerprints for one material version: derived from the
   * material, so only those who can use the CMK can compute or match them
   * (on a team store, a member without a grant learns nothing from them).
   */
  private fingerprintKey(keyId: string, version: number, material: Uint8Array): Buffer {
    return deriveKey(material, this.pipeline.store.storeId, `value-fingerprint/${materialRef(keyId, version)}`);
  }

  /**
   * Fingerprint keys for the given material versions (`keyId/vN`), for the
   * keys this caller may kms:Decrypt with and can open; the others are left
   * out (their secrets cannot be matched by this caller). Not audited per
   * key: the calling operation is.
   */
  async fingerprintKeysIn(tx: StoreTx, refs: Iterable<string>): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (const ref of new Set(refs)) {
      const m = /^(.+)\/v(\d+)$/.exec(ref);
      if (!m) continue;
      const k = await tx.getKey(m[1]!);
      if (!k || effectiveState(k, this.now()) === 'Deleted') continue;
      const target = keyTarget(k, await this.aliasesOfIn(tx, k.id));
      if (this.pipeline.decide('kms:Decrypt', target).effect !== 'Allow') continue;
      const mat = k.materials.find((x) => x.version === Number(m[2]));
      if (!mat) continue;
      let material: Buffer;
      try {
        material = await this.vault.openMaterial(tx, k, mat);
      } catch {
        continue; // no grant on a team store: this caller cannot match these values
      }
      out.set(ref, this.fingerprintKey(k.id, mat.version, material));
      material.fill(0);
    }
    return out;
  }

  /**
   * Envelope-encrypts a secret's value under its CMK inside the calling
   * operation: authorized as kms:GenerateDataKey on the key and audited as its
   * own record (fresh data key, wrapped by the key's current material).
   */
  async sealFor(scope: Scope, ref: string, plaintext: Uint8Array, context: EncryptionContext): Promise<Sealed> {
    const k = await this.resolveIn(scope.tx, ref);
    const target = keyTarget(k, await this.aliasesOfIn(scope.tx, k.id));
    return scope.dependent('kms:GenerateDataKey', withContext(target, context), () => this.encryptIn(scope.tx, k, plaintext, context));
  }

  /** Decrypts a secret's value inside the calling operation: authorized and audited as kms:Decrypt on its key. */
  async openFor(scope: Scope, keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    const k = await this.resolveIn(scope.tx, keyId);
    const target = keyTarget(k, await this.aliasesOfIn(scope.tx, k.id));
    return scope.dependent('kms:Decrypt', withContext(target, context), () => this.decryptIn(scope.tx, k, ciphertext, context));
  }

  private async encryptIn(tx: StoreTx, key: KeyRecord, plaintext: Uint8Array, context: EncryptionContext): Promise<Sealed> {
    const k = await this.usable(tx, key);
    const w = await this.currentWrapping(tx, k);
    try {
      const fpKey = this.fingerprintKey(k.id, w.materialVersion, w.material);
      const fingerprint = createHmac('sha256', fpKey).update(plaintext).digest('base64url');
      fpKey.fill(0);
      return { keyId: k.id, ciphertext: await sealEnvelope(w, plaintext, context), materialVersion: w.materialVersion, fingerprint };
    } finally {
      w.material.fill(0);
    }
  }

  private async decryptIn(tx: StoreTx, key: KeyRecord, ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    const k = await this.usable(tx, key);
    const hint = keyHintOf(ciphertext);
    if (hint && hint.keyId !== k.id) {
      throw new HushError('DecryptFailed', `the ciphertext was made with CMK ${hint.keyId}, not ${k.id}`);
    }
    const all = this.liveMaterials(k).filter((m) => !hint || m.version === hint.version);
    const keys: WrappingKey[] = [];
    try {
      for (const m of all) keys.push({ keyId: k.id, materialVersion: m.version, material: await this.vault.openMaterial(tx, k, m) });
      if (!keys.length) throw new HushError('DecryptFailed', `CMK ${k.id} has no material version ${hint?.version ?? ''} to decrypt this value`);
      return await openEnvelope(keys, ciphertext, context);
    } finally {
      for (const w of keys) w.material.fill(0);
    }
  }

  // ---- audited operations ----------------------------------------------------

  /** Creates the default CMK of a new store (called once, when the store is created). */
  async ensureDefaultKey(): Promise<string> {
    const existing = await this.pipeline.store.transact(async (tx) => (await tx.getAlias(DEFAULT_ALIAS))?.keyId);
    if (existing) return existing;
    return this.pipeline.run('kms:CreateKey', { alias: DEFAULT_ALIAS }, undefined, async ({ tx, audit }) => {
      const a = await tx.getAlias(DEFAULT_ALIAS);
      if (a) return a.keyId;
      const k = await this.createKeyIn(tx, 'Default key of this store', 'HUSH', true);
      await tx.putAlias({ name: DEFAULT_ALIAS, keyId: k.id, createdAt: k.createdAt });
      audit.keyId = k.id;
      return k.id;
    });
  }

  private async createKeyIn(tx: StoreTx, description: string, origin: KeyOrigin, isDefault = false): Promise<KeyRecord> {
    const id = randomUUID();
    const createdAt = this.now().toISOString();
    let materials: KeyMaterialRecord[] = [];
    if (origin === 'HUSH') {
      const bytes = randomBytes(32);
      try {
        materials = [await this.newMaterial(tx, id, 1, bytes)];
      } finally {
        bytes.fill(0);
      }
    }
    const k: KeyRecord = {
      id,
      description,
      createdAt,
      origin,
      state: origin === 'HUSH' ? 'Enabled' : 'PendingImport',
      isDefault,
      materials,
    };
    await tx.putKey(k);
    return k;
  }

  async describeIn(tx: StoreTx, k: KeyRecord): Promise<KeyDescription> {
    const live = this.liveMaterials(k);
    return {
      keyId: k.id,
      aliases: await this.aliasesOfIn(tx, k.id),
      description: k.description,
      state: effectiveState(k, this.now()),
      origin: k.origin,
      createdAt: k.createdAt,
      ...(k.deletionDate ? { deletionDate: k.deletionDate } : {}),
      isDefault: k.isDefault,
      ...(live.length ? { currentMaterialVersion: live[live.length - 1]!.version } : {}),
      materials: k.materials.map((m) => ({ version: m.version, createdAt: m.createdAt, ...(m.expiresAt ? { expiresAt: m.expiresAt } : {}) })),
    };
  }

  createKey(o: { description?: string; alias?: string; origin?: KeyOrigin } = {}): Promise<KeyDescription> {
    return this.pipeline.run('kms:CreateKey', o.alias ? { alias: o.alias } : {}, undefined, async ({ tx, audit }) => {
      await this.housekeepIn(tx);
      if (o.alias) this.checkAliasName(o.alias);
      if (o.alias && (await tx.getAlias(o.alias))) throw new HushError('AliasExists', `the alias ${o.alias} is already in use`);
      const k = await this.createKeyIn(tx, o.description ?? '', o.origin ?? 'HUSH');
      audit.keyId = k.id;
      if (o.alias) await tx.putAlias({ name: o.alias, keyId: k.id, createdAt: k.createdAt });
      return this.describeIn(tx, k);
    });
  }

  describeKey(ref: string): Promise<KeyDescription> {
    return this.pipeline.run('kms:DescribeKey', refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx }) => this.describeIn(tx, await this.resolveIn(tx, ref)));
  }

  listKeys(o: { includeDeleted?: boolean } = {}): Promise<KeyDescription[]> {
    return this.pipeline.run('kms:ListKeys', {}, undefined, async ({ tx }) => {
      const out: KeyDescription[] = [];
      for (const k of await tx.listKeys()) out.push(await this.describeIn(tx, k));
      return out
        .filter((d) => o.includeDeleted || d.state !== 'Deleted')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
    });
  }

  listAliases(): Promise<AliasRecord[]> {
    return this.pipeline.run('kms:ListAliases', {}, undefined, async ({ tx }) => (await tx.listAliases()).sort((a, b) => a.name.localeCompare(b.name)));
  }

  private checkAliasName(name: string): void {
    if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(name)) {
      throw new HushError('InvalidArgument', `alias '${name}' must look like alias/NAME (letters, digits, / _ -)`);
    }
    if (name.startsWith('alias/hush/') || name.startsWith('alias/aws/')) {
      throw new HushError('InvalidArgument', `aliases under alias/hush/ and alias/aws/ are reserved`);
    }
  }

  createAlias(name: string, keyRef: string): Promise<void> {
    return this.pipeline.run('kms:CreateAlias', { alias: name }, (tx) => this.liveTarget(tx, keyRef, { alias: name }), async ({ tx }) => {
      this.checkAliasName(name);
      if (await tx.getAlias(name)) throw new HushError('AliasExists', `the alias ${name} is already in use; use 'hush keys alias ${name} KEY --update'`);
      const k = await this.liveKey(tx, keyRef);
      await tx.putAlias({ name, keyId: k.id, createdAt: this.now().toISOString() });
    });
  }

  updateAlias(name: string, keyRef: string): Promise<void> {
    return this.pipeline.run('kms:UpdateAlias', { alias: name }, (tx) => this.liveTarget(tx, keyRef, { alias: name }), async ({ tx }) => {
      this.checkAliasName(name);
      const a = await tx.getAlias(name);
      if (!a) throw new HushError('KeyNotFound', `no alias ${name}`);
      const k = await this.liveKey(tx, keyRef);
      await tx.putAlias({ ...a, keyId: k.id });
    });
  }

  deleteAlias(name: string): Promise<void> {
    return this.pipeline.run('kms:DeleteAlias', { alias: name }, undefined, async ({ tx }) => {
      this.checkAliasName(name);
      if (!(await tx.getAlias(name))) throw new HushError('KeyNotFound', `no alias ${name}`);
      await tx.deleteAlias(name);
    });
  }

  /** A key's target for an alias operation: the key's names plus the alias being changed. */
  private async liveTarget(tx: StoreTx, keyRef: string, audit: Record<string, string>): Promise<Target> {
    const k = await this.liveKey(tx, keyRef);
    const t = keyTarget(k, await this.aliasesOfIn(tx, k.id));
    return { audit: { ...audit, keyId: k.id }, ref: { names: [...t.ref.names, `key:${audit.alias}`] } };
  }

  private async liveKey(tx: StoreTx, ref: string): Promise<KeyRecord> {
    const k = await this.resolveIn(tx, ref);
    const st = effectiveState(k, this.now());
    if (st === 'Deleted') throw notUsable(k, undefined, st);
    return k;
  }

  private notDefault(k: KeyRecord, what: string): void {
    if (k.isDefault) throw new HushError('InvalidArgument', `the default key ${DEFAULT_ALIAS} cannot be ${what}`);
  }

  private change(action: string, ref: string, f: (tx: StoreTx, k: KeyRecord, st: EffectiveKeyState) => Promise<KeyRecord> | KeyRecord): Promise<KeyDescription> {
    return this.pipeline.run(action, refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx }) => {
      await this.housekeepIn(tx);
      const k = await this.liveKey(tx, ref);
      const next = await f(tx, k, effectiveState(k, this.now()));
      await tx.putKey(next);
      return this.describeIn(tx, next);
    });
  }

  enableKey(ref: string): Promise<KeyDescription> {
    return this.change('kms:EnableKey', ref, (_tx, k, st) => {
      if (st === 'PendingDeletion') throw notUsable(k, undefined, st);
      if (st === 'PendingImport') throw notUsable(k, undefined, st);
      return { ...k, state: 'Enabled' };
    });
  }

  disableKey(ref: string): Promise<KeyDescription> {
    return this.change('kms:DisableKey', ref, (_tx, k, st) => {
      this.notDefault(k, 'disabled');
      if (st === 'PendingDeletion') throw notUsable(k, undefined, st);
      return { ...k, state: 'Disabled' };
    });
  }

  scheduleKeyDeletion(ref: string, days = 30): Promise<KeyDescription> {
    return this.change('kms:ScheduleKeyDeletion', ref, (_tx, k, st) => {
      this.notDefault(k, 'scheduled for deletion');
      if (!Number.isInteger(days) || days < 7 || days > 30) {
        throw new HushError('InvalidArgument', `the pending window must be 7 to 30 days, not ${days}`);
      }
      if (st === 'PendingDeletion') throw new HushError('InvalidArgument', `CMK ${k.id} is already scheduled for deletion on ${k.deletionDate}`);
      return { ...k, state: 'PendingDeletion', deletionDate: new Date(this.now().getTime() + days * DAY_MS).toISOString() };
    });
  }

  cancelKeyDeletion(ref: string): Promise<KeyDescription> {
    return this.change('kms:CancelKeyDeletion', ref, (_tx, k, st) => {
      if (st !== 'PendingDeletion') throw new HushError('InvalidArgument', `CMK ${k.id} is not scheduled for deletion (it is ${st})`);
      const next: KeyRecord = { ...k, state: 'Disabled' };
      delete next.deletionDate;
      return next;
    });
  }

  /** New material version; every older version still decrypts. */
  rotateKey(ref: string): Promise<KeyDescription> {
    return this.change('kms:RotateKey', ref, async (tx, k, st) => {
      if (k.origin !== 'HUSH') throw new HushError('InvalidArgument', `CMK ${k.id} has imported material; rotate it by creating a new key and re-encrypting`);
      if (st !== 'Enabled') throw notUsable(k, undefined, st);
      const version = Math.max(0, ...k.materials.map((m) => m.version)) + 1;
      const bytes = randomBytes(32);
      try {
        const previous = this.liveMaterials(k).at(-1);
        const m = await this.newMaterial(tx, k.id, version, bytes, undefined, previous);
        return { ...k, materials: [...k.materials, m], rotatedAt: this.now().toISOString() };
      } finally {
        bytes.fill(0);
      }
    });
  }

  /** BYOK step 1: an RSA-3072 wrapping public key and an import token, valid 24 hours. */
  getParametersForImport(ref: string): Promise<ImportParameters> {
    return this.pipeline.run('kms:GetParametersForImport', refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx }) => {
      await this.housekeepIn(tx);
      const k = await this.liveKey(tx, ref);
      this.notDefault(k, 'given imported material');
      if (k.origin !== 'EXTERNAL') throw new HushError('InvalidArgument', `CMK ${k.id} has origin HUSH; create a key with origin EXTERNAL to import material`);
      const { params, record } = await newImportParameters(k.id, this.now(), (der) => this.vault.sealPrivate(`hush/import/${k.id}`, der));
      await tx.putImport(record);
      return params;
    });
  }

  /** BYOK step 2: material wrapped with RSA-OAEP-SHA256 under the import public key. */
  importKeyMaterial(ref: string, importToken: string, encryptedMaterial: Uint8Array, validTo?: Date): Promise<KeyDescription> {
    return this.change('kms:ImportKeyMaterial', ref, async (tx, k, st) => {
      this.notDefault(k, 'given imported material');
      if (k.origin !== 'EXTERNAL') throw new HushError('InvalidArgument', `CMK ${k.id} has origin HUSH; it cannot take imported material`);
      if (st === 'PendingDeletion') throw notUsable(k, undefined, st);
      const p = await tx.getImport(importToken);
      if (!p || p.keyId !== k.id) throw new HushError('InvalidArgument', `the import token is not for CMK ${k.id}; call 'hush keys import' again`);
      if (Date.parse(p.expiresAt) <= this.now().getTime()) {
        throw new HushError('ImportTokenExpired', `the import token expired on ${p.expiresAt}; get new import parameters`);
      }
      if (validTo && validTo.getTime() <= this.now().getTime()) throw new HushError('InvalidArgument', 'the expiry of imported material must be in the future');
      const privateDer = await this.vault.openPrivate(`hush/import/${k.id}`, p.sealedPrivateKey);
      const material = unwrapImportedMaterial(privateDer, encryptedMaterial);
      privateDer.fill(0);
      try {
        const old = k.materials[0];
        if (old) {
          const prev = await this.vault.openMaterial(tx, k, old);
          const same = timingSafeEqual(prev, material);
          prev.fill(0);
          if (!same) throw new HushError('KeyMaterialInvalid', `CMK ${k.id} already had different material; only the same material can be imported again`);
        }
        await tx.deleteImport(importToken);
        const m = await this.newMaterial(tx, k.id, 1, material, validTo?.toISOString(), old);
        return { ...k, materials: [m], state: st === 'Disabled' ? 'Disabled' : 'Enabled' };
      } finally {
        material.fill(0);
      }
    });
  }

  deleteImportedKeyMaterial(ref: string): Promise<KeyDescription> {
    return this.change('kms:DeleteImportedKeyMaterial', ref, (_tx, k) => {
      if (k.origin !== 'EXTERNAL') throw new HushError('InvalidArgument', `CMK ${k.id} has no imported material`);
      return { ...k, materials: [], state: k.state === 'PendingDeletion' ? k.state : 'PendingImport' };
    });
  }

  // ---- copying a key to another store (hush store copy) -----------------------

  /**
   * A key with its material in clear, to re-seal in another store. In memory
   * only; the caller wipes the material. Audited as kms:ExportKeyForCopy, and
   * only possible for keys this caller can open.
   */
  exportKey(ref: string): Promise<KeyCopy> {
    return this.pipeline.run('kms:ExportKeyForCopy', refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx }) => {
      const k = await this.resolveIn(tx, ref);
      const materials: KeyCopy['materials'] = [];
      try {
        for (const m of k.materials) {
          materials.push({ version: m.version, createdAt: m.createdAt, ...(m.expiresAt ? { expiresAt: m.expiresAt } : {}), bytes: await this.vault.openMaterial(tx, k, m) });
        }
      } catch (e) {
        for (const m of materials) m.bytes.fill(0);
        throw e;
      }
      const { materials: _sealed, ...record } = k;
      return { record, aliases: await this.aliasesOfIn(tx, k.id), materials };
    });
  }

  /** Re-seals an exported key here, keeping its id, material versions and free aliases; false if it exists already. */
  importKeyCopy(copy: KeyCopy): Promise<boolean> {
    return this.pipeline.run('kms:ImportKeyCopy', { keyId: copy.record.id }, undefined, async ({ tx }) => {
      if (await tx.getKey(copy.record.id)) return false;
      const materials: KeyMaterialRecord[] = [];
      for (const m of [...copy.materials].sort((a, b) => a.version - b.version)) {
        const sealed = await this.vault.sealMaterial(tx, copy.record.id, m.version, m.bytes, materials.at(-1));
        materials.push({ ...sealed, createdAt: m.createdAt, ...(m.expiresAt ? { expiresAt: m.expiresAt } : {}) });
      }
      await tx.putKey({ ...copy.record, isDefault: false, materials });
      for (const a of copy.aliases) if (!(await tx.getAlias(a))) await tx.putAlias({ name: a, keyId: copy.record.id, createdAt: this.now().toISOString() });
      return true;
    });
  }

  // ---- data plane, as public KMS calls --------------------------------------

  /** A fresh data key of `numberOfBytes` (default 32, AWS allows 1 to 1024), in clear and wrapped. */
  generateDataKey(ref: string, context: EncryptionContext, numberOfBytes = 32): Promise<DataKey> {
    return this.pipeline.run('kms:GenerateDataKey', refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx, audit }) => {
      if (!Number.isInteger(numberOfBytes) || numberOfBytes < 1 || numberOfBytes > 1024) throw new HushError('InvalidArgument', `a data key is 1 to 1024 bytes, not ${numberOfBytes}`);
      const plaintext = randomBytes(numberOfBytes);
      const { keyId, ciphertext } = await this.encryptIn(tx, await this.resolveIn(tx, ref), plaintext, context);
      audit.keyId = keyId;
      return { keyId, plaintext, ciphertextBlob: ciphertext };
    });
  }

  /** Encrypts up to 4096 bytes of the caller's data under a CMK (AWS KMS Encrypt), bound to `context`. */
  encrypt(ref: string, plaintext: Uint8Array, context: EncryptionContext): Promise<{ keyId: string; ciphertextBlob: Buffer }> {
    return this.pipeline.run('kms:Encrypt', refAudit(ref), (tx) => this.targetIn(tx, ref), async ({ tx, audit }) => {
      if (plaintext.length < 1 || plaintext.length > 4096) throw new HushError('InvalidArgument', `KMS Encrypt takes 1 to 4096 bytes, not ${plaintext.length}`);
      const { keyId, ciphertext } = await this.encryptIn(tx, await this.resolveIn(tx, ref), plaintext, context);
      audit.keyId = keyId;
      return { keyId, ciphertextBlob: ciphertext };
    });
  }

  /** Decrypts a Hush ESDK message; the key is read from the message. */
  decrypt(ciphertextBlob: Uint8Array, context: EncryptionContext): Promise<{ keyId: string; plaintext: Buffer }> {
    const hint = keyHintOf(ciphertextBlob);
    return this.pipeline.run(
      'kms:Decrypt',
      hint ? { keyId: hint.keyId } : {},
      async (tx) => {
        if (!hint) throw new HushError('DecryptFailed', 'this is not a ciphertext made by this KMS');
        return this.targetIn(tx, hint.keyId);
      },
      async ({ tx }) => ({ keyId: hint!.keyId, plaintext: await this.decryptIn(tx, await this.resolveIn(tx, hint!.keyId), ciphertextBlob, context) }),
    );
  }

  reEncrypt(ciphertextBlob: Uint8Array, sourceContext: EncryptionContext, destinationKey: string, destinationContext: EncryptionContext): Promise<{ keyId: string; ciphertextBlob: Buffer }> {
    return this.pipeline.run('kms:ReEncrypt', refAudit(destinationKey), (tx) => this.targetIn(tx, destinationKey), async (scope) => {
      const hint = keyHintOf(ciphertextBlob);
      if (!hint) throw new HushError('DecryptFailed', 'this is not a ciphertext made by this KMS');
      scope.audit.sourceKeyId = hint.keyId;
      const source = await this.resolveIn(scope.tx, hint.keyId);
      const pt = await scope.dependent('kms:Decrypt', keyTarget(source, await this.aliasesOfIn(scope.tx, source.id)), () => this.decryptIn(scope.tx, source, ciphertextBlob, sourceContext));
      try {
        const out = await this.encryptIn(scope.tx, await this.resolveIn(scope.tx, destinationKey), pt, destinationContext);
        return { keyId: out.keyId, ciphertextBlob: out.ciphertext };
      } finally {
        pt.fill(0);
      }
    });
  }
}

/** A key target that also names the secret/version the data key is for (audit only). */
function withContext(t: Target, c: EncryptionContext): Target {
  const audit = { ...t.audit };
  if (c.secret) audit.secretId = c.secret;
  if (c.version) audit.versionId = c.version;
  return { audit, ref: t.ref };
}
