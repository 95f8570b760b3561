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
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { HushError } from '../errors';
import { open, seal, deriveKey } from '../crypto/aead';
import { EncryptionContext, KEY_NAMESPACE, openEnvelope, sealEnvelope, WrappingKey } from '../crypto/envelope';
import { audited, CoreContext } from '../audit/audited';
import type { AliasRecord, KeyMaterialRecord, KeyOrigin, KeyRecord, StoreTx } from '../store/store';
import { effectiveState, EffectiveKeyState, notUsable } from './keyState';
import { ImportParameters, newImportParameters, unwrapImportedMaterial } from './byok';

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

/** The key name a Hush ESDK message was wrapped under (`keyId/vN`), read from its header. */
export function keyHintOf(ciphertext: Uint8Array): { keyId: string; version: number } | undefined {
  const buf = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, Math.min(ciphertext.length, 4096));
  const ns = Buffer.from(KEY_NAMESPACE, 'utf8');
  const at = buf.indexOf(ns);
  if (at < 0 || at + ns.length + 2 > buf.length) return undefined;
  const len = buf.readUInt16BE(at + ns.length);
  // Raw AES provider info: key name, then tag length (4), IV length (4), IV (12).
  const info = buf.subarray(at + ns.length + 2, at + ns.length + 2 + len);
  const m = /^(.+)\/v(\d+)$/.exec(info.subarray(0, Math.max(0, info.length - 20)).toString('utf8'));
  return m ? { keyId: m[1]!, version: Number(m[2]) } : undefined;
}

export class Kms {
  private readonly sealKey: Buffer;

  constructor(
    private readonly ctx: CoreContext,
    rootKey: Uint8Array,
  ) {
    this.sealKey = deriveKey(rootKey, ctx.store.storeId, 'cmk-material');
  }

  private now(): Date {
    return this.ctx.clock();
  }

  private aad(keyId: string, version: number): string {
    return `hush/cmk/${this.ctx.store.storeId}/${keyId}/v${version}`;
  }

  private newMaterial(keyId: string, version: number, bytes: Uint8Array, expiresAt?: string): KeyMaterialRecord {
    return {
      version,
      sealed: seal(this.sealKey, bytes, this.aad(keyId, version)),
      createdAt: this.now().toISOString(),
      ...(expiresAt ? { expiresAt } : {}),
    };
  }

  private unsealMaterial(k: KeyRecord, m: KeyMaterialRecord): Buffer {
    try {
      return open(this.sealKey, m.sealed, this.aad(k.id, m.version));
    } catch {
      throw new HushError('CorruptStore', `the material of CMK ${k.id} version ${m.version} fails its integrity check`);
    }
  }

  // ---- inside a transaction -------------------------------------------------

  /** Accepts a key id or an alias (`alias/…`). */
  resolveIn(tx: StoreTx, ref: string): KeyRecord {
    let id = ref;
    if (ref.startsWith('alias/')) {
      const a = tx.getAlias(ref);
      if (!a) throw new HushError('KeyNotFound', `no key has the alias ${ref}; list keys with 'hush keys list'`);
      id = a.keyId;
    }
    const k = tx.getKey(id);
    if (!k) throw new HushError('KeyNotFound', `no key ${ref} in this store; list keys with 'hush keys list'`);
    return k;
  }

  aliasesOfIn(tx: StoreTx, keyId: string): string[] {
    return tx
      .listAliases()
      .filter((a) => a.keyId === keyId)
      .map((a) => a.name)
      .sort();
  }

  /** Destroys material of keys whose deletion date has passed. Called at the start of writes. */
  housekeepIn(tx: StoreTx): void {
    const now = this.now();
    for (const k of tx.listKeys()) {
      if (!k.deletedAt && effectiveState(k, now) === 'Deleted') {
        tx.putKey({ ...k, materials: [], deletedAt: k.deletionDate ?? now.toISOString() });
        for (const a of this.aliasesOfIn(tx, k.id)) tx.deleteAlias(a);
      }
    }
    // Expired import parameters linger a day so a late import says ImportTokenExpired.
    for (const p of tx.listImports()) if (Date.parse(p.expiresAt) + DAY_MS <= now.getTime()) tx.deleteImport(p.token);
  }

  private usable(tx: StoreTx, ref: string): KeyRecord {
    const k = this.resolveIn(tx, ref);
    const st = effectiveState(k, this.now());
    if (st !== 'Enabled') throw notUsable(k, this.aliasesOfIn(tx, k.id)[0], st);
    return k;
  }

  private currentWrapping(k: KeyRecord): WrappingKey {
    const live = this.liveMaterials(k);
    const m = live[live.length - 1];
    if (!m) throw notUsable(k, undefined, 'PendingImport');
    return { keyId: k.id, materialVersion: m.version, material: this.unsealMaterial(k, m) };
  }

  private liveMaterials(k: KeyRecord): KeyMaterialRecord[] {
    const now = this.now().getTime();
    return k.materials.filter((m) => !m.expiresAt || Date.parse(m.expiresAt) > now).sort((a, b) => a.version - b.version);
  }

  /**
   * Records a KMS call made on behalf of another operation (the envelope of a
   * secret version), success or failure, in the same transaction.
   */
  private async recorded<T>(tx: StoreTx, action: string, resource: Record<string, string>, f: () => Promise<T>): Promise<T> {
    const base = { principal: this.ctx.principal, action, resource };
    try {
      const r = await f();
      tx.audit({ ...base, time: this.now().toISOString(), outcome: 'Success' });
      return r;
    } catch (e) {
      const code = e instanceof HushError ? e.code : 'Internal';
      tx.audit({ ...base, time: this.now().toISOString(), outcome: code === 'AccessDenied' ? 'Denied' : 'Failure', errorCode: code });
      throw e;
    }
  }

  /** encryptIn, audited as kms:GenerateDataKey for the given resource. */
  sealFor(tx: StoreTx, ref: string, plaintext: Uint8Array, context: EncryptionContext): Promise<{ keyId: string; ciphertext: Buffer }> {
    return this.recorded(tx, 'kms:GenerateDataKey', { ...refResource(ref), ...resourceOf(context) }, () => this.encryptIn(tx, ref, plaintext, context));
  }

  /** decryptIn, audited as kms:Decrypt for the given resource. */
  openFor(tx: StoreTx, keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    return this.recorded(tx, 'kms:Decrypt', { keyId, ...resourceOf(context) }, () => this.decryptIn(tx, keyId, ciphertext, context));
  }

  /** Envelope-encrypts under the key's current material (ESDK: fresh data key, wrapped by the CMK). */
  async encryptIn(tx: StoreTx, ref: string, plaintext: Uint8Array, context: EncryptionContext): Promise<{ keyId: string; ciphertext: Buffer }> {
    this.ctx.policy?.authorize(this.ctx.principal, 'kms:GenerateDataKey', refResource(ref));
    const k = this.usable(tx, ref);
    const w = this.currentWrapping(k);
    try {
      return { keyId: k.id, ciphertext: await sealEnvelope(w, plaintext, context) };
    } finally {
      w.material.fill(0);
    }
  }

  async decryptIn(tx: StoreTx, keyId: string, ciphertext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    this.ctx.policy?.authorize(this.ctx.principal, 'kms:Decrypt', { keyId });
    const k = this.usable(tx, keyId);
    const hint = keyHintOf(ciphertext);
    if (hint && hint.keyId !== k.id) {
      throw new HushError('DecryptFailed', `the ciphertext was made with CMK ${hint.keyId}, not ${k.id}`);
    }
    const all = this.liveMaterials(k).filter((m) => !hint || m.version === hint.version);
    const keys = all.map((m) => ({ keyId: k.id, materialVersion: m.version, material: this.unsealMaterial(k, m) }));
    if (!keys.length) throw new HushError('DecryptFailed', `CMK ${k.id} has no material version ${hint?.version ?? ''} to decrypt this value`);
    try {
      return await openEnvelope(keys, ciphertext, context);
    } finally {
      for (const w of keys) w.material.fill(0);
    }
  }

  // ---- audited operations ----------------------------------------------------

  /** Creates the default CMK of a new store (called once, when the store is created). */
  async ensureDefaultKey(): Promise<string> {
    const existing = await this.ctx.store.transact((tx) => tx.getAlias(DEFAULT_ALIAS)?.keyId);
    if (existing) return existing;
    return audited(this.ctx, 'kms:CreateKey', { alias: DEFAULT_ALIAS }, (tx, res) => {
      const a = tx.getAlias(DEFAULT_ALIAS);
      if (a) return a.keyId;
      const k = this.createKeyIn(tx, 'Default key of this store', 'HUSH', true);
      tx.putAlias({ name: DEFAULT_ALIAS, keyId: k.id, createdAt: k.createdAt });
      res.keyId = k.id;
      return k.id;
    });
  }

  private createKeyIn(tx: StoreTx, description: string, origin: KeyOrigin, isDefault = false): KeyRecord {
    const id = randomUUID();
    const createdAt = this.now().toISOString();
    let materials: KeyMaterialRecord[] = [];
    if (origin === 'HUSH') {
      const bytes = randomBytes(32);
      materials = [this.newMaterial(id, 1, bytes)];
      bytes.fill(0);
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
    tx.putKey(k);
    return k;
  }

  describeIn(tx: StoreTx, k: KeyRecord): KeyDescription {
    const live = this.liveMaterials(k);
    return {
      keyId: k.id,
      aliases: this.aliasesOfIn(tx, k.id),
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
    return audited(this.ctx, 'kms:CreateKey', o.alias ? { alias: o.alias } : {}, (tx, res) => {
      this.housekeepIn(tx);
      if (o.alias) this.checkAliasName(o.alias);
      if (o.alias && tx.getAlias(o.alias)) throw new HushError('AliasExists', `the alias ${o.alias} is already in use`);
      const k = this.createKeyIn(tx, o.description ?? '', o.origin ?? 'HUSH');
      res.keyId = k.id;
      if (o.alias) tx.putAlias({ name: o.alias, keyId: k.id, createdAt: k.createdAt });
      return this.describeIn(tx, k);
    });
  }

  describeKey(ref: string): Promise<KeyDescription> {
    return audited(this.ctx, 'kms:DescribeKey', refResource(ref), (tx, res) => {
      const k = this.resolveIn(tx, ref);
      res.keyId = k.id;
      return this.describeIn(tx, k);
    });
  }

  listKeys(o: { includeDeleted?: boolean } = {}): Promise<KeyDescription[]> {
    return audited(this.ctx, 'kms:ListKeys', {}, (tx) =>
      tx
        .listKeys()
        .map((k) => this.describeIn(tx, k))
        .filter((d) => o.includeDeleted || d.state !== 'Deleted')
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId)),
    );
  }

  listAliases(): Promise<AliasRecord[]> {
    return audited(this.ctx, 'kms:ListAliases', {}, (tx) => tx.listAliases().sort((a, b) => a.name.localeCompare(b.name)));
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
    return audited(this.ctx, 'kms:CreateAlias', { alias: name }, (tx, res) => {
      this.checkAliasName(name);
      if (tx.getAlias(name)) throw new HushError('AliasExists', `the alias ${name} is already in use; use 'hush keys alias ${name} KEY --update'`);
      const k = this.liveKey(tx, keyRef);
      res.keyId = k.id;
      tx.putAlias({ name, keyId: k.id, createdAt: this.now().toISOString() });
    });
  }

  updateAlias(name: string, keyRef: string): Promise<void> {
    return audited(this.ctx, 'kms:UpdateAlias', { alias: name }, (tx, res) => {
      this.checkAliasName(name);
      const a = tx.getAlias(name);
      if (!a) throw new HushError('KeyNotFound', `no alias ${name}`);
      const k = this.liveKey(tx, keyRef);
      res.keyId = k.id;
      tx.putAlias({ ...a, keyId: k.id });
    });
  }

  deleteAlias(name: string): Promise<void> {
    return audited(this.ctx, 'kms:DeleteAlias', { alias: name }, (tx) => {
      this.checkAliasName(name);
      if (!tx.getAlias(name)) throw new HushError('KeyNotFound', `no alias ${name}`);
      tx.deleteAlias(name);
    });
  }

  private liveKey(tx: StoreTx, ref: string): KeyRecord {
    const k = this.resolveIn(tx, ref);
    const st = effectiveState(k, this.now());
    if (st === 'Deleted') throw notUsable(k, undefined, st);
    return k;
  }

  private notDefault(k: KeyRecord, what: string): void {
    if (k.isDefault) throw new HushError('InvalidArgument', `the default key ${DEFAULT_ALIAS} cannot be ${what}`);
  }

  private change(action: string, ref: string, f: (tx: StoreTx, k: KeyRecord, st: EffectiveKeyState) => KeyRecord): Promise<KeyDescription> {
    return audited(this.ctx, action, refResource(ref), (tx, res) => {
      this.housekeepIn(tx);
      const k = this.liveKey(tx, ref);
      res.keyId = k.id;
      const next = f(tx, k, effectiveState(k, this.now()));
      tx.putKey(next);
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
    return this.change('kms:RotateKey', ref, (_tx, k, st) => {
      if (k.origin !== 'HUSH') throw new HushError('InvalidArgument', `CMK ${k.id} has imported material; rotate it by creating a new key and re-encrypting`);
      if (st !== 'Enabled') throw notUsable(k, undefined, st);
      const version = Math.max(0, ...k.materials.map((m) => m.version)) + 1;
      const bytes = randomBytes(32);
      const m = this.newMaterial(k.id, version, bytes);
      bytes.fill(0);
      return { ...k, materials: [...k.materials, m], rotatedAt: this.now().toISOString() };
    });
  }

  /** BYOK step 1: an RSA-3072 wrapping public key and an import token, valid 24 hours. */
  getParametersForImport(ref: string): Promise<ImportParameters> {
    return audited(this.ctx, 'kms:GetParametersForImport', refResource(ref), (tx, res) => {
      this.housekeepIn(tx);
      const k = this.liveKey(tx, ref);
      res.keyId = k.id;
      this.notDefault(k, 'given imported material');
      if (k.origin !== 'EXTERNAL') throw new HushError('InvalidArgument', `CMK ${k.id} has origin HUSH; create a key with origin EXTERNAL to import material`);
      const { params, record } = newImportParameters(k.id, this.now(), (der) => seal(this.sealKey, der, `hush/import/${k.id}`));
      tx.putImport(record);
      return params;
    });
  }

  /** BYOK step 2: material wrapped with RSA-OAEP-SHA256 under the import public key. */
  importKeyMaterial(ref: string, importToken: string, encryptedMaterial: Uint8Array, validTo?: Date): Promise<KeyDescription> {
    return this.change('kms:ImportKeyMaterial', ref, (tx, k, st) => {
      this.notDefault(k, 'given imported material');
      if (k.origin !== 'EXTERNAL') throw new HushError('InvalidArgument', `CMK ${k.id} has origin HUSH; it cannot take imported material`);
      if (st === 'PendingDeletion') throw notUsable(k, undefined, st);
      const p = tx.getImport(importToken);
      if (!p || p.keyId !== k.id) throw new HushError('InvalidArgument', `the import token is not for CMK ${k.id}; call 'hush keys import' again`);
      if (Date.parse(p.expiresAt) <= this.now().getTime()) {
        throw new HushError('ImportTokenExpired', `the import token expired on ${p.expiresAt}; get new import parameters`);
      }
      if (validTo && validTo.getTime() <= this.now().getTime()) throw new HushError('InvalidArgument', 'the expiry of imported material must be in the future');
      const privateDer = open(this.sealKey, p.sealedPrivateKey, `hush/import/${k.id}`);
      const material = unwrapImportedMaterial(privateDer, encryptedMaterial);
      privateDer.fill(0);
      try {
        const old = k.materials[0];
        if (old) {
          const prev = this.unsealMaterial(k, old);
          const same = timingSafeEqual(prev, material);
          prev.fill(0);
          if (!same) throw new HushError('KeyMaterialInvalid', `CMK ${k.id} already had different material; only the same material can be imported again`);
        }
        tx.deleteImport(importToken);
        const m = this.newMaterial(k.id, 1, material, validTo?.toISOString());
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

  // ---- data plane, as public KMS calls --------------------------------------

  generateDataKey(ref: string, context: EncryptionContext): Promise<DataKey> {
    return audited(this.ctx, 'kms:GenerateDataKey', refResource(ref), async (tx, res) => {
      const plaintext = randomBytes(32);
      const { keyId, ciphertext } = await this.encryptIn(tx, ref, plaintext, context);
      res.keyId = keyId;
      return { keyId, plaintext, ciphertextBlob: ciphertext };
    });
  }

  /** Decrypts a Hush ESDK message; the key is read from the message. */
  decrypt(ciphertextBlob: Uint8Array, context: EncryptionContext): Promise<{ keyId: string; plaintext: Buffer }> {
    return audited(this.ctx, 'kms:Decrypt', {}, async (tx, res) => {
      const hint = keyHintOf(ciphertextBlob);
      if (!hint) throw new HushError('DecryptFailed', 'this is not a ciphertext made by this KMS');
      res.keyId = hint.keyId;
      return { keyId: hint.keyId, plaintext: await this.decryptIn(tx, hint.keyId, ciphertextBlob, context) };
    });
  }

  reEncrypt(ciphertextBlob: Uint8Array, sourceContext: EncryptionContext, destinationKey: string, destinationContext: EncryptionContext): Promise<{ keyId: string; ciphertextBlob: Buffer }> {
    return audited(this.ctx, 'kms:ReEncrypt', refResource(destinationKey), async (tx, res) => {
      const hint = keyHintOf(ciphertextBlob);
      if (!hint) throw new HushError('DecryptFailed', 'this is not a ciphertext made by this KMS');
      res.sourceKeyId = hint.keyId;
      const pt = await this.decryptIn(tx, hint.keyId, ciphertextBlob, sourceContext);
      try {
        const out = await this.encryptIn(tx, destinationKey, pt, destinationContext);
        res.keyId = out.keyId;
        return { keyId: out.keyId, ciphertextBlob: out.ciphertext };
      } finally {
        pt.fill(0);
      }
    });
  }
}

function resourceOf(c: EncryptionContext): Record<string, string> {
  const r: Record<string, string> = {};
  if (c.secret) r.secretId = c.secret;
  if (c.version) r.versionId = c.version;
  return r;
}

function refResource(ref: string): Record<string, string> {
  return ref.startsWith('alias/') ? { alias: ref } : { keyId: ref };
}
