/**
 * The Secrets Manager: one class, used by the CLI, the language server and
 * `hush serve` alike. Semantics follow AWS Secrets Manager (and Alibaba Cloud
 * KMS Secrets Manager): versions with stage labels, CURRENT on exactly one
 * version, idempotent puts by client request token, compare-and-set on
 * CURRENT, deletion with a recovery window.
 *
 * Every call is one run of the operation pipeline (core/pipeline.ts):
 * resolve the reference to the canonical secret → authorize → run (the KMS
 * gate and the envelope inside the same transaction) → audit. Values exist in
 * plaintext only in the caller's hands and briefly in this module; they are
 * never logged, never in an error and never in the audit. The manager is
 * built by the composition root (compose/openStore.ts), never by callers.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { HushError } from '../errors';
import { AuditFilter, AuditGap, AuditRecord, AuditVerdict, filterAudit, parseAudit, REPAIR_ACTION, verifyAudit } from '../audit/auditLog';
import { DEFAULT_ALIAS, keyHintOf, Kms, materialRef } from '../kms/kms';
import type { Pipeline, Scope, Target } from '../core/pipeline';
import type { Caller, Decision } from '../policy/access';
import type { RotationRecord, SecretRecord, StoreTx, VersionRecord } from '../store/store';
import { CURRENT, holderOf, labelsForPut, moveLabel, prunable } from './stageLabels';
import { randomPassword, RandomPasswordOptions } from './randomPassword';

export { CURRENT, PREVIOUS, PENDING } from './stageLabels';

/** AWS's limit: 65536 bytes of SecretString or SecretBinary. */
export const MAX_VALUE_BYTES = 65_536;
const DAY_MS = 86_400_000;

export type SecretValue = string | Uint8Array;

export interface SecretsManagerOptions {
  pipeline: Pipeline;
  kms: Kms;
  /** MAC key of the audit chain (verify checks the signatures with it). */
  auditKey: Uint8Array;
}

/**
 * What the editor needs to recognise stored values in code without holding
 * them: every CURRENT value's fingerprint → its secret's name, the value
 * lengths, and the function that fingerprints a literal under every key in
 * play (one HMAC per CMK material version).
 */
export interface FingerprintIndex {
  readonly names: ReadonlyMap<string, string>;
  readonly lengths: ReadonlySet<number>;
  fingerprints(value: string): string[];
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
  /** Substring of the name or of the description, case-insensitive (the editor's filter box). */
  search?: string;
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

/** The audit map and policy names of a secret (canonical: its current name and its id). */
export function secretTarget(s: SecretRecord): Target {
  return {
    audit: { secretId: s.id, secretName: s.name },
    ref: { names: [`secret:${s.name}`, `secret:${s.id}`], tags: { ...s.tags } },
  };
}

export class SecretsManager {
  readonly kms: Kms;
  private readonly pipeline: Pipeline;
  private readonly auditKey: Uint8Array;

  constructor(o: SecretsManagerOptions) {
    this.pipeline = o.pipeline;
    this.kms = o.kms;
    this.auditKey = o.auditKey;
  }

  get storeId(): string {
    return this.pipeline.store.storeId;
  }

  /**
   * This Secrets Manager acting for another caller: same store, vault and
   * policy; every operation authorized and audited as `caller` (an
   * application principal of `hush serve`, say). Note that on a team store
   * the vault still opens key material with this process's member identity.
   */
  forCaller(caller: Caller): SecretsManager {
    const kms = this.kms.forCaller(caller);
    return new SecretsManager({ pipeline: this.pipeline.forCaller(caller), kms, auditKey: this.auditKey });
  }

  /** Who calls, where from and how authenticated. */
  get caller(): Caller {
    return this.pipeline.caller;
  }

  /**
   * The decision this caller would get for `action` on `target`, without
   * running anything (what the editor may offer). Policies as of the last
   * operation: call it right after one.
   */
  decide(action: string, target: Target): Decision {
    return this.pipeline.decide(action, target);
  }

  /** Who this manager acts as (the audit's principal). */
  get principal(): string {
    return this.pipeline.caller.principal;
  }

  private now(): Date {
    return this.pipeline.clock();
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.pipeline.store.close();
  }

  // ---- helpers inside a transaction -----------------------------------------

  private async housekeep(tx: StoreTx): Promise<void> {
    await this.kms.housekeepIn(tx);
    for (const s of await tx.secretsDueForDeletion(this.now().toISOString())) await tx.deleteSecret(s.id);
  }

  /** A secret by name, or by id when the reference has an id's shape; one whose deletion date passed is gone. */
  private async find(tx: StoreTx, ref: string): Promise<SecretRecord> {
    // An id-shaped reference is an id (such names are refused; one made before that is still found by name).
    const s = ID_SHAPE.test(ref) ? ((await tx.getSecret(ref)) ?? (await tx.findSecretByName(ref))) : await tx.findSecretByName(ref);
    if (!s) throw new HushError('SecretNotFound', `no secret named '${ref}'; list them with 'hush secrets list'`);
    if (s.deletionDate && Date.parse(s.deletionDate) <= this.now().getTime()) {
      throw new HushError('SecretNotFound', `secret '${ref}' was deleted on ${s.deletionDate}`);
    }
    return s;
  }

  private async live(tx: StoreTx, ref: string): Promise<SecretRecord> {
    const s = await this.find(tx, ref);
    if (s.deletionDate) {
      throw new HushError(
        'SecretScheduledForDeletion',
        `secret '${s.name}' is scheduled for deletion on ${s.deletionDate}; restore it first (hush secrets restore ${s.name})`,
      );
    }
    return s;
  }

  /** Runs an operation on one existing secret: resolved (by name or id) before it is authorized. */
  private onSecret<T>(action: string, ref: string, extra: Record<string, string>, body: (scope: Scope, s: SecretRecord) => Promise<T>): Promise<T> {
    return this.pipeline.run(
      action,
      { secretName: ref, ...extra },
      async (tx) => secretTarget(await this.find(tx, ref)),
      async (scope) => body(scope, await this.find(scope.tx, ref)),
    );
  }

  private context(secretId: string, versionId: string): Record<string, string> {
    return { store: this.storeId, secret: secretId, version: versionId };
  }

  private async putIn(scope: Scope, s: SecretRecord, value: SecretValue, o: PutSecretValueOptions): Promise<{ versionId: string; versionStages: string[] }> {
    const { tx, audit } = scope;
    const { bytes, type } = toBytes(value);
    try {
      if (o.clientRequestToken !== undefined) checkToken(o.clientRequestToken);
      const versionId = o.clientRequestToken ?? randomUUID();
      audit.versionId = versionId;
      const existing = await tx.getVersion(s.id, versionId);
      if (existing) {
        // Idempotent retry: same token and same value is the same version.
        const old = await this.kms.openFor(scope, existing.kmsKeyId, Buffer.from(existing.ciphertext, 'base64'), this.context(s.id, versionId));
        const same = old.length === bytes.length && timingSafeEqual(old, bytes) && existing.type === type;
        old.fill(0);
        if (!same) {
          throw new HushError('IdempotencyConflict', `client request token ${versionId} was already used with a different value; use a new token`);
        }
        return { versionId, versionStages: existing.labels };
      }
      const versions = await tx.listVersions(s.id);
      if (o.expectCurrentVersionId !== undefined) {
        const cur = holderOf(versions, CURRENT);
        if (cur?.id !== o.expectCurrentVersionId) {
          throw new HushError(
            'PreconditionFailed',
            `secret '${s.name}' has CURRENT on version ${cur?.id ?? '(none)'}, not ${o.expectCurrentVersionId}: another writer got there first; read it again and retry`,
          );
        }
      }
      const sealed = await this.kms.sealFor(scope, s.kmsKeyId, bytes, this.context(s.id, versionId));
      const fresh: VersionRecord = {
        id: versionId,
        createdAt: this.now().toISOString(),
        kmsKeyId: sealed.keyId,
        ciphertext: sealed.ciphertext.toString('base64'),
        type,
        labels: [],
        ...(typeof value === 'string' ? { fingerprint: sealed.fingerprint, fingerprintMaterial: sealed.materialVersion, valueLength: value.length } : {}),
      };
      const all = [...versions, fresh];
      const changed = labelsForPut(all, versionId, o.versionStages ?? [CURRENT]);
      const byId = new Map(all.map((v) => [v.id, v]));
      for (const c of changed) byId.set(c.id, c);
      if (!changed.some((c) => c.id === versionId)) await tx.putVersion(s.id, fresh);
      for (const c of changed) await tx.putVersion(s.id, c);
      for (const p of prunable([...byId.values()])) await tx.deleteVersion(s.id, p.id);
      await tx.putSecret({ ...s, updatedAt: fresh.createdAt });
      return { versionId, versionStages: byId.get(versionId)!.labels };
    } finally {
      bytes.fill(0);
    }
  }

  private async describeIn(tx: StoreTx, s: SecretRecord): Promise<SecretDescription> {
    return {
      ...this.summary(s),
      kmsKeyAliases: await this.kms.aliasesOfIn(tx, s.kmsKeyId),
      versions: (await tx.listVersions(s.id)).map(versionSummary),
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
    const target: Target = { audit: { secretName: i.name }, ref: { names: [`secret:${i.name}`], tags: { ...(i.tags ?? {}) } } };
    return this.pipeline.run('secrets:CreateSecret', { secretName: i.name }, async () => target, async (scope) => {
      const { tx, audit } = scope;
      await this.housekeep(tx);
      checkName(i.name);
      if (i.tags) checkTags(i.tags);
      const clash = await tx.findSecretByName(i.name);
      if (clash) {
        throw new HushError(
          'SecretExists',
          clash.deletionDate
            ? `secret '${i.name}' exists and is scheduled for deletion on ${clash.deletionDate}; restore it or pick another name`
            : `a secret named '${i.name}' already exists; put a new value with 'hush secrets put ${i.name}'`,
        );
      }
      const key = await this.kms.resolveIn(tx, i.kmsKeyId ?? DEFAULT_ALIAS);
      audit.keyId = key.id;
      const now = this.now().toISOString();
      const s: SecretRecord = { id: randomUUID(), name: i.name, description: i.description ?? '', kmsKeyId: key.id, tags: { ...(i.tags ?? {}) }, createdAt: now, updatedAt: now };
      audit.secretId = s.id;
      await tx.putSecret(s);
      if (i.value === undefined) return { id: s.id, name: s.name };
      const { versionId } = await this.putIn(scope, s, i.value, i.clientRequestToken ? { clientRequestToken: i.clientRequestToken } : {});
      return { id: s.id, name: s.name, versionId };
    });
  }

  getSecretValue(ref: string, o: { versionId?: string; versionStage?: string } = {}): Promise<GetSecretValueOutput> {
    return this.onSecret('secrets:GetSecretValue', ref, {}, async (scope) => {
      const { tx, audit } = scope;
      const s = await this.live(tx, ref);
      let v: VersionRecord | undefined;
      if (o.versionId !== undefined) {
        v = await tx.getVersion(s.id, o.versionId);
        if (!v) throw new HushError('VersionNotFound', `secret '${s.name}' has no version ${o.versionId}`);
        if (o.versionStage !== undefined && !v.labels.includes(o.versionStage)) {
          throw new HushError('InvalidArgument', `version ${o.versionId} does not carry the label ${o.versionStage}`);
        }
      } else {
        const stage = o.versionStage ?? CURRENT;
        v = holderOf(await tx.listVersions(s.id), stage);
        if (!v) throw new HushError('VersionNotFound', `secret '${s.name}' has no version labelled ${stage}${stage === CURRENT ? ' (it has no value yet)' : ''}`);
      }
      audit.versionId = v.id;
      const plain = await this.kms.openFor(scope, v.kmsKeyId, Buffer.from(v.ciphertext, 'base64'), this.context(s.id, v.id));
      const today = this.now().toISOString().slice(0, 10);
      // Day granularity, like AWS: one metadata write per secret per day, not per read.
      if (s.lastAccessedAt?.slice(0, 10) !== today && !this.pipeline.store.readOnly) await tx.putSecret({ ...s, lastAccessedAt: `${today}T00:00:00.000Z` });
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
    return this.onSecret('secrets:PutSecretValue', ref, {}, async (scope) => {
      await this.housekeep(scope.tx);
      const s = await this.live(scope.tx, ref);
      const r = await this.putIn(scope, s, value, o);
      return { id: s.id, name: s.name, ...r };
    });
  }

  updateSecret(ref: string, o: { description?: string; kmsKeyId?: string; value?: SecretValue; clientRequestToken?: string }): Promise<SecretRef> {
    return this.onSecret('secrets:UpdateSecret', ref, {}, async (scope) => {
      const { tx, audit } = scope;
      await this.housekeep(tx);
      let s = await this.live(tx, ref);
      if (o.kmsKeyId !== undefined) {
        const k = await this.kms.resolveIn(tx, o.kmsKeyId);
        audit.keyId = k.id;
        s = { ...s, kmsKeyId: k.id };
      }
      if (o.description !== undefined) s = { ...s, description: o.description };
      s = { ...s, updatedAt: this.now().toISOString() };
      await tx.putSecret(s);
      if (o.value === undefined) return { id: s.id, name: s.name };
      const r = await this.putIn(scope, s, o.value, o.clientRequestToken ? { clientRequestToken: o.clientRequestToken } : {});
      return { id: s.id, name: s.name, versionId: r.versionId };
    });
  }

  updateSecretVersionStage(ref: string, label: string, o: { moveToVersionId?: string; removeFromVersionId?: string }): Promise<VersionSummary[]> {
    return this.onSecret('secrets:UpdateSecretVersionStage', ref, { label }, async ({ tx }) => {
      await this.housekeep(tx);
      const s = await this.live(tx, ref);
      const changed = moveLabel(await tx.listVersions(s.id), label, o.moveToVersionId, o.removeFromVersionId);
      for (const c of changed) await tx.putVersion(s.id, c);
      for (const p of prunable(await tx.listVersions(s.id))) await tx.deleteVersion(s.id, p.id);
      await tx.putSecret({ ...s, updatedAt: this.now().toISOString() });
      return (await tx.listVersions(s.id)).map(versionSummary);
    });
  }

  describeSecret(ref: string): Promise<SecretDescription> {
    return this.onSecret('secrets:DescribeSecret', ref, {}, async ({ tx }, s) => this.describeIn(tx, s));
  }

  listSecretVersionIds(ref: string): Promise<VersionSummary[]> {
    return this.onSecret('secrets:ListSecretVersionIds', ref, {}, async ({ tx }) => (await this.describeIn(tx, await this.live(tx, ref))).versions);
  }

  listSecrets(i: ListSecretsInput = {}): Promise<ListSecretsOutput> {
    return this.pipeline.run('secrets:ListSecrets', {}, undefined, async ({ tx }) => {
      const max = i.maxResults ?? 100;
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new HushError('InvalidArgument', 'maxResults is 1 to 100');
      let start = 0;
      if (i.nextToken !== undefined) {
        const n = Number(Buffer.from(i.nextToken, 'base64url').toString('utf8').replace(/^o:/, ''));
        if (!Number.isInteger(n) || n < 0) throw new HushError('InvalidArgument', 'the paging token is not valid');
        start = n;
      }
      const page = await tx.querySecrets({
        ...(i.name !== undefined ? { namePrefix: i.name } : {}),
        ...(i.description !== undefined ? { descriptionContains: i.description } : {}),
        ...(i.search !== undefined ? { search: i.search } : {}),
        ...(i.tagKey !== undefined ? { tagKey: i.tagKey } : {}),
        ...(i.tagValue !== undefined ? { tagValue: i.tagValue } : {}),
        includePlannedDeletion: i.includePlannedDeletion === true,
        now: this.now().toISOString(),
        sortBy: i.sortBy ?? 'name',
        sortOrder: i.sortOrder ?? 'asc',
        offset: start,
        limit: max,
      });
      const out: ListSecretsOutput = { secrets: page.secrets.map((s) => this.summary(s)) };
      if (page.more) out.nextToken = Buffer.from(`o:${start + max}`).toString('base64url');
      return out;
    });
  }

  deleteSecret(ref: string, o: { recoveryWindowInDays?: number; forceDeleteWithoutRecovery?: boolean } = {}): Promise<{ id: string; name: string; deletionDate: string }> {
    return this.onSecret('secrets:DeleteSecret', ref, {}, async ({ tx }) => {
      await this.housekeep(tx);
      const s = await this.find(tx, ref);
      if (o.forceDeleteWithoutRecovery && o.recoveryWindowInDays !== undefined) {
        throw new HushError('InvalidArgument', 'give either a recovery window or force, not both');
      }
      if (o.forceDeleteWithoutRecovery) {
        await tx.deleteSecret(s.id);
        return { id: s.id, name: s.name, deletionDate: this.now().toISOString() };
      }
      const days = o.recoveryWindowInDays ?? 30;
      if (!Number.isInteger(days) || days < 7 || days > 30) throw new HushError('InvalidArgument', `the recovery window is 7 to 30 days, not ${days}`);
      if (s.deletionDate) throw new HushError('SecretScheduledForDeletion', `secret '${s.name}' is already scheduled for deletion on ${s.deletionDate}`);
      const deletionDate = new Date(this.now().getTime() + days * DAY_MS).toISOString();
      await tx.putSecret({ ...s, deletionDate });
      return { id: s.id, name: s.name, deletionDate };
    });
  }

  restoreSecret(ref: string): Promise<SecretRef> {
    return this.onSecret('secrets:RestoreSecret', ref, {}, async ({ tx }) => {
      await this.housekeep(tx);
      const s = await this.find(tx, ref);
      if (!s.deletionDate) throw new HushError('InvalidArgument', `secret '${s.name}' is not scheduled for deletion`);
      const next: SecretRecord = { ...s, updatedAt: this.now().toISOString() };
      delete next.deletionDate;
      await tx.putSecret(next);
      return { id: s.id, name: s.name };
    });
  }

  tagResource(ref: string, tags: Record<string, string>): Promise<void> {
    return this.onSecret('secrets:TagResource', ref, {}, async ({ tx }) => {
      const s = await this.live(tx, ref);
      const next = { ...s.tags, ...tags };
      checkTags(next);
      await tx.putSecret({ ...s, tags: next, updatedAt: this.now().toISOString() });
    });
  }

  untagResource(ref: string, keys: string[]): Promise<void> {
    return this.onSecret('secrets:UntagResource', ref, {}, async ({ tx }) => {
      const s = await this.live(tx, ref);
      const next = { ...s.tags };
      for (const k of keys) delete next[k];
      await tx.putSecret({ ...s, tags: next, updatedAt: this.now().toISOString() });
    });
  }

  /** Sets (or, with undefined, removes) the rotation schedule, generator and hook of a secret. */
  setRotation(ref: string, policy: Omit<RotationRecord, 'lastRotatedAt'> | undefined): Promise<void> {
    return this.onSecret('secrets:SetRotation', ref, {}, async ({ tx }) => {
      const s = await this.live(tx, ref);
      const { rotation: old, ...rest } = s;
      const next: SecretRecord = policy
        ? { ...rest, rotation: { ...policy, ...(old?.lastRotatedAt ? { lastRotatedAt: old.lastRotatedAt } : {}) } }
        : rest;
      await tx.putSecret({ ...next, updatedAt: this.now().toISOString() });
    });
  }

  /** Records a finished rotation (RotateSecret's last step). */
  markRotated(ref: string): Promise<void> {
    return this.onSecret('secrets:RotateSecret', ref, {}, async ({ tx }) => {
      const s = await this.live(tx, ref);
      const now = this.now().toISOString();
      await tx.putSecret({ ...s, rotation: { intervalDays: 90, ...s.rotation, lastRotatedAt: now }, updatedAt: now });
    });
  }

  /**
   * Writes a secret copied from another store (hush store copy): its record,
   * and each version with its id, date and labels, every value re-encrypted
   * here under `kmsKeyId`. Refused when the name is taken; a clashing id gets
   * a new one.
   */
  importSecret(s: SecretRecord, kmsKeyId: string, versions: { version: VersionRecord; value: SecretValue }[]): Promise<SecretRef> {
    const target: Target = { audit: { secretName: s.name }, ref: { names: [`secret:${s.name}`], tags: { ...s.tags } } };
    return this.pipeline.run('secrets:ImportSecret', { secretName: s.name }, async () => target, async (scope) => {
      const { tx, audit } = scope;
      checkName(s.name);
      if (await tx.findSecretByName(s.name)) throw new HushError('SecretExists', `a secret named '${s.name}' already exists here`);
      const key = await this.kms.resolveIn(tx, kmsKeyId);
      const id = (await tx.getSecret(s.id)) ? randomUUID() : s.id;
      audit.secretId = id;
      audit.keyId = key.id;
      const record: SecretRecord = { ...s, id, kmsKeyId: key.id };
      await tx.putSecret(record);
      for (const { version: v, value } of versions) {
        const { bytes } = toBytes(value);
        try {
          const sealed = await this.kms.sealFor(scope, key.id, bytes, this.context(id, v.id));
          await tx.putVersion(id, {
            id: v.id,
            createdAt: v.createdAt,
            kmsKeyId: sealed.keyId,
            ciphertext: sealed.ciphertext.toString('base64'),
            type: v.type,
            labels: [...v.labels],
            ...(typeof value === 'string' ? { fingerprint: sealed.fingerprint, fingerprintMaterial: sealed.materialVersion, valueLength: value.length } : {}),
          });
        } finally {
          bytes.fill(0);
        }
      }
      return { id, name: s.name };
    });
  }

  /** The stored records of a secret and its versions (metadata and ciphertext; hush store copy). */
  exportSecretRecords(ref: string): Promise<{ secret: SecretRecord; versions: VersionRecord[] }> {
    return this.onSecret('secrets:DescribeSecret', ref, {}, async ({ tx }, s) => ({ secret: s, versions: await tx.listVersions(s.id) }));
  }

  getRandomPassword(o: RandomPasswordOptions = {}): Promise<string> {
    return this.pipeline.run('secrets:GetRandomPassword', {}, undefined, () => randomPassword(o));
  }

  // ---- fingerprints ---------------------------------------------------------------

  /**
   * The fingerprints of every live secret's CURRENT value, read from the
   * store without decrypting any value (one audited listing). Secrets under a
   * CMK this caller may not use are left out. `missing` counts CURRENT string
   * versions written before fingerprints existed: fillFingerprints() computes
   * them, once.
   */
  listFingerprints(): Promise<{ index: FingerprintIndex; missing: number }> {
    return this.pipeline.run('secrets:ListFingerprints', {}, undefined, async ({ tx }) => {
      const found: { name: string; fingerprint: string; valueLength: number; ref: string }[] = [];
      let missing = 0;
      const current = new Map((await tx.listVersionsLabelled(CURRENT)).map((x) => [x.secretId, x.version]));
      for (const s of await tx.listSecrets()) {
        if (s.deletionDate) continue;
        const v = current.get(s.id);
        if (!v || v.type !== 'string') continue;
        if (v.fingerprint === undefined || v.valueLength === undefined || v.fingerprintMaterial === undefined) {
          missing++;
          continue;
        }
        found.push({ name: s.name, fingerprint: v.fingerprint, valueLength: v.valueLength, ref: materialRef(v.kmsKeyId, v.fingerprintMaterial) });
      }
      const keys = await this.kms.fingerprintKeysIn(tx, found.map((f) => f.ref));
      const names = new Map<string, string>();
      const lengths = new Set<number>();
      for (const f of found) {
        if (!keys.has(f.ref)) continue;
        names.set(f.fingerprint, f.name);
        lengths.add(f.valueLength);
      }
      const hmacKeys = [...keys.values()];
      return {
        index: { names, lengths, fingerprints: (value: string) => hmacKeys.map((k) => createHmac('sha256', k).update(value, 'utf8').digest('base64url')) },
        missing,
      };
    });
  }

  /**
   * The explicit, one-time step for stores from before fingerprints: decrypts
   * each string version that has none (each read audited as kms:Decrypt, the
   * whole as secrets:FillFingerprints) and stores its fingerprint.
   */
  fillFingerprints(): Promise<{ filled: number; failed: { name: string; code: string }[] }> {
    return this.pipeline.run('secrets:FillFingerprints', {}, undefined, async (scope) => {
      const { tx } = scope;
      let filled = 0;
      const failed: { name: string; code: string }[] = [];
      for (const s of await tx.listSecrets()) {
        for (const v of await tx.listVersions(s.id)) {
          if (v.type !== 'string' || v.fingerprint !== undefined) continue;
          const ciphertext = Buffer.from(v.ciphertext, 'base64');
          const hint = keyHintOf(ciphertext);
          let plain: Buffer | undefined;
          try {
            if (!hint) throw new HushError('DecryptFailed', 'not a Hush ciphertext');
            plain = await this.kms.openFor(scope, v.kmsKeyId, ciphertext, this.context(s.id, v.id));
            const ref = materialRef(hint.keyId, hint.version);
            const key = (await this.kms.fingerprintKeysIn(tx, [ref])).get(ref);
            if (!key) throw new HushError('AccessDenied', `no fingerprint key for ${ref}`);
            const fingerprint = createHmac('sha256', key).update(plain).digest('base64url');
            key.fill(0);
            await tx.putVersion(s.id, { ...v, fingerprint, fingerprintMaterial: hint.version, valueLength: plain.toString('utf8').length });
            filled++;
          } catch (e) {
            failed.push({ name: s.name, code: e instanceof HushError ? e.code : 'Internal' });
          } finally {
            plain?.fill(0);
          }
        }
      }
      scope.audit.filled = String(filled);
      return { filled, failed };
    });
  }

  // ---- audit --------------------------------------------------------------------

  /** Checks the whole chain, the signatures and the anchor; the check itself is audited. */
  async verifyAudit(): Promise<AuditVerdict> {
    const store = this.pipeline.store;
    const anchor = await store.auditAnchor();
    const lines = await store.readAudit();
    const verdict = verifyAudit(lines, this.auditKey, anchor);
    if (verdict.ok) {
      await this.pipeline.run('audit:Verify', {}, undefined, () => undefined);
    }
    return verdict;
  }

  /**
   * The audit records between `since` and `until` with, for each, whether
   * the chain vouches for it (verified; verified since a repaired gap; or
   * after the first broken record). For a SIEM (hush audit export);
   * audited as audit:Export (once per export: `--follow` polls with
   * `audited: false`, or every poll would append a record to follow).
   */
  async exportAudit(f: { since?: Date; until?: Date; afterSeq?: number; audited?: boolean } = {}): Promise<{ records: AuditRecord[]; status: Map<number, 'verified' | 'repaired' | 'unverified'> }> {
    if (f.audited !== false) await this.pipeline.run('audit:Export', {}, undefined, () => undefined);
    const store = this.pipeline.store;
    const lines = await store.readAudit();
    const verdict = verifyAudit(lines, this.auditKey, await store.auditAnchor());
    const all = parseAudit(lines);
    const firstGap = all.find((r) => r.action === REPAIR_ACTION)?.seq;
    const brokenAt = verdict.ok ? Infinity : verdict.line; // 1-based line of the first broken record
    const status = new Map<number, 'verified' | 'repaired' | 'unverified'>();
    all.forEach((r, i) => status.set(r.seq, i + 1 >= brokenAt ? 'unverified' : firstGap !== undefined && r.seq >= firstGap ? 'repaired' : 'verified'));
    const records = filterAudit(all, { ...(f.since ? { since: f.since } : {}), ...(f.until ? { until: f.until } : {}) }).filter((r) => f.afterSeq === undefined || r.seq > f.afterSeq);
    return { records, status };
  }

  /**
   * Continues a broken audit chain with a signed record of the gap (which
   * records were lost, when, by whom). Authorized like any operation; it is
   * its own audit record, since nothing else can be appended before it.
   */
  async repairAudit(): Promise<AuditGap> {
    const caller = this.pipeline.caller;
    const d = this.pipeline.decide(REPAIR_ACTION, { audit: {}, ref: { names: ['*'] } });
    if (d.effect === 'Deny') throw new HushError('AccessDenied', `${caller.principal} may not ${REPAIR_ACTION}: ${d.reason}`);
    if (!this.pipeline.store.repairAudit) throw new HushError('InvalidArgument', `${this.pipeline.store.location} keeps its audit chain in the database; there is nothing to repair here`);
    return this.pipeline.store.repairAudit({ time: this.now().toISOString(), principal: caller.principal, action: REPAIR_ACTION, resource: {}, outcome: 'Success' });
  }

  async listAudit(f: AuditFilter = {}): Promise<AuditRecord[]> {
    const records = filterAudit(parseAudit(await this.pipeline.store.readAudit()), f);
    await this.pipeline.run('audit:List', {}, undefined, () => undefined);
    return records;
  }
}

function versionSummary(v: VersionRecord): VersionSummary {
  return { versionId: v.id, versionStages: v.labels, createdAt: v.createdAt, kmsKeyId: v.kmsKeyId };
}
