/**
 * What the member may do from the sidebar: for each command on a secret or
 * a key, the actions the core will authorize when it runs (reading a value
 * is secrets:GetSecretValue on the secret and kms:Decrypt on its key;
 * writing one needs kms:GenerateDataKey too), decided here with the same
 * decision function (`Pipeline.decide`, through `SecretsManager.decide`).
 * The views hide what is denied and say why in the tooltip; the core still
 * enforces when a command runs anyway (from the palette, the CLI).
 *
 * Loaded with the store (server/coreOps.ts requires it on first use).
 */
import type { Target } from '../shared/core/pipeline';
import type { OpenedStore } from '../shared/compose/openStore';
import type { AccessDecisions, Denial, KeyVerb, SecretVerb } from '../shared/protocol';
import type { SecretsManager } from '../shared/secrets/secretsManager';
import { resolveTargets } from './accessTargets';

/** Where an action applies: the secret, its CMK, or no resource (`*`, as the pipeline names it). */
type On = 'secret' | 'key' | 'none';

/** The actions each command needs, in the order the core checks them (the first denied one is the reason). */
export const SECRET_COMMAND_ACTIONS: Record<SecretVerb, readonly (readonly [string, On])[]> = {
  describe: [['secrets:DescribeSecret', 'secret']],
  reveal: [
    ['secrets:GetSecretValue', 'secret'],
    ['kms:Decrypt', 'key'],
  ],
  putValue: [
    ['secrets:PutSecretValue', 'secret'],
    ['kms:GenerateDataKey', 'key'],
  ],
  // shared/secrets/rotation.ts: describe, a random value, a PENDING put, the labels moved, the rotation recorded.
  rotate: [
    ['secrets:DescribeSecret', 'secret'],
    ['secrets:GetRandomPassword', 'none'],
    ['secrets:PutSecretValue', 'secret'],
    ['kms:GenerateDataKey', 'key'],
    ['secrets:UpdateSecretVersionStage', 'secret'],
    ['secrets:RotateSecret', 'secret'],
  ],
  setRotation: [['secrets:SetRotation', 'secret']],
  moveLabel: [['secrets:UpdateSecretVersionStage', 'secret']],
  tag: [['secrets:TagResource', 'secret']],
  delete: [['secrets:DeleteSecret', 'secret']],
  restore: [['secrets:RestoreSecret', 'secret']],
};

export const KEY_COMMAND_ACTIONS: Record<KeyVerb, readonly string[]> = {
  enable: ['kms:EnableKey'],
  disable: ['kms:DisableKey'],
  rotate: ['kms:RotateKey'],
  scheduleDeletion: ['kms:ScheduleKeyDeletion'],
  cancelDeletion: ['kms:CancelKeyDeletion'],
  import: ['kms:GetParametersForImport', 'kms:ImportKeyMaterial'],
};

const NO_RESOURCE: Target = { audit: {}, ref: { names: ['*'] } };

export async function decideCommands(m: SecretsManager, opened: OpenedStore, p: { secrets?: string[]; keys?: string[] }): Promise<AccessDecisions> {
  const secrets = p.secrets ?? [];
  const keys = p.keys ?? [];
  const targets = await resolveTargets(opened.store, secrets, keys);
  // Decisions are taken on the policies as of the last operation, which re-read them inside its
  // transaction as every operation does: the views ask right after listing (a page, the keys).
  const memo = new Map<string, Denial | null>();
  const denial = (action: string, t: Target): Denial | undefined => {
    const k = `${action}\u0000${t.ref.names.join('\u0000')}\u0000${JSON.stringify(t.ref.tags ?? {})}`;
    let d = memo.get(k);
    if (d === undefined) {
      const r = m.decide(action, t);
      d =
        r.effect === 'Allow'
          ? null
          : { action, resource: t.ref.names[0] ?? '*', reason: r.reason, ...(r.decidedBy?.policy ? { policy: r.decidedBy.policy } : {}), ...(r.decidedBy?.sid ? { sid: r.decidedBy.sid } : {}) };
      memo.set(k, d);
    }
    return d ?? undefined;
  };
  const out: AccessDecisions = { principal: m.principal, secrets: {}, keys: {} };
  for (const name of secrets) {
    const t = targets.secrets.get(name)!;
    const denied: Partial<Record<SecretVerb, Denial>> = {};
    for (const [verb, actions] of Object.entries(SECRET_COMMAND_ACTIONS) as [SecretVerb, (typeof SECRET_COMMAND_ACTIONS)[SecretVerb]][]) {
      for (const [action, on] of actions) {
        const target = on === 'secret' ? t.secret : on === 'key' ? t.key : NO_RESOURCE;
        if (!target) continue; // a secret that does not resolve: its key is unknown, the secret's own decision stands
        const d = denial(action, target);
        if (d) {
          denied[verb] = d;
          break;
        }
      }
    }
    out.secrets[name] = denied;
  }
  for (const id of keys) {
    const t = targets.keys.get(id)!;
    const denied: Partial<Record<KeyVerb, Denial>> = {};
    for (const [verb, actions] of Object.entries(KEY_COMMAND_ACTIONS) as [KeyVerb, readonly string[]][]) {
      for (const action of actions) {
        const d = denial(action, t);
        if (d) {
          denied[verb] = d;
          break;
        }
      }
    }
    out.keys[id] = denied;
  }
  return out;
}
