/**
 * The vocabulary of an access decision, shared by the operation pipeline
 * (which asks) and the policy engines (which answer): who is calling, what
 * they want to do, to which resource, and the answer with its reason.
 *
 * A resource is described by the canonical names a policy statement may
 * match — `secret:<name>` and `secret:<id>` for a secret, `key:<id>` and
 * `key:alias/<name>` for a key — after the caller's reference was resolved,
 * so naming a secret by its id or by its name gets the same decision.
 */
import { hostname, userInfo } from 'node:os';
import type { StoreTx } from '../store/store';

/** Where a request came from. */
export type Source = 'cli' | 'editor' | 'serve';

export interface Caller {
  /** The principal's name: a team member's name, or `user@host` on an embedded store. */
  readonly principal: string;
  /** Groups the principal belongs to (team store). */
  readonly groups: readonly string[];
  readonly source: Source;
  /** How the principal proved who they are: `root-key`, `identity`, `sigv4`. */
  readonly auth: string;
  readonly host: string;
}

export interface ResourceRef {
  /** Canonical names a statement's Resource may match (see the file comment). */
  readonly names: readonly string[];
  /** The resource's tags (secrets), for conditions. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface AccessRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: ResourceRef;
}

export interface Decision {
  readonly effect: 'Allow' | 'Deny';
  /** The statement that decided, if one did ("no statement allows it" otherwise). */
  readonly decidedBy?: { readonly policy?: string; readonly sid?: string };
  /** One line a user can act on: why. */
  readonly reason: string;
}

export interface Authorizer {
  decide(r: AccessRequest): Decision;
  /** Re-reads the policies inside an operation's transaction, before its first decision. */
  refresh?(tx: StoreTx): Promise<void>;
}

/** A single-user embedded store with no policy file: everything is allowed. */
export const ALLOW_ALL: Authorizer = {
  decide: () => ({ effect: 'Allow', reason: 'single-user store without a policy' }),
};

export function localPrincipal(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `uid:${process.getuid?.() ?? '?'}@${hostname()}`;
  }
}

export function localCaller(source: Source, principal = localPrincipal()): Caller {
  return { principal, groups: [], source, auth: 'root-key', host: hostname() };
}
