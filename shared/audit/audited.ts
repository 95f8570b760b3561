/**
 * Runs one operation in one store transaction and audits it, whatever the
 * outcome: Success, Denied (AccessDenied) or Failure with the error code.
 * The policy check comes first, so a denied call touches nothing.
 */
import { HushError, isHushError } from '../errors';
import type { Store, StoreTx } from '../store/store';
import type { Policy } from '../policy/policy';

export interface CoreContext {
  store: Store;
  clock: () => Date;
  principal: string;
  policy?: Policy;
}

export async function audited<T>(
  ctx: CoreContext,
  action: string,
  resource: Record<string, string>,
  fn: (tx: StoreTx, resource: Record<string, string>) => Promise<T> | T,
): Promise<T> {
  return ctx.store.transact(async (tx) => {
    const res = { ...resource };
    try {
      ctx.policy?.authorize(ctx.principal, action, res);
      const r = await fn(tx, res);
      tx.audit({ time: ctx.clock().toISOString(), principal: ctx.principal, action, resource: res, outcome: 'Success' });
      return r;
    } catch (e) {
      const code = isHushError(e) ? e.code : 'Internal';
      tx.audit({
        time: ctx.clock().toISOString(),
        principal: ctx.principal,
        action,
        resource: res,
        outcome: code === 'AccessDenied' ? 'Denied' : 'Failure',
        errorCode: code,
      });
      if (isHushError(e)) throw e;
      throw new HushError('Internal', (e as Error).message);
    }
  });
}
