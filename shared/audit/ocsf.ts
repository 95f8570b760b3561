/**
 * Audit records as OCSF events for a SIEM: class API Activity (6003) of the
 * Open Cybersecurity Schema Framework, version 1.3.0 (schema.ocsf.io). One
 * Hush audit record becomes one event; the chain's verification status and
 * the record's place in it travel in `unmapped.hush`, so a SIEM can tell a
 * record it can trust from one after a broken or repaired part of the chain.
 * Never a value: the records hold none.
 */
import type { AuditRecord } from './auditLog';

export const OCSF_VERSION = '1.3.0';

/** Whether the chain vouches for a record: verified, verified after a repaired gap, or past the first broken record. */
export type ChainStatus = 'verified' | 'repaired' | 'unverified';

const ACTIVITY: { id: number; name: string; test: RegExp }[] = [
  { id: 1, name: 'Create', test: /^(Create|Put|Import|Generate|Add|Attach|Encrypt)/ },
  { id: 2, name: 'Read', test: /^(Get|Describe|List|Decrypt|Verify|Export|Simulate)/ },
  { id: 4, name: 'Delete', test: /^(Delete|Remove|Revoke|Detach)/ },
  { id: 3, name: 'Update', test: /^(Update|Tag|Untag|Enable|Disable|Rotate|Set|Restore|Cancel|Schedule|Repair|Recover|Change|Fill|ReEncrypt)/ },
];

function activityOf(action: string): { id: number; name: string } {
  const op = action.split(':')[1] ?? action;
  const a = ACTIVITY.find((x) => x.test.test(op));
  return a ? { id: a.id, name: a.name } : { id: 99, name: 'Other' };
}

export interface OcsfOptions {
  storeId: string;
  productVersion: string;
  chain: ChainStatus;
}

export function toOcsf(r: AuditRecord, o: OcsfOptions): Record<string, unknown> {
  const activity = activityOf(r.action);
  const ctx = r.context;
  const failed = r.outcome !== 'Success';
  const resources: Record<string, unknown>[] = [];
  if (r.resource.secretId || r.resource.secretName) resources.push({ type: 'Secret', ...(r.resource.secretId ? { uid: r.resource.secretId } : {}), ...(r.resource.secretName ? { name: r.resource.secretName } : {}) });
  if (r.resource.keyId || r.resource.alias) resources.push({ type: 'Key', ...(r.resource.keyId ? { uid: r.resource.keyId } : {}), ...(r.resource.alias ? { name: r.resource.alias } : {}) });
  for (const k of ['member', 'group', 'policy'] as const) if (r.resource[k]) resources.push({ type: k[0]!.toUpperCase() + k.slice(1), name: r.resource[k] });
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: 6,
    category_name: 'Application Activity',
    class_uid: 6003,
    class_name: 'API Activity',
    type_uid: 600300 + activity.id,
    type_name: `API Activity: ${activity.name}`,
    severity_id: r.outcome === 'Denied' ? 3 : failed ? 2 : 1,
    severity: r.outcome === 'Denied' ? 'Medium' : failed ? 'Low' : 'Informational',
    time: Date.parse(r.time),
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    ...(r.errorCode ? { status_code: r.errorCode } : {}),
    ...(r.outcome === 'Denied' ? { status_detail: 'Denied by access policy' } : {}),
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Hush', vendor_name: 'Hush', version: o.productVersion },
      uid: `${o.storeId}:${r.seq}`,
      sequence: r.seq,
      log_name: 'hush-audit',
      original_time: r.time,
      ...(ctx?.requestId ? { correlation_uid: ctx.requestId } : {}),
    },
    actor: {
      user: { name: r.principal, type_id: 1, type: 'User' },
      app_name: 'Hush',
      ...(ctx?.decision
        ? { authorizations: [{ decision: ctx.decision, ...(ctx.policy ? { policy: { name: ctx.policy, ...(ctx.sid ? { uid: ctx.sid } : {}) } } : {}) }] }
        : {}),
    },
    api: {
      operation: r.action,
      service: { name: r.action.split(':')[0] ?? 'hush' },
      ...(ctx?.requestId ? { request: { uid: ctx.requestId } } : {}),
      ...(r.errorCode ? { response: { error: r.errorCode } } : {}),
    },
    src_endpoint: { ...(ctx?.host ? { hostname: ctx.host } : {}), name: ctx?.source ?? 'unknown' },
    cloud: { provider: 'Hush', account: { uid: o.storeId } },
    ...(resources.length ? { resources } : {}),
    unmapped: {
      hush: {
        chain: { seq: r.seq, hash: r.hash, prev: r.prev, status: o.chain },
        ...(ctx?.auth ? { auth: ctx.auth } : {}),
        resource: r.resource,
      },
    },
  };
}
