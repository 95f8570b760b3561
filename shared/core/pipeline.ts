/**
 * The operation pipeline: every Secrets Manager and KMS operation goes
 * through `run`, in one store transaction, in this order:
 *
 *   1. resolve   the caller's reference (a name, an id, an alias) to the
 *                canonical resource, its names and tags;
 *   2. authorize on those canonical names (so a Deny on `secret:prod/*`
 *                holds whether the secret is named by name or by id);
 *   3. run       the operation's body, which may authorize dependent
 *                actions (kms:Decrypt on the secret's key) as their own
 *                audited records;
 *   4. audit     the outcome — Success, Denied or Failure with its code —
 *                also when the body threw (the store appends audit records
 *                of a failed transaction and drops its writes).
 *
 * A reference that does not resolve is authorized on its raw form first, so
 * a caller who may not touch `secret:prod/*` learns AccessDenied, not
 * whether `prod/db` exists.
 */
import { randomUUID } from 'node:crypto';
import { HushError, isHushError } from '../errors';
import type { AuditContext } from '../audit/auditLog';
import type { AccessRequest, Authorizer, Caller, Decision, ResourceRef } from '../policy/access';
import type { Store, StoreTx } from '../store/store';

/** A resolved resource: what the audit records and what policy matches. */
export interface Target {
  /** Ids and names only (secretId, secretName, keyId, alias, versionId…). */
  readonly audit: Record<string, string>;
  readonly ref: ResourceRef;
}

/** What an operation's body gets. */
export interface Scope {
  readonly tx: StoreTx;
  readonly caller: Caller;
  /** The audit resource map of this operation; the body may add ids it learns (versionId, keyId). */
  readonly audit: Record<string, string>;
  now(): Date;
  /**
   * Authorizes a dependent action on another resource (kms:Decrypt on the
   * secret's CMK) and records it as its own audit record, whatever `f` does.
   */
  dependent<R>(action: string, target: Target, f: () => Promise<R>): Promise<R>;
}

export interface PipelineOptions {
  store: Store;
  caller: Caller;
  authorizer: Authorizer;
  clock: () => Date;
}

/** Canonical names of a raw reference, for deciding on references that do not resolve. */
export function rawTarget(audit: Record<string, string>): Target {
  const names: string[] = [];
  if (audit.secretName) names.push(`secret:${audit.secretName}`);
  if (audit.secretId) names.push(`secret:${audit.secretId}`);
  if (audit.keyId) names.push(`key:${audit.keyId}`);
  if (audit.alias) names.push(`key:${audit.alias}`);
  return { audit, ref: { names: names.length ? names : ['*'] } };
}

export function accessDenied(req: AccessRequest, d: Decision): HushError {
  const what = req.resource.names[0] ?? '*';
  return new HushError('AccessDenied', `${req.caller.principal} may not ${req.action} on ${what}: ${d.reason}`);
}

export class Pipeline {
  readonly store: Store;
  readonly caller: Caller;
  private readonly authorizer: Authorizer;
  readonly clock: () => Date;

  constructor(o: PipelineOptions) {
    this.store = o.store;
    this.caller = o.caller;
    this.authorizer = o.authorizer;
    this.clock = o.clock;
  }

  /** The same store, policy and clock, acting for another caller (one per request in `hush serve`). */
  forCaller(caller: Caller): Pipeline {
    return new Pipeline({ store: this.store, caller, authorizer: this.authorizer, clock: this.clock });
  }

  /** The decision for one request, without running anything (explain, simulate, UI hints). */
  decide(action: string, target: Target): Decision {
    return this.authorizer.decide({ caller: this.caller, action, resource: target.ref });
  }

  /** Decides; a Deny throws AccessDenied. The decision is kept in `ctx` for the audit record. */
  private check(action: string, target: Target, ctx: AuditContext): Decision {
    const req: AccessRequest = { caller: this.caller, action, resource: target.ref };
    const d = this.authorizer.decide(req);
    ctx.decision = d.effect;
    if (d.decidedBy?.policy) ctx.policy = d.decidedBy.policy;
    if (d.decidedBy?.sid) ctx.sid = d.decidedBy.sid;
    if (d.effect === 'Deny') throw accessDenied(req, d);
    return d;
  }

  private context(requestId: string): AuditContext {
    return { source: this.caller.source, host: this.caller.host, auth: this.caller.auth, requestId };
  }

  private record(tx: StoreTx, action: string, audit: Record<string, string>, ctx: AuditContext, e?: unknown): void {
    const base = { time: this.clock().toISOString(), principal: this.caller.principal, action, resource: { ...audit }, context: { ...ctx } };
    if (e === undefined) {
      tx.audit({ ...base, outcome: 'Success' });
      return;
    }
    const code = isHushError(e) ? e.code : 'Internal';
    tx.audit({ ...base, outcome: code === 'AccessDenied' ? 'Denied' : 'Failure', errorCode: code });
  }

  /**
   * Runs one operation (see the file comment). `resolve` returns the
   * canonical target, or undefined when the operation has no resource
   * (ListSecrets, CreateKey); it may throw SecretNotFound and the like.
   */
  run<T>(
    action: string,
    initial: Record<string, string>,
    resolve: ((tx: StoreTx) => Promise<Target | undefined>) | undefined,
    body: (s: Scope, target: Target) => Promise<T> | T,
  ): Promise<T> {
    const requestId = randomUUID();
    return this.store.transact(async (tx) => {
      await this.authorizer.refresh?.(tx);
      const audit: Record<string, string> = { ...initial };
      const ctx = this.context(requestId);
      let target: Target;
      try {
        const resolved = resolve ? await resolve(tx) : undefined;
        if (resolved) Object.assign(audit, resolved.audit);
        target = resolved ? { audit, ref: resolved.ref } : rawTarget(audit);
      } catch (e) {
        // Not resolvable: decide on the raw reference, so a denied caller learns nothing more.
        try {
          this.check(action, rawTarget(audit), ctx);
        } catch (denied) {
          this.record(tx, action, audit, ctx, denied);
          throw denied;
        }
        this.record(tx, action, audit, ctx, e);
        throw asHushError(e);
      }
      const scope: Scope = {
        tx,
        caller: this.caller,
        audit,
        now: () => this.clock(),
        dependent: async (depAction, depTarget, f) => {
          const depAudit = { ...depTarget.audit };
          const depCtx = this.context(requestId);
          try {
            this.check(depAction, depTarget, depCtx);
            const r = await f();
            this.record(tx, depAction, depAudit, depCtx);
            return r;
          } catch (e) {
            this.record(tx, depAction, depAudit, depCtx, e);
            throw e;
          }
        },
      };
      try {
        this.check(action, target, ctx);
        const r = await body(scope, target);
        this.record(tx, action, audit, ctx);
        return r;
      } catch (e) {
        this.record(tx, action, audit, ctx, e);
        throw asHushError(e);
      }
    });
  }
}

function asHushError(e: unknown): HushError {
  if (isHushError(e)) return e;
  return new HushError('Internal', (e as Error)?.message ?? String(e));
}
