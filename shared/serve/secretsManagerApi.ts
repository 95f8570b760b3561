/**
 * The AWS Secrets Manager JSON 1.1 operations (`X-Amz-Target:
 * secretsmanager.<Operation>`) mapped onto Hush's Secrets Manager: field
 * names, ARNs, stage labels (AWSCURRENT ⇄ CURRENT), timestamps (epoch
 * seconds) and blobs (base64) as AWS's model has them. Every call goes to a
 * SecretsManager acting for the request's principal, so each one is
 * authorized and audited by the core like any other.
 */
import { HushError } from '../errors';
import type { ListSecretsOutput, SecretDescription, SecretsManager, SecretValue } from '../secrets/secretsManager';
import { rotateSecret, rotationStatus } from '../secrets/rotation';
import { keyArn, parseKeyId, parseSecretId, secretArn, suffixMatches } from './arn';
import { stageIn, stagesOut } from './awsStages';
import { ProtocolError } from './awsErrors';
import { epochSeconds, Fields } from './requestFields';

export interface SmContext {
  /** The Secrets Manager acting for this request's principal. */
  manager: SecretsManager;
  storeId: string;
  now(): Date;
}

type Op = (c: SmContext, f: Fields) => Promise<Record<string, unknown>>;
type Summary = ListSecretsOutput['secrets'][number];

const INVALID = 'InvalidParameterException';

function notFound(): HushError {
  return new HushError('SecretNotFound', "Secrets Manager can't find the specified secret.");
}

/** A SecretId as Hush's reference: a name or an id; a full ARN is checked against the secret it names first. */
async function secretRef(c: SmContext, secretId: string): Promise<string> {
  const r = parseSecretId(c.storeId, secretId);
  if (!r) throw notFound();
  if (r.suffix === undefined) return r.ref;
  const d = await c.manager.describeSecret(r.ref);
  if (!suffixMatches(r, d.id)) throw notFound();
  return d.id;
}

function keyRef(c: SmContext, keyId: string | undefined): string | undefined {
  if (keyId === undefined) return undefined;
  const k = parseKeyId(c.storeId, keyId);
  if (k === undefined) throw new HushError('KeyNotFound', `the KMS key ${keyId.slice(0, 200)} is not a key of this store`);
  return k;
}

/** SecretString or SecretBinary, exactly one (or none when `optional`). */
function valueOf(f: Fields, optional: boolean): SecretValue | undefined {
  const s = f.str('SecretString');
  const b = f.blob('SecretBinary');
  if (s !== undefined && b !== undefined) throw new ProtocolError(400, INVALID, 'give SecretString or SecretBinary, not both');
  if (s === undefined && b === undefined && !optional) throw new ProtocolError(400, INVALID, 'SecretString or SecretBinary is required');
  return s ?? b;
}

function tagsIn(f: Fields, field: string): Record<string, string> | undefined {
  const list = f.list(field, 50);
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const t of list) out[t.str('Key', true)] = t.str('Value') ?? '';
  return out;
}

function tagsOut(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function rotationFields(c: SmContext, s: Pick<Summary, 'rotation' | 'createdAt'>): Record<string, unknown> {
  const st = rotationStatus(s, c.now());
  if (!st) return { RotationEnabled: false };
  return {
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: st.intervalDays },
    ...(st.lastRotatedAt ? { LastRotatedDate: epochSeconds(st.lastRotatedAt) } : {}),
    NextRotationDate: epochSeconds(st.nextRotationDate),
  };
}

function entryOf(c: SmContext, s: Summary): Record<string, unknown> {
  return {
    ARN: secretArn(c.storeId, s),
    Name: s.name,
    ...(s.description ? { Description: s.description } : {}),
    KmsKeyId: keyArn(c.storeId, s.kmsKeyId),
    ...rotationFields(c, s),
    LastChangedDate: epochSeconds(s.updatedAt),
    ...(s.lastAccessedAt ? { LastAccessedDate: epochSeconds(s.lastAccessedAt) } : {}),
    ...(s.deletionDate ? { DeletedDate: epochSeconds(s.deletionDate) } : {}),
    Tags: tagsOut(s.tags),
    CreatedDate: epochSeconds(s.createdAt),
  };
}

function describeOut(c: SmContext, d: SecretDescription): Record<string, unknown> {
  const stages: Record<string, string[]> = {};
  for (const v of d.versions) stages[v.versionId] = stagesOut(v.versionStages);
  return { ...entryOf(c, d), VersionIdsToStages: stages };
}

// ---- ListSecrets filters, as AWS defines them -----------------------------------

interface Filter {
  key: string;
  values: string[];
}

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];

function filtersIn(f: Fields): Filter[] {
  return (f.list('Filters', 10) ?? []).map((x) => {
    const key = x.str('Key', true);
    if (!FILTER_KEYS.includes(key)) throw new ProtocolError(400, INVALID, `Filters Key must be one of ${FILTER_KEYS.join(', ')}, not '${key.slice(0, 40)}'`);
    const values = x.strList('Values', 10) ?? [];
    if (!values.length) throw new ProtocolError(400, INVALID, `the ${key} filter needs at least one value`);
    return { key, values };
  });
}

/** One filter value against a secret: prefix matches (description and `all` ignore case); `!` negates. */
function matchesValue(s: Summary, key: string, raw: string): boolean {
  const negate = raw.startsWith('!');
  const v = negate ? raw.slice(1) : raw;
  const prefix = (x: string) => x.startsWith(v);
  const iprefix = (x: string) => x.toLowerCase().startsWith(v.toLowerCase());
  let hit: boolean;
  switch (key) {
    case 'name':
      hit = prefix(s.name);
      break;
    case 'description':
      hit = iprefix(s.description);
      break;
    case 'tag-key':
      hit = Object.keys(s.tags).some(prefix);
      break;
    case 'tag-value':
      hit = Object.values(s.tags).some(prefix);
      break;
    case 'all': {
      const words = v.toLowerCase().split(/\s+/).filter(Boolean);
      const hay = [s.name, s.description, ...Object.keys(s.tags), ...Object.values(s.tags)].map((x) => x.toLowerCase());
      hit = words.every((w) => hay.some((h) => h.includes(w)));
      break;
    }
    default:
      hit = false; // primary-region, owning-service: a Hush secret has neither
  }
  return negate ? !hit : hit;
}

/** Keys are ANDed; a key's values are ORed. */
function matches(s: Summary, filters: Filter[]): boolean {
  return filters.every((flt) => flt.values.some((v) => matchesValue(s, flt.key, v)));
}

async function allSecrets(c: SmContext, includePlannedDeletion: boolean): Promise<Summary[]> {
  const out: Summary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await c.manager.listSecrets({ maxResults: 100, includePlannedDeletion, ...(nextToken ? { nextToken } : {}) });
    out.push(...page.secrets);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Paging tokens: the offset into the filtered, sorted list, opaque to clients. */
function tokenIn(f: Fields): number {
  const t = f.str('NextToken');
  if (t === undefined) return 0;
  const m = /^o(\d{1,9})$/.exec(Buffer.from(t, 'base64url').toString('utf8'));
  if (!m) throw new ProtocolError(400, 'InvalidNextTokenException', 'The NextToken value is invalid.');
  return Number(m[1]);
}

function tokenOut(offset: number): string {
  return Buffer.from(`o${offset}`, 'utf8').toString('base64url');
}

const SORT_FIELDS: Record<string, (s: Summary) => string> = {
  'created-date': (s) => s.createdAt,
  'last-changed-date': (s) => s.updatedAt,
  'last-accessed-date': (s) => s.lastAccessedAt ?? '',
  name: (s) => s.name,
};

async function listFiltered(c: SmContext, f: Fields, maxDefault: number, maxLimit: number): Promise<{ page: Summary[]; next?: string }> {
  const max = f.int('MaxResults', 1, maxLimit) ?? maxDefault;
  const filters = filtersIn(f);
  const order = f.str('SortOrder') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new ProtocolError(400, INVALID, `SortOrder is asc or desc, not '${order.slice(0, 20)}'`);
  const by = f.str('SortBy') ?? 'created-date';
  const key = SORT_FIELDS[by];
  if (!key) throw new ProtocolError(400, INVALID, `SortBy is one of ${Object.keys(SORT_FIELDS).join(', ')}`);
  const start = tokenIn(f);
  const dir = order === 'desc' ? -1 : 1;
  const all = (await allSecrets(c, f.bool('IncludePlannedDeletion') === true))
    .filter((s) => matches(s, filters))
    .sort((a, b) => dir * (key(a).localeCompare(key(b)) || a.id.localeCompare(b.id)));
  const page = all.slice(start, start + max);
  return { page, ...(start + max < all.length ? { next: tokenOut(start + max) } : {}) };
}

// ---- the operations -----------------------------------------------------------

async function getValue(c: SmContext, secretId: string, versionId?: string, versionStage?: string): Promise<Record<string, unknown>> {
  const ref = await secretRef(c, secretId);
  const v = await c.manager.getSecretValue(ref, { ...(versionId !== undefined ? { versionId } : {}), ...(versionStage !== undefined ? { versionStage: stageIn(versionStage) } : {}) });
  const out: Record<string, unknown> = {
    ARN: secretArn(c.storeId, v),
    Name: v.name,
    VersionId: v.versionId,
    VersionStages: stagesOut(v.versionStages),
    CreatedDate: epochSeconds(v.createdAt),
  };
  if (v.secretString !== undefined) out.SecretString = v.secretString;
  if (v.secretBinary !== undefined) {
    out.SecretBinary = v.secretBinary.toString('base64');
    v.secretBinary.fill(0);
  }
  return out;
}

export const SECRETS_MANAGER_OPERATIONS: Readonly<Record<string, Op>> = {
  async GetSecretValue(c, f) {
    return getValue(c, f.str('SecretId', true), f.str('VersionId'), f.str('VersionStage'));
  },

  async BatchGetSecretValue(c, f) {
    const ids = f.strList('SecretIdList', 20);
    if (ids && f.has('Filters')) throw new ProtocolError(400, INVALID, 'give SecretIdList or Filters, not both');
    if (!ids && !f.has('Filters')) throw new ProtocolError(400, INVALID, 'SecretIdList or Filters is required');
    let refs: string[];
    let next: string | undefined;
    if (ids) {
      refs = ids;
    } else {
      const r = await listFiltered(c, f, 20, 20);
      refs = r.page.map((s) => s.id);
      next = r.next;
    }
    const SecretValues: Record<string, unknown>[] = [];
    const Errors: { SecretId: string; ErrorCode: string; Message: string }[] = [];
    for (const id of refs) {
      try {
        SecretValues.push(await getValue(c, id));
      } catch (e) {
        if (!(e instanceof HushError)) throw e;
        const code = e.code === 'SecretNotFound' || e.code === 'VersionNotFound' ? 'ResourceNotFoundException' : e.code === 'AccessDenied' ? 'AccessDeniedException' : e.code === 'DecryptFailed' ? 'DecryptionFailure' : 'InvalidRequestException';
        Errors.push({ SecretId: id, ErrorCode: code, Message: e.message });
      }
    }
    return { SecretValues, Errors, ...(next ? { NextToken: next } : {}) };
  },

  async CreateSecret(c, f) {
    const name = f.str('Name', true);
    if (f.has('AddReplicaRegions')) throw new ProtocolError(400, INVALID, 'Hush has no replica regions');
    const value = valueOf(f, true);
    const kmsKeyId = keyRef(c, f.str('KmsKeyId'));
    const tags = tagsIn(f, 'Tags');
    const description = f.str('Description');
    const token = f.str('ClientRequestToken');
    const r = await c.manager.createSecret({
      name,
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      ...(tags ? { tags } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(token !== undefined && value !== undefined ? { clientRequestToken: token } : {}),
    });
    return { ARN: secretArn(c.storeId, r), Name: r.name, ...(r.versionId ? { VersionId: r.versionId } : {}) };
  },

  async PutSecretValue(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const value = valueOf(f, false)!;
    const token = f.str('ClientRequestToken');
    const stages = f.strList('VersionStages', 20);
    const r = await c.manager.putSecretValue(ref, value, {
      ...(token !== undefined ? { clientRequestToken: token } : {}),
      ...(stages ? { versionStages: stages.map(stageIn) } : {}),
    });
    return { ARN: secretArn(c.storeId, r), Name: r.name, VersionId: r.versionId, VersionStages: stagesOut(r.versionStages) };
  },

  async DescribeSecret(c, f) {
    return describeOut(c, await c.manager.describeSecret(await secretRef(c, f.str('SecretId', true))));
  },

  async ListSecrets(c, f) {
    const r = await listFiltered(c, f, 100, 100);
    return { SecretList: r.page.map((s) => entryOf(c, s)), ...(r.next ? { NextToken: r.next } : {}) };
  },

  async ListSecretVersionIds(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const max = f.int('MaxResults', 1, 100) ?? 100;
    const start = tokenIn(f);
    const d = await c.manager.describeSecret(ref);
    const all = (await c.manager.listSecretVersionIds(ref)).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.versionId.localeCompare(b.versionId));
    const withStages = f.bool('IncludeDeprecated') === true ? all : all.filter((v) => v.versionStages.length > 0);
    const page = withStages.slice(start, start + max);
    return {
      ARN: secretArn(c.storeId, d),
      Name: d.name,
      Versions: page.map((v) => ({ VersionId: v.versionId, VersionStages: stagesOut(v.versionStages), CreatedDate: epochSeconds(v.createdAt), KmsKeyIds: [keyArn(c.storeId, v.kmsKeyId)] })),
      ...(start + max < withStages.length ? { NextToken: tokenOut(start + max) } : {}),
    };
  },

  async UpdateSecret(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const value = valueOf(f, true);
    const kmsKeyId = keyRef(c, f.str('KmsKeyId'));
    const description = f.str('Description');
    const token = f.str('ClientRequestToken');
    const r = await c.manager.updateSecret(ref, {
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(token !== undefined && value !== undefined ? { clientRequestToken: token } : {}),
    });
    return { ARN: secretArn(c.storeId, r), Name: r.name, ...(r.versionId ? { VersionId: r.versionId } : {}) };
  },

  async UpdateSecretVersionStage(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const stage = stageIn(f.str('VersionStage', true));
    const moveTo = f.str('MoveToVersionId');
    const removeFrom = f.str('RemoveFromVersionId');
    await c.manager.updateSecretVersionStage(ref, stage, { ...(moveTo !== undefined ? { moveToVersionId: moveTo } : {}), ...(removeFrom !== undefined ? { removeFromVersionId: removeFrom } : {}) });
    const d = await c.manager.describeSecret(ref);
    return { ARN: secretArn(c.storeId, d), Name: d.name };
  },

  async DeleteSecret(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const days = f.int('RecoveryWindowInDays', -1_000_000, 1_000_000);
    const force = f.bool('ForceDeleteWithoutRecovery');
    const r = await c.manager.deleteSecret(ref, { ...(days !== undefined ? { recoveryWindowInDays: days } : {}), ...(force !== undefined ? { forceDeleteWithoutRecovery: force } : {}) });
    return { ARN: secretArn(c.storeId, r), Name: r.name, DeletionDate: epochSeconds(r.deletionDate) };
  },

  async RestoreSecret(c, f) {
    const r = await c.manager.restoreSecret(await secretRef(c, f.str('SecretId', true)));
    return { ARN: secretArn(c.storeId, r), Name: r.name };
  },

  async RotateSecret(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    if (f.has('RotationLambdaARN')) {
      throw new ProtocolError(400, INVALID, 'Hush rotates with the rotation set up in Hush (hush secrets rotation NAME …); there is no Lambda function to run here');
    }
    const rules = f.obj('RotationRules');
    let days = rules?.int('AutomaticallyAfterDays', 1, 1000);
    const expr = rules?.str('ScheduleExpression');
    if (expr !== undefined) {
      const m = /^rate\((\d{1,4}) days?\)$/.exec(expr.trim());
      if (!m) throw new ProtocolError(400, INVALID, "ScheduleExpression: Hush schedules take 'rate(N days)'");
      days = Number(m[1]);
    }
    let d = await c.manager.describeSecret(ref);
    if (days !== undefined) {
      const { lastRotatedAt: _l, ...kept } = d.rotation ?? { intervalDays: days, length: 32, excludePunctuation: false };
      await c.manager.setRotation(d.id, { ...kept, intervalDays: days });
      d = await c.manager.describeSecret(d.id);
    }
    let versionId: string | undefined;
    if (f.bool('RotateImmediately') ?? true) {
      if (d.rotation?.hook) {
        throw new HushError('PreconditionFailed', `secret '${d.name}' rotates with a hook, which hush serve does not run; rotate it from a terminal with 'hush secrets rotate ${d.name}'`);
      }
      const r = await rotateSecret(c.manager, d.id, { allowHooks: false });
      if (!r.ok) throw new HushError('PreconditionFailed', r.message ?? `the rotation of ${d.name} failed`);
      versionId = r.versionId;
    }
    return { ARN: secretArn(c.storeId, d), Name: d.name, ...(versionId ? { VersionId: versionId } : {}) };
  },

  async TagResource(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const tags = tagsIn(f, 'Tags');
    if (!tags) throw new ProtocolError(400, INVALID, 'Tags is required');
    await c.manager.tagResource(ref, tags);
    return {};
  },

  async UntagResource(c, f) {
    const ref = await secretRef(c, f.str('SecretId', true));
    const keys = f.strList('TagKeys', 50);
    if (!keys) throw new ProtocolError(400, INVALID, 'TagKeys is required');
    await c.manager.untagResource(ref, keys);
    return {};
  },

  async GetRandomPassword(c, f) {
    const length = f.int('PasswordLength', 1, 4096);
    const opts = {
      ...(length !== undefined ? { length } : {}),
      ...(f.has('ExcludeCharacters') ? { excludeCharacters: f.str('ExcludeCharacters')! } : {}),
      ...(f.has('ExcludeNumbers') ? { excludeNumbers: f.bool('ExcludeNumbers')! } : {}),
      ...(f.has('ExcludePunctuation') ? { excludePunctuation: f.bool('ExcludePunctuation')! } : {}),
      ...(f.has('ExcludeUppercase') ? { excludeUppercase: f.bool('ExcludeUppercase')! } : {}),
      ...(f.has('ExcludeLowercase') ? { excludeLowercase: f.bool('ExcludeLowercase')! } : {}),
      ...(f.has('IncludeSpace') ? { includeSpace: f.bool('IncludeSpace')! } : {}),
      ...(f.has('RequireEachIncludedType') ? { requireEachIncludedType: f.bool('RequireEachIncludedType')! } : {}),
    };
    return { RandomPassword: await c.manager.getRandomPassword(opts) };
  },
};
