/**
 * The canonical targets of what the editor shows — the names and tags a
 * policy statement is matched against, exactly as the pipeline's resolve
 * step finds them (`secret:<name>`, `secret:<id>` and the tags; `key:<id>`
 * and `key:alias/…`) — read in one store transaction.
 *
 * This reads metadata only and is not an operation: the decisions it feeds
 * tell the views what to offer, and the core still decides, and audits, when
 * a command runs. A reference that does not resolve is decided on its raw
 * form, as the pipeline does.
 *
 * Loaded with the store (it needs the KMS and Secrets Manager modules).
 */
import { rawTarget, type Target } from '../shared/core/pipeline';
import { keyTarget } from '../shared/kms/kms';
import { secretTarget } from '../shared/secrets/secretsManager';
import type { AliasRecord, SecretRecord, Store, StoreTx } from '../shared/store/store';

const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SecretTargets {
  secret: Target;
  /** The secret's CMK (kms:Decrypt, kms:GenerateDataKey); absent when the secret does not resolve. */
  key?: Target;
}

export interface Targets {
  secrets: Map<string, SecretTargets>;
  keys: Map<string, Target>;
}

class Resolver {
  private aliases: AliasRecord[] | undefined;
  private readonly keys = new Map<string, Target>();

  constructor(private readonly tx: StoreTx) {}

  async key(ref: string): Promise<Target> {
    const hit = this.keys.get(ref);
    if (hit) return hit;
    this.aliases ??= await this.tx.listAliases();
    const id = ref.startsWith('alias/') ? this.aliases.find((a) => a.name === ref)?.keyId : ref;
    const k = id ? await this.tx.getKey(id) : undefined;
    const t = k ? keyTarget(k, this.aliases.filter((a) => a.keyId === k.id).map((a) => a.name).sort()) : rawTarget(ref.startsWith('alias/') ? { alias: ref } : { keyId: ref });
    this.keys.set(ref, t);
    return t;
  }

  async secret(ref: string): Promise<SecretRecord | undefined> {
    return ID_SHAPE.test(ref) ? ((await this.tx.getSecret(ref)) ?? (await this.tx.findSecretByName(ref))) : this.tx.findSecretByName(ref);
  }

  async secretTargets(ref: string): Promise<SecretTargets> {
    const s = await this.secret(ref);
    if (!s) return { secret: rawTarget({ secretName: ref }) };
    return { secret: secretTarget(s), key: await this.key(s.kmsKeyId) };
  }
}

export function resolveTargets(store: Store, secrets: readonly string[], keys: readonly string[]): Promise<Targets> {
  return store.transact(async (tx) => {
    const r = new Resolver(tx);
    const out: Targets = { secrets: new Map(), keys: new Map() };
    // One after the other: a team store's transaction is one connection.
    for (const name of new Set(secrets)) out.secrets.set(name, await r.secretTargets(name));
    for (const id of new Set(keys)) out.keys.set(id, await r.key(id));
    return out;
  });
}

/** A resource as a policy or an AccessDenied message names it: `secret:NAME`, `key:ID`, `key:alias/NAME`, or anything else as is. */
export function resolveResource(store: Store, resource: string): Promise<Target> {
  return store.transact(async (tx) => {
    const r = new Resolver(tx);
    if (resource.startsWith('secret:')) return (await r.secretTargets(resource.slice('secret:'.length))).secret;
    if (resource.startsWith('key:')) return r.key(resource.slice('key:'.length));
    return { audit: {}, ref: { names: [resource] } };
  });
}
