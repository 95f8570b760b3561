/**
 * The Secrets Manager: one class, used by the CLI and the language server
 * alike. Semantics follow AWS Secrets Manager (and Alibaba Cloud KMS Secrets
 * Manager): versions with stage labels, CURRENT on exactly one version,
 * idempotent puts by client request token, compare-and-set on CURRENT,
 * deletion with a recovery window.
 *
 * Flow of every call: policy → one store transaction (KMS gate + envelope
 * inside it) → audit. Values exist in plaintext only in the caller's hands
 * and briefly in this module; they are never logged, never in an error and
 * never in the audit.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { HushError } from '../errors';
import { audited, CoreContext } from '../audit/audited';
import { AuditFilter, AuditGap, AuditRecord, AuditVerdict, filterAudit, parseAudit, REPAIR_ACTION, verifyAudit } from '../audit/auditLog';
import { deriveKey } from '../crypto/aead';
import { DEFAULT_ALIAS, Kms } from '../kms/kms';
import type { Policy } from '../policy/policy';
import type { RotationRecord, SecretRecord, Store, StoreTx, VersionRecord } from '../store/store';
import { CURRENT, holderOf, labelsForPut, moveLabel, prunable } from './stageLabels';
import { randomPassword, RandomPasswordOptions } from './randomPassword';

export { openStore, defaultStorePath } from '../store/openStore';
export type { OpenStoreOptions, OpenedStore } from '../store/openStore';
export { CURRENT, PREVIOUS, PENDING } from './stageLabels';

/** AWS's limit: 65536 bytes of SecretString or SecretBinary. */
export const MAX_VALUE_BYTES = 65_536;
const DAY_MS = 86_400_000;

export type SecretValue = string | Uint8Array;

export interface SecretsManagerOptions {
  store: Store;
  /** The unlocked root key (32 bytes); only sub-keys derived from it are kept. */
  rootKey: Uint8Array;
  clock?: () => Date;
  principal?: string;
  policy?: Policy;
}

export interface CreateSecretInput {
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  value?: SecretValue;
  clientRequestToken?: string;
}

export interface SecretRef {
  id: string;
  name: string;
  versionId?: string;
}

export interface GetSecretValueOutput {
  id: string;
  name: string;
  versionId: string;
  versionStages: string[];
  createdAt: string;
  /** Exactly one of these is set. */
  secretString?: string;
  secretBinary?: Buffer;
}

export interface PutSecretValueOptions {
  clientRequestToken?: string;
  versionStages?: string[];
  /** Compare-and-set: refuse unless this version is CURRENT. */
  expectCurrentVersionId?: string;
}

export interface VersionSummary {
  versionId: string;
  versionStages: string[];
  createdAt: string;
  kmsKeyId: string;
}

export interface SecretDescription {
  id: string;
  name: string;
  description: string;
  kmsKeyId: string;
  kmsKeyAliases: string[];
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  lastAccessedAt?: string;
  deletionDate?: string;
  rotation?: RotationRecord;
  versions: VersionSummary[];
}

export interface ListSecretsInput {
  /** Name prefix. */
  name?: string;
  /** Substring of the description, case-insensitive. */
  description?: string;
  tagKey?: string;
  tagValue?: string;
  sortBy?: 'name' | 'createdAt' | 'updatedAt';
  sortOrder?: 'asc' | 'desc';
  maxResults?: number;
  nextToken?: string;
  includePlannedDeletion?: boolean;
}

export interface ListSecretsOutput {
  secrets: Omit<SecretDescription, 'versions' | 'kmsKeyAliases'>[];
  nextToken?: string;
}

function defaultPrincipal(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `uid:${process.getuid?.() ?? '?'}@${hostname()}`;
  }
}

function toBytes(v: SecretValue): { bytes: Buffer; type: 'string' | 'binary' } {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
  if (bytes.length === 0) throw new HushError('InvalidArgument', 'a secret value cannot be empty');
  if (bytes.length > MAX_VALUE_BYTES) {
    bytes.fill(0);
    throw new HushError('ValueTooLarge', `the value is ${bytes.length} bytes; a secret value is at most ${MAX_VALUE_BYTES} bytes (64 KiB)`);
  }
  return { bytes, type: typeof v === 'string' ? 'string' : 'binary' };
}

/** The shape of a secret id (a UUID). A name of this shape is refused, so `get <ref>` is never ambiguous. */
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkName(name: string): void {
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
    throw new HushError('InvalidArgument', `secret name '${name.slice(0, 80)}' may only contain letters, digits and / _ + = . @ - (1 to 512 characters)`);
  }
  if (ID_SHAPE.test(name)) {
    throw new HushError('InvalidArgument', `secret name '${name}' has the shape of a secret id, so it could be confused with one; add a prefix (e.g. app/${name})`);
  }
}

function checkToken(t: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(t)) throw new HushError('InvalidArgument', 'a client request token is 1 to 64 letters, digits, _ or -');
}

function checkTags(tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length > 50) throw new HushError('LimitExceeded', 'a secret has at most 50 tags');
  for (const k of keys) {
    if (k.length < 1 || k.length > 128 || k.startsWith('aws:')) throw new HushError('InvalidArgument', `tag key '${k.slice(0, 40)}' must be 1 to 128 characters and not start with aws:`);
    if (String(tags[k]).length > 256) throw new HushError('InvalidArgument', `the value of tag '${k}' is longer than 256 characters`);
  }
}

export class SecretsManager {
  readonly kms: Kms;
  private readonly ctx: CoreContext;
  private readonly auditKey: Buffer;

  constructor(o: SecretsManagerOptions) {
    this.ctx = { store: o.store, clock: o.clock ?? (() => new Date()), principal: o.principal ?? defaultPrincipal(), ...(o.policy ? { policy: o.policy } : {}) };
    this.kms = new Kms(this.ctx, o.rootKey);
    this.auditKey = deriveKey(o.rootKey, o.store.storeId, 'audit-mac');
  }

  get storeId(): string {
    return this.ctx.store.storeId;
  }

  /** Who the operations are recorded as. */
  get principal(): string {
    return this.ctx.principal;
  }

  private now(): Date {
    return this.ctx.clock();
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.ctx.store.close();
  }

  // ---- helpers inside a transaction -----------------------------------------

  private housekeep(tx: StoreTx): void {
    this.kms.housekeepIn(tx);
    const now = this.now().getTime();
    for (const s of tx.listSecrets()) if (s.deletionDate && Date.parse(s.deletionDate) <= now) tx.deleteSecret(s.id);
  }

  private find(tx: StoreTx, ref: string, res: Record<string, string>): SecretRecord {
    // An id-shaped reference is an id (such names are refused; one made before that is still found by name).
    const s = ID_SHAPE.test(ref) ? (tx.getSecret(ref) ?? tx.findSecretByName(ref)) : tx.findSecretByName(ref);
    if (!s) throw new HushError('SecretNotFound', `no secret named '${ref}'; list them with 'hush secrets list'`);
    if (s.deletionDate && Date.parse(s.deletionDate) <= this.now().getTime()) {
      throw new HushError('SecretNotFound', `secret '${ref}' was deleted on ${s.deletionDate}`);
    }
    res.secretId = s.id;
    res.secretName = s.name;
    return s;
  }

  private live(tx: StoreTx, ref: string, res: Record<string, string>): SecretRecord {
    const s = this.find(tx, ref, res);
    if (s.deletionDate) {
      throw new HushError(
        'SecretScheduledForDeletion',
        `secret '${s.name}' is scheduled for deletion on ${s.deletionDate}; restore it first (hush secrets restore ${s.name})`,
      );
    }
    return s;
  }

  private context(secretId: string, versionId: string): Record<string, string> {
    return { store: this.storeId, secret: secretId, version: versionId };
  }

  private async putIn(tx: StoreTx, s: SecretRecord, value: SecretValue, o: PutSecretValueOptions, res: Record<string, string>): Promise<{ versionId: string; versionStages: string[] }> {
    const { bytes, type } = toBytes(value);
    try {
      if (o.clientRequestToken !== undefined) checkToken(o.clientRequestToken);
      const versionId = o.clientRequestToken ?? randomUUID();
      res.versionId = versionId;
      const existing = tx.getVersion(s.id, versionId);
      if (existing) {
        // Idempotent retry: same token and same value is the same version.
        const old = await this.kms.openFor(tx, existing.kmsKeyId, Buffer.from(existing.ciphertext, 'base64'), this.context(s.id, versionId));
        const same = old.length === bytes.length && timingSafeEqual(old, bytes) && existing.type === type;
        old.fill(0);
        if (!same) {
          throw new HushError('IdempotencyConflict', `client request token ${versionId} was already used with a different value; use a new token`);
        }
        return { versionId, versionStages: existing.labels };
      }
      const versions = tx.listVersions(s.id);
      if (o.expectCurrentVersionId !== undefined) {
        const cur = holderOf(versions, CURRENT);
        if (cur?.id !== o.expectCurrentVersionId) {
          throw new HushError(
            'PreconditionFailed',
            `secret '${s.name}' has CURRENT on version ${cur?.id ?? '(none)'}, not ${o.expectCurrentVersionId}: another writer got there first; read it again and retry`,
          );
        }
      }
      const { keyId, ciphertext } = await this.kms.sealFor(tx, s.kmsKeyId, bytes, this.context(s.id, versionId));
      const fresh: VersionRecord = { id: versionId, createdAt: this.now().toISOString(), kmsKeyId: keyId, ciphertext: ciphertext.toString('base64'), type, labels: [] };
      const all = [...versions, fresh];
      const changed = labelsForPut(all, versionId, o.versionStages ?? [CURRENT]);
      const byId = new Map(all.map((v) => [v.id, v]));
      for (const c of changed) byId.set(c.id, c);
      if (!changed.some((c) => c.id === versionId)) tx.putVersion(s.id, fresh);
      for (const c of changed) tx.putVersion(s.id, c);
      for (const p of prunable([...byId.values()])) tx.deleteVersion(s.id, p.id);
      tx.putSecret({ ...s, updatedAt: fresh.createdAt });
      return { versionId, versionStages: byId.get(versionId)!.labels };
    } finally {
      bytes.fill(0);
    }
  }

  private describeIn(tx: StoreTx, s: SecretRecord): SecretDescription {
    return {
      ...this.summary(s),
      kmsKeyAliases: this.kms.aliasesOfIn(tx, s.kmsKeyId),
      versions: tx.listVersions(s.id).map((v) => ({ versionId: v.id, versionStages: v.labels, createdAt: v.createdAt, kmsKeyId: v.kmsKeyId })),
    };
  }

  private summary(s: SecretRecord): Omit<SecretDescription, 'versions' | 'kmsKeyAliases'> {
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      kmsKeyId: s.kmsKeyId,
      tags: { ...s.tags },
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      ...(s.lastAccessedAt ? { lastAccessedAt: s.lastAccessedAt } : {}),
      ...(s.deletionDate ? { deletionDate: s.deletionDate } : {}),
      ...(s.rotation ? { rotation: { ...s.rotation } } : {}),
    };
  }

  // ---- the API ----------------------------------------------------------------

  createSecret(i: CreateSecretInput): Promise<SecretRef> {
    return audited(this.ctx, 'secrets:CreateSecret', { secretName: i.name }, async (tx, res) => {
      this.housekeep(tx);
      checkName(i.name);
      if (i.tags) checkTags(i.tags);
      const clash = tx.findSecretByName(i.name);
      if (clash) {
        throw new HushError(
          'SecretExists',
          clash.deletionDate
            ? `secret '${i.name}' exists and is scheduled for deletion on ${clash.deletionDate}; restore it or pick another name`
            : `a secret named '${i.name}' already exists; put a new value with 'hush secrets put ${i.name}'`,
        );
      }
      const key = this.kms.resolveIn(tx, i.kmsKeyId ?? DEFAULT_ALIAS);
      res.keyId = key.id;
      const now = this.now().toISOString();
      const s: SecretRecord = { id: randomUUID(), name: i.name, description: i.description ?? '', kmsKeyId: key.id, tags: { ...(i.tags ?? {}) }, createdAt: now, updatedAt: now };
      res.secretId = s.id;
      tx.putSecret(s);
      if (i.value === undefined) return { id: s.id, name: s.name };
      const { versionId } = await this.putIn(tx, s, i.value, i.clientRequestToken ? { clientRequestToken: i.clientRequestToken } : {}, res);
      return { id: s.id, name: s.name, versionId };
    });
  }

  getSecretValue(ref: string, o: { versionId?: string; versionStage?: string } = {}): Promise<GetSecretValueOutput> {
    return audited(this.ctx, 'secrets:GetSecretValue', { secretName: ref }, async (tx, res) => {
      const s = this.live(tx, ref, res);
      let v: VersionRecord | undefined;
      if (o.versionId !== undefined) {
        v = tx.getVersion(s.id, o.versionId);
        if (!v) throw new HushError('VersionNotFound', `secret '${s.name}' has no version ${o.versionId}`);
        if (o.versionStage !== undefined && !v.labels.includes(o.versionStage)) {
          throw new HushError('InvalidArgument', `version ${o.versionId} does not carry the label ${o.versionStage}`);
        }
      } else {
        const stage = o.versionStage ?? CURRENT;
        v = holderOf(tx.listVersions(s.id), stage);
        if (!v) throw new HushError('VersionNotFound', `secret '${s.name}' has no version labelled ${stage}${stage === CURRENT ? ' (it has no value yet)' : ''}`);
      }
      res.versionId = v.id;
      const plain = await this.kms.openFor(tx, v.kmsKeyId, Buffer.from(v.ciphertext, 'base64'), this.context(s.id, v.id));
      const today = this.now().toISOString().slice(0, 10);
      // Day granularity, like AWS: one metadata write per secret per day, not per read.
      if (s.lastAccessedAt?.slice(0, 10) !== today && !this.ctx.store.readOnly) tx.putSecret({ ...s, lastAccessedAt: `${today}T00:00:00.000Z` });
      const out: GetSecretValueOutput = { id: s.id, name: s.name, versionId: v.id, versionStages: [...v.labels], createdAt: v.createdAt };
      if (v.type === 'string') {
        out.secretString = plain.toString('utf8');
        plain.fill(0);
      } else {
        out.secretBinary = plain;
      }
      return out;
    });
  }

  putSecretValue(ref: string, value: SecretValue, o: PutSecretValueOptions = {}): Promise<{ id: string; name: string; versionId: string; versionStages: string[] }> {
    return audited(this.ctx, 'secrets:PutSecretValue', { secretName: ref }, async (tx, res) => {
      this.housekeep(tx);
      const s = this.live(tx, ref, res);
      const r = await this.putIn(tx, s, value, o, res);
      return { id: s.id, name: s.name, ...r };
    });
  }

  updateSecret(ref: string, o: { description?: string; kmsKeyId?: string; value?: SecretValue; clientRequestToken?: string }): Promise<SecretRef> {
    return audited(this.ctx, 'secrets:UpdateSecret', { secretName: ref }, async (tx, res) => {
      this.housekeep(tx);
      let s = this.live(tx, ref, res);
      if (o.kmsKeyId !== undefined) {
        const k = this.kms.resolveIn(tx, o.kmsKeyId);
        res.keyId = k.id;
        s = { ...s, kmsKeyId: k.id };
      }
      if (o.description !== undefined) s = { ...s, description: o.description };
      s = { ...s, updatedAt: this.now().toISOString() };
      tx.putSecret(s);
      if (o.value === undefined) return { id: s.id, name: s.name };
      const r = await this.putIn(tx, s, o.value, o.clientRequestToken ? { clientRequestToken: o.clientRequestToken } : {}, res);
      return { id: s.id, name: s.name, versionId: r.versionId };
    });
  }

  updateSecretVersionStage(ref: string, label: string, o: { moveToVersionId?: string; removeFromVersionId?: string }): Promise<VersionSummary[]> {
    return audited(this.ctx, 'secrets:UpdateSecretVersionStage', { secretName: ref, label }, (tx, res) => {
      this.housekeep(tx);
      const s = this.live(tx, ref, res);
      const changed = moveLabel(tx.listVersions(s.id), label, o.moveToVersionId, o.removeFromVersionId);
      for (const c of changed) tx.putVersion(s.id, c);
      const all = tx.listVersions(s.id);
      for (const p of prunable(all)) tx.deleteVersion(s.id, p.id);
      tx.putSecret({ ...s, updatedAt: this.now().toISOString() });
      return tx.listVersions(s.id).map((v) => ({ versionId: v.id, versionStages: v.labels, createdAt: v.createdAt, kmsKeyId: v.kmsKeyId }));
    });
  }

  describeSecret(ref: string): Promise<SecretDescription> {
    return audited(this.ctx, 'secrets:DescribeSecret', { secretName: ref }, (tx, res) => this.describeIn(tx, this.find(tx, ref, res)));
  }

  listSecretVersionIds(ref: string): Promise<VersionSummary[]> {
    return audited(this.ctx, 'secrets:ListSecretVersionIds', { secretName: ref }, (tx, res) => this.describeIn(tx, this.live(tx, ref, res)).versions);
  }

  listSecrets(i: ListSecretsInput = {}): Promise<ListSecretsOutput> {
    return audited(this.ctx, 'secrets:ListSecrets', {}, (tx) => {
      const max = i.maxResults ?? 100;
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new HushError('InvalidArgument', 'maxResults is 1 to 100');
      const by = i.sortBy ?? 'name';
      const dir = i.sortOrder === 'desc' ? -1 : 1;
      const now = this.now().getTime();
      const all = tx
        .listSecrets()
        .filter((s) => !(s.deletionDate && Date.parse(s.deletionDate) <= now))
        .filter((s) => i.includePlannedDeletion || !s.deletionDate)
        .filter((s) => i.name === undefined || s.name.startsWith(i.name))
        .filter((s) => i.description === undefined || s.description.toLowerCase().includes(i.description.toLowerCase()))
        .filter((s) => i.tagKey === undefined || i.tagKey in s.tags)
        .filter((s) => i.tagValue === undefined || Object.values(s.tags).includes(i.tagValue))
        .sort((a, b) => dir * (a[by].localeCompare(b[by]) || a.id.localeCompare(b.id)));
      let start = 0;
      if (i.nextToken !== undefined) {
        const n = Number(Buffer.from(i.nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
        if (!Number.isInteger(n) || n < 0) throw new HushError('InvalidArgument', 'the paging token is not valid');
        start = n;
      }
      const page = all.slice(start, start + max);
      const out: ListSecretsOutput = { secrets: page.map((s) => this.summary(s)) };
      if (start + max < all.length) out.nextToken = Buffer.from(`o:${start + max}`).toString('base64url');
      return out;
    });
  }

  deleteSecret(ref: string, o: { recoveryWindowInDays?: number; forceDeleteWithoutRecovery?: boolean } = {}): Promise<{ id: string; name: string; deletionDate: string }> {
    return audited(this.ctx, 'secrets:DeleteSecret', { secretName: ref }, (tx, res) => {
      this.housekeep(tx);
      const s = this.find(tx, ref, res);
      if (o.forceDeleteWithoutRecovery && o.recoveryWindowInDays !== undefined) {
        throw new HushError('InvalidArgument', 'give either a recovery window or force, not both');
      }
      if (o.forceDeleteWithoutRecovery) {
        tx.deleteSecret(s.id);
        return { id: s.id, name: s.name, deletionDate: this.now().toISOString() };
      }
      const days = o.recoveryWindowInDays ?? 30;
      if (!Number.isInteger(days) || days < 7 || days > 30) throw new HushError('InvalidArgument', `the recovery window is 7 to 30 days, not ${days}`);
      if (s.deletionDate) throw new HushError('SecretScheduledForDeletion', `secret '${s.name}' is already scheduled for deletion on ${s.deletionDate}`);
      const deletionDate = new Date(this.now().getTime() + days * DAY_MS).toISOString();
      tx.putSecret({ ...s, deletionDate });
      return { id: s.id, name: s.name, deletionDate };
    });
  }

  restoreSecret(ref: string): Promise<SecretRef> {
    return audited(this.ctx, 'secrets:RestoreSecret', { secretName: ref }, (tx, res) => {
      this.housekeep(tx);
      const s = this.find(tx, ref, res);
      if (!s.deletionDate) throw new HushError('InvalidArgument', `secret '${s.name}' is not scheduled for deletion`);
      const next: SecretRecord = { ...s, updatedAt: this.now().toISOString() };
      delete next.deletionDate;
      tx.putSecret(next);
      return { id: s.id, name: s.name };
    });
  }

  tagResource(ref: string, tags: Record<string, string>): Promise<void> {
    return audited(this.ctx, 'secrets:TagResource', { secretName: ref }, (tx, res) => {
      const s = this.live(tx, ref, res);
      const next = { ...s.tags, ...tags };
      checkTags(next);
      tx.putSecret({ ...s, tags: next, updatedAt: this.now().toISOString() });
    });
  }

  untagResource(ref: string, keys: string[]): Promise<void> {
    return audited(this.ctx, 'secrets:UntagResource', { secretName: ref }, (tx, res) => {
      const s = this.live(tx, ref, res);
      const next = { ...s.tags };
      for (const k of keys) delete next[k];
      tx.putSecret({ ...s, tags: next, updatedAt: this.now().toISOString() });
    });
  }

  /** Sets (or, with undefined, removes) the rotation schedule, generator and hook of a secret. */
  setRotation(ref: string, policy: Omit<RotationRecord, 'lastRotatedAt'> | undefined): Promise<void> {
    return audited(this.ctx, 'secrets:SetRotation', { secretName: ref }, (tx, res) => {
      const s = this.live(tx, ref, res);
      const { rotation: old, ...rest } = s;
      const next: SecretRecord = policy
        ? { ...rest, rotation: { ...policy, ...(old?.lastRotatedAt ? { lastRotatedAt: old.lastRotatedAt } : {}) } }
        : rest;
      tx.putSecret({ ...next, updatedAt: this.now().toISOString() });
    });
  }

  /** Records a finished rotation (RotateSecret's last step). */
  markRotated(ref: string): Promise<void> {
    return audited(this.ctx, 'secrets:RotateSecret', { secretName: ref }, (tx, res) => {
      const s = this.live(tx, ref, res);
      const now = this.now().toISOString();
      tx.putSecret({ ...s, rotation: { intervalDays: 90, ...s.rotation, lastRotatedAt: now }, updatedAt: now });
    });
  }

  getRandomPassword(o: RandomPasswordOptions = {}): Promise<string> {
    return audited(this.ctx, 'secrets:GetRandomPassword', {}, () => randomPassword(o));
  }

  // ---- audit --------------------------------------------------------------------

  /** Checks the whole chain, the signatures and the anchor; the check itself is audited. */
  async verifyAudit(): Promise<AuditVerdict> {
    const anchor = await this.ctx.store.auditAnchor();
    const lines = await this.ctx.store.readAudit();
    const verdict = verifyAudit(lines, this.auditKey, anchor);
    if (verdict.ok) {
      await audited(this.ctx, 'audit:Verify', {}, () => undefined);
    }
    return verdict;
  }

  /**
   * Continues a broken audit chain with a signed record of the gap (which
   * records were lost, when, by whom). Authorized like any operation; it is
   * its own audit record, since nothing else can be appended before it.
   */
  async repairAudit(): Promise<AuditGap> {
    this.ctx.policy?.authorize(this.ctx.principal, REPAIR_ACTION, {});
    return this.ctx.store.repairAudit({ time: this.now().toISOString(), principal: this.ctx.principal, action: REPAIR_ACTION, resource: {}, outcome: 'Success' });
  }

  async listAudit(f: AuditFilter = {}): Promise<AuditRecord[]> {
    const records = filterAudit(parseAudit(await this.ctx.store.readAudit()), f);
    await audited(this.ctx, 'audit:List', {}, () => undefined);
    return records;
  }
}
