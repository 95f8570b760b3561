/**
 * The access keys of `hush serve`: an application gets an access key id and
 * a secret access key (AWS Signature Version 4 credentials) and its requests
 * then act as the principal `app:NAME`, under access policy like any member.
 *
 * The secret is needed in clear to check a signature (SigV4 is an HMAC, not
 * a public-key scheme), so it cannot be stored as a hash: it is sealed by the
 * store's KMS, one ESDK message under the default CMK whose encryption
 * context names the store and the key id (a sealed secret copied onto another
 * record does not open). It is shown once, when created.
 *
 * Creating, listing, revoking and opening keys are operations of the
 * pipeline like any other: authorized and audited (`serve:*`, with the
 * kms:GenerateDataKey / kms:Decrypt on the CMK as their own records).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { HushError } from '../errors';
import { DEFAULT_ALIAS, Kms } from '../kms/kms';
import type { Pipeline, Target } from '../core/pipeline';
import type { CredentialRecord } from '../store/store';

/** Requests signed with a key issued to NAME act as this principal. */
export function appPrincipal(name: string): string {
  return `app:${name}`;
}

export interface IssuedCredential {
  accessKeyId: string;
  /** Shown once; never stored in clear. */
  secretAccessKey: string;
  name: string;
  createdAt: string;
}

/** A key as listed: everything but the sealed secret. */
export type CredentialSummary = Omit<CredentialRecord, 'sealedSecret' | 'kmsKeyId'>;

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const KEY_ID = /^HUSH[A-Z2-7]{16}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `HUSH` and 16 base32 characters: the length and alphabet of an AWS access key id, a prefix no AWS key has. */
function newAccessKeyId(): string {
  let s = 'HUSH';
  for (let i = 0; i < 16; i++) s += BASE32[randomInt(32)];
  return s;
}

export function isAccessKeyId(s: string): boolean {
  return KEY_ID.test(s);
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new HushError('InvalidArgument', `an application name is 1 to 64 letters, digits or . _ @ -, not '${name.slice(0, 80)}'`);
}

function summary(c: CredentialRecord): CredentialSummary {
  const { sealedSecret: _s, kmsKeyId: _k, ...rest } = c;
  return rest;
}

function credentialTarget(c: { accessKeyId?: string; name?: string }): Target {
  const audit: Record<string, string> = {};
  const names: string[] = [];
  if (c.name) {
    audit.credentialName = c.name;
    names.push(`credential:${c.name}`);
  }
  if (c.accessKeyId) {
    audit.accessKeyId = c.accessKeyId;
    names.push(`credential:${c.accessKeyId}`);
  }
  return { audit, ref: { names: names.length ? names : ['*'] } };
}

export class Credentials {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly kms: Kms,
  ) {}

  private context(accessKeyId: string): Record<string, string> {
    return { store: this.pipeline.store.storeId, accessKeyId, purpose: 'hush-serve-credential' };
  }

  /** Issues a new key for the application NAME (a name may hold several keys, for rolling them). */
  create(name: string): Promise<IssuedCredential> {
    return this.pipeline.run('serve:CreateCredential', { credentialName: name }, async () => credentialTarget({ name }), async (scope) => {
      checkName(name);
      let accessKeyId = newAccessKeyId();
      while (await scope.tx.getCredential(accessKeyId)) accessKeyId = newAccessKeyId();
      scope.audit.accessKeyId = accessKeyId;
      // 30 random bytes: 40 base64 characters, the length of an AWS secret access key.
      const secret = Buffer.from(randomBytes(30).toString('base64'), 'utf8');
      try {
        const sealed = await this.kms.sealFor(scope, DEFAULT_ALIAS, secret, this.context(accessKeyId));
        const createdAt = scope.now().toISOString();
        await scope.tx.putCredential({
          accessKeyId,
          name,
          createdAt,
          createdBy: scope.caller.principal,
          kmsKeyId: sealed.keyId,
          sealedSecret: sealed.ciphertext.toString('base64'),
        });
        return { accessKeyId, secretAccessKey: secret.toString('utf8'), name, createdAt };
      } finally {
        secret.fill(0);
      }
    });
  }

  list(): Promise<CredentialSummary[]> {
    return this.pipeline.run('serve:ListCredentials', {}, undefined, async ({ tx }) =>
      (await tx.listCredentials()).sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt)).map(summary),
    );
  }

  /** Revokes one key (by its id) or every live key of an application (by its name); returns those revoked. */
  revoke(ref: string): Promise<CredentialSummary[]> {
    const byId = isAccessKeyId(ref);
    const initial: Record<string, string> = byId ? { accessKeyId: ref } : { credentialName: ref };
    return this.pipeline.run(
      'serve:RevokeCredential',
      initial,
      async (tx) => {
        const all = await tx.listCredentials();
        const hit = all.filter((c) => (byId ? c.accessKeyId === ref : c.name === ref));
        if (!hit.length) throw new HushError('NotFound', `no access key ${byId ? ref : `of an application named '${ref}'`}; list them with 'hush serve credentials list'`);
        return credentialTarget(byId ? hit[0]! : { name: ref });
      },
      async ({ tx, now }) => {
        const all = await tx.listCredentials();
        const live = all.filter((c) => (byId ? c.accessKeyId === ref : c.name === ref) && !c.revokedAt);
        if (!live.length) throw new HushError('InvalidArgument', `${byId ? `access key ${ref}` : `application '${ref}'`} has no live key: it was already revoked`);
        const at = now().toISOString();
        for (const c of live) await tx.putCredential({ ...c, revokedAt: at });
        return live.map((c) => summary({ ...c, revokedAt: at }));
      },
    );
  }

  /**
   * The secret of a live key, for checking signatures (`hush serve` keeps it
   * in memory); undefined for an unknown or revoked key. Audited, with the
   * kms:Decrypt that opens it.
   */
  open(accessKeyId: string): Promise<{ credential: CredentialSummary; secret: Buffer } | undefined> {
    return this.pipeline.run('serve:OpenCredential', { accessKeyId }, undefined, async (scope) => {
      const c = await scope.tx.getCredential(accessKeyId);
      if (!c || c.revokedAt) return undefined;
      scope.audit.credentialName = c.name;
      const secret = await this.kms.openFor(scope, c.kmsKeyId, Buffer.from(c.sealedSecret, 'base64'), this.context(accessKeyId));
      return { credential: summary(c), secret };
    });
  }
}
