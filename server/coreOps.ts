/**
 * The server's side of the `CoreOps` table (shared/protocol.ts): one handler
 * per operation, each a thin call into the Secrets Manager. The type of the
 * table makes a missing or mistyped handler a compile error.
 */
import type { Connection } from 'vscode-languageserver/node';
import { HushError, isHushError } from '../shared/errors';
import type { AuditRecord } from '../shared/audit/auditLog';
import type { OpenedStore } from '../shared/compose/openStore';
import { describeRequests, notYetAllowed } from '../shared/consent/allowedSecrets';
import { MANIFEST_FILE, readManifest } from '../shared/move/manifest';
import { resolveManifest } from '../shared/move/resolve';
import type { KeyDescription } from '../shared/kms/kms';
import { AuditQuery, AuditRow, coreRequest, CoreOp, CoreParams, CoreResult, KeySummary, RotationStep, SecretInfo } from '../shared/protocol';
import type { SecretDescription, SecretsManager } from '../shared/secrets/secretsManager';
import { rotateSecret, rotationStatus, setRotationPolicy } from '../shared/secrets/rotation';
import { SecretsService } from './secretsService';

type Handlers = { [K in CoreOp]: (m: SecretsManager, p: CoreParams<K>) => Promise<CoreResult<K>> };

export function keySummary(k: KeyDescription): KeySummary {
  return {
    keyId: k.keyId,
    aliases: k.aliases,
    description: k.description,
    state: k.state,
    origin: k.origin,
    createdAt: k.createdAt,
    ...(k.deletionDate ? { deletionDate: k.deletionDate } : {}),
    isDefault: k.isDefault,
  };
}

/** Adds the key's alias and state, and rotation due dates, to what the core says of a secret. */
function secretInfo(s: Omit<SecretDescription, 'versions' | 'kmsKeyAliases'>, keys: Map<string, KeyDescription> | undefined, now: Date): SecretInfo {
  const key = keys?.get(s.kmsKeyId);
  const info: SecretInfo = {
    id: s.id,
    name: s.name,
    description: s.description,
    kmsKeyId: s.kmsKeyId,
    // Keys the member may not list are 'Unknown', not 'Deleted': the view does not flag them.
    keyState: keys ? (key?.state ?? 'Deleted') : 'Unknown',
    tags: s.tags,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(key?.aliases[0] ? { keyAlias: key.aliases[0] } : {}),
    ...(s.lastAccessedAt ? { lastAccessedAt: s.lastAccessedAt } : {}),
    ...(s.deletionDate ? { deletionDate: s.deletionDate } : {}),
  };
  const rotation = rotationStatus(s, now);
  return rotation ? { ...info, rotation } : info;
}

async function keyMap(m: SecretsManager): Promise<Map<string, KeyDescription>> {
  return new Map((await m.kms.listKeys({ includeDeleted: true })).map((k) => [k.keyId, k]));
}

/** The keys for the Secrets view, or undefined when policy does not let the member list them. */
async function keyMapIfAllowed(m: SecretsManager): Promise<Map<string, KeyDescription> | undefined> {
  try {
    return await keyMap(m);
  } catch (e) {
    if (isHushError(e) && e.code === 'AccessDenied') return undefined;
    throw e;
  }
}

function auditRow(r: AuditRecord): AuditRow {
  return {
    seq: r.seq,
    time: r.time,
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    outcome: r.outcome,
    ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    ...(r.context ? { context: { ...r.context } } : {}),
  };
}

/** The Audit view's filters (member, action or family, part of a resource, outcome) on one record. */
export function auditMatches(r: AuditRecord, q: AuditQuery): boolean {
  if (q.principal && r.principal !== q.principal) return false;
  if (q.outcome && r.outcome !== q.outcome) return false;
  if (q.action) {
    const a = q.action.toLowerCase();
    const have = r.action.toLowerCase();
    if (a.endsWith('*') ? !have.startsWith(a.slice(0, -1)) : have !== a) return false;
  }
  if (q.resource) {
    const part = q.resource.toLowerCase();
    if (!Object.values(r.resource).some((v) => String(v).toLowerCase().includes(part))) return false;
  }
  return true;
}

function positiveInt(n: number | undefined, what: string, min: number, max: number): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min || n > max) throw new HushError('InvalidArgument', `${what} must be a whole number from ${min} to ${max}`);
  return n;
}

export interface HandlerEnv {
  /** Folder a relative rotation hook path is resolved against when the rotation is set. */
  hookCwd(): string | undefined;
  /** Workspace Trust: hooks run only when trusted. */
  trusted(): boolean;
  /** Progress of a rotation, step by step. */
  onRotationStep(secretName: string, step: RotationStep): void;
  /** The open store (access decisions read the canonical names and tags from it). */
  opened(): Promise<OpenedStore>;
}

/** The access modules load with the store, not at server start (they need the KMS and Secrets Manager code). */
function access(): typeof import('./commandAccess') & typeof import('./explainAccess') {
  return { ...(require('./commandAccess') as typeof import('./commandAccess')), ...(require('./explainAccess') as typeof import('./explainAccess')) };
}

export function handlers(env: HandlerEnv): Handlers {
  return {
    'secrets/list': async (m, p) => {
      const keys = await keyMap(m);
      const out: SecretInfo[] = [];
      let nextToken: string | undefined;
      do {
        const page = await m.listSecrets({
          includePlannedDeletion: p.includePlannedDeletion ?? true,
          ...(p.tagKey ? { tagKey: p.tagKey } : {}),
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        });
        out.push(...page.secrets.map((s) => secretInfo(s, keys, new Date())));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    'secrets/page': async (m, p) => {
      const page = await m.listSecrets({
        includePlannedDeletion: p.includePlannedDeletion ?? true,
        ...(p.filter?.trim() ? { search: p.filter.trim() } : {}),
        ...(p.tagKey ? { tagKey: p.tagKey } : {}),
        maxResults: positiveInt(p.pageSize, 'The page size', 1, 100) ?? 100,
        ...(p.nextToken ? { nextToken: p.nextToken } : {}),
      });
      const keys = await keyMapIfAllowed(m);
      const now = new Date();
      return { secrets: page.secrets.map((s) => secretInfo(s, keys, now)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
    'secrets/describe': async (m, p) => {
      const d = await m.describeSecret(p.secretName);
      return { ...secretInfo(d, await keyMap(m), new Date()), versions: d.versions };
    },
    'secrets/reveal': async (m, p) => {
      const v = await m.getSecretValue(p.secretName, p.versionId ? { versionId: p.versionId } : {});
      if (v.secretString === undefined) {
        v.secretBinary?.fill(0);
        throw new HushError('InvalidArgument', `${p.secretName} holds a binary value; read it with 'hush secrets get ${p.secretName} > FILE'`);
      }
      return { value: v.secretString, versionId: v.versionId, versionStages: v.versionStages };
    },
    'secrets/create': async (m, p) => {
      const value = p.generate ? await m.getRandomPassword({ length: 32 }) : p.value;
      const r = await m.createSecret({
        name: p.name,
        ...(p.description ? { description: p.description } : {}),
        ...(p.kmsKeyId ? { kmsKeyId: p.kmsKeyId } : {}),
        ...(p.tags ? { tags: p.tags } : {}),
        ...(value !== undefined ? { value } : {}),
      });
      return { name: r.name, ...(r.versionId ? { versionId: r.versionId } : {}) };
    },
    'secrets/moveLabel': (m, p) =>
      m.updateSecretVersionStage(p.secretName, p.label, {
        ...(p.toVersionId ? { moveToVersionId: p.toVersionId } : {}),
        ...(p.fromVersionId ? { removeFromVersionId: p.fromVersionId } : {}),
      }),
    'secrets/delete': async (m, p) => {
      const r = await m.deleteSecret(
        p.secretName,
        p.force ? { forceDeleteWithoutRecovery: true } : { recoveryWindowInDays: positiveInt(p.recoveryDays, 'The recovery window', 7, 30) ?? 30 },
      );
      return { deletionDate: r.deletionDate };
    },
    'secrets/restore': async (m, p) => {
      await m.restoreSecret(p.secretName);
      return null;
    },
    'secrets/tag': async (m, p) => {
      if (p.tags && Object.keys(p.tags).length) await m.tagResource(p.secretName, p.tags);
      if (p.removeKeys?.length) await m.untagResource(p.secretName, p.removeKeys);
      return null;
    },
    'secrets/rotate': async (m, p) => {
      // A hook never runs in Restricted Mode: refuse before createSecret, so no PENDING version is left behind.
      if (!env.trusted() && (await m.describeSecret(p.secretName)).rotation?.hook) {
        throw new HushError(
          'UntrustedWorkspace',
          `the rotation of ${p.secretName} runs a hook, and hooks do not run in Restricted Mode. Nothing was changed. ` +
            `Trust the workspace, or rotate from a terminal with hush secrets rotate ${p.secretName}`,
        );
      }
      return rotateSecret(m, p.secretName, {
        allowHooks: env.trusted(),
        onStep: (s) => env.onRotationStep(p.secretName, s),
      });
    },
    'secrets/setRotation': async (m, p) => {
      await setRotationPolicy(m, p.secretName, {
        intervalDays: positiveInt(p.intervalDays, 'The rotation interval', 1, 1000) ?? 90,
        length: positiveInt(p.length, 'The password length', 8, 4096) ?? 32,
        excludePunctuation: p.excludePunctuation ?? false,
        ...(p.hook ? { hook: p.hook } : {}),
        ...(p.rotator ? { rotator: p.rotator } : {}),
        ...(p.strategy ? { strategy: p.strategy } : {}),
        ...(p.adminSecret ? { adminSecret: p.adminSecret } : {}),
      }, { ...(env.hookCwd() ? { baseDir: env.hookCwd() } : {}) });
      const d = await m.describeSecret(p.secretName);
      return secretInfo(d, await keyMap(m), new Date());
    },
    'keys/create': async (m, p) =>
      keySummary(
        await m.kms.createKey({
          ...(p.alias ? { alias: p.alias } : {}),
          ...(p.description ? { description: p.description } : {}),
          ...(p.origin ? { origin: p.origin } : {}),
        }),
      ),
    'keys/enable': async (m, p) => keySummary(await m.kms.enableKey(p.keyId)),
    'keys/disable': async (m, p) => keySummary(await m.kms.disableKey(p.keyId)),
    'keys/scheduleDeletion': async (m, p) => keySummary(await m.kms.scheduleKeyDeletion(p.keyId, positiveInt(p.days, 'The waiting period', 7, 30))),
    'keys/cancelDeletion': async (m, p) => keySummary(await m.kms.cancelKeyDeletion(p.keyId)),
    'keys/rotate': async (m, p) => keySummary(await m.kms.rotateKey(p.keyId)),
    'keys/importParameters': (m, p) => m.kms.getParametersForImport(p.keyId),
    'keys/import': async (m, p) =>
      keySummary(
        await m.kms.importKeyMaterial(p.keyId, p.importToken, Buffer.from(p.encryptedMaterial, 'base64'), p.validTo ? new Date(p.validTo) : undefined),
      ),
    'manifest/env': async (m, p) => {
      // The client asked the user already (client/manifestSecrets.ts); a value leaves the store only if they agreed.
      if (!env.trusted()) {
        throw new HushError('UntrustedWorkspace', `in Restricted Mode no secret goes to a terminal or a debug session; trust the workspace first`);
      }
      const manifest = readManifest(p.folder);
      const missing = notYetAllowed(p.folder, manifest);
      if (missing.length) {
        throw new HushError(
          'ConsentRequired',
          `${MANIFEST_FILE} in ${p.folder} names secrets not allowed for this folder: ${describeRequests(missing).join(', ')}. ` +
            `Allow them when Hush asks (Open Terminal with Secrets, a debug session) or with hush run in a terminal`,
        );
      }
      return { env: (await resolveManifest(m, manifest)).env };
    },
    'audit/list': async (m, p) => {
      const limit = positiveInt(p.limit, 'The record limit', 1, 10_000) ?? 200;
      if (p.outcome && !['Success', 'Denied', 'Failure'].includes(p.outcome)) throw new HushError('InvalidArgument', `the outcome filter is Success, Denied or Failure, not '${String(p.outcome).slice(0, 40)}'`);
      const rows = (await m.listAudit(p.secret ? { secret: p.secret } : {})).filter((r) => auditMatches(r, p));
      return rows.slice(-limit).reverse().map(auditRow);
    },
    'audit/verify': async (m) => {
      const v = await m.verifyAudit();
      return v.ok
        ? { ok: true, records: v.records, signed: v.signed, ...(v.gaps.length ? { gaps: v.gaps.map((g) => ({ from: g.from, to: g.to, principal: g.principal, time: g.time })) } : {}) }
        : { ok: false, records: v.records, line: v.line, ...(v.seq ? { seq: v.seq } : {}), reason: v.reason };
    },
    'access/decide': async (m, p) => access().decideCommands(m, await env.opened(), p),
    'access/explain': async (_m, p) => {
      if (typeof p.action !== 'string' || !p.action || typeof p.resource !== 'string' || !p.resource) throw new HushError('InvalidArgument', 'give the action and the resource to explain');
      return access().explainAccess(await env.opened(), p.action, p.resource);
    },
  };
}

/** Registers every op as `hush/<op>`; errors reach the client as `Code: message`. */
export function registerCoreOps(connection: Connection, secrets: SecretsService, table: Handlers): void {
  for (const op of Object.keys(table) as CoreOp[]) {
    const handler = table[op] as (m: SecretsManager, p: unknown) => Promise<unknown>;
    connection.onRequest(coreRequest(op), (params: unknown) => secrets.run((m) => handler(m, params ?? {})) as never);
  }
}
