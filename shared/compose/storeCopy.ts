/**
 * `hush store copy --from A --to B`: moves an embedded store's secrets into a
 * team store, or a team store's into a folder for a backup. Keys keep their
 * ids and material (re-sealed by the destination's vault: the root key of a
 * folder, HPKE to the copying member on a team store); the source's default
 * key maps to the destination's. Every version keeps its id, date and labels;
 * each value is decrypted from the source and re-encrypted in the
 * destination in memory, never written in clear. Both sides audit what they
 * did. A secret whose name the destination already has is skipped, so a
 * copy can be run again after an interruption.
 */
import { HushError } from '../errors';
import { DEFAULT_ALIAS } from '../kms/kms';
import type { SecretValue } from '../secrets/secretsManager';
import type { VersionRecord } from '../store/store';
import { openStore } from './openStore';

export interface CopyResult {
  from: string;
  to: string;
  keys: number;
  secrets: number;
  versions: number;
  /** Names not copied, with why. */
  skipped: string[];
}

export async function copyStore(o: { from: string; to: string; env?: NodeJS.ProcessEnv; onSecret?: (name: string) => void }): Promise<CopyResult> {
  const env = o.env ?? process.env;
  const src = await openStore({ path: o.from, env, create: false });
  try {
    const dst = await openStore({ path: o.to, env, create: true });
    try {
      if (src.manager.storeId === dst.manager.storeId) throw new HushError('InvalidArgument', 'the source and the destination are the same store');
      const result: CopyResult = { from: src.path, to: dst.path, keys: 0, secrets: 0, versions: 0, skipped: [] };
      const srcDefault = (await src.manager.kms.describeKey(DEFAULT_ALIAS)).keyId;
      const dstDefault = (await dst.manager.kms.describeKey(DEFAULT_ALIAS)).keyId;
      const keyMap = new Map<string, string>([[srcDefault, dstDefault]]);
      for (const k of await src.manager.kms.listKeys()) {
        if (k.keyId === srcDefault) continue;
        const copy = await src.manager.kms.exportKey(k.keyId);
        try {
          if (await dst.manager.kms.importKeyCopy(copy)) result.keys++;
        } finally {
          for (const m of copy.materials) m.bytes.fill(0);
        }
        keyMap.set(k.keyId, k.keyId);
      }
      let nextToken: string | undefined;
      do {
        const page = await src.manager.listSecrets({ maxResults: 100, includePlannedDeletion: true, ...(nextToken ? { nextToken } : {}) });
        for (const s of page.secrets) {
          const { secret, versions } = await src.manager.exportSecretRecords(s.id);
          const target = keyMap.get(secret.kmsKeyId);
          if (!target) {
            result.skipped.push(`${secret.name} (its key ${secret.kmsKeyId} is deleted)`);
            continue;
          }
          const values: { version: VersionRecord; value: SecretValue }[] = [];
          try {
            for (const v of [...versions].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
              const got = await src.manager.getSecretValue(secret.id, { versionId: v.id });
              values.push({ version: v, value: got.secretString ?? got.secretBinary! });
            }
            await dst.manager.importSecret(secret, target, values);
            result.secrets++;
            result.versions += values.length;
            o.onSecret?.(secret.name);
          } catch (e) {
            if (e instanceof HushError && (e.code === 'SecretExists' || e.code === 'NoGrant' || e.code.startsWith('Key'))) result.skipped.push(`${secret.name} (${e.code})`);
            else throw e;
          } finally {
            for (const x of values) if (typeof x.value !== 'string') x.value.fill(0);
          }
        }
        nextToken = page.nextToken;
      } while (nextToken);
      return result;
    } finally {
      await dst.manager.close();
    }
  } finally {
    await src.manager.close();
  }
}
