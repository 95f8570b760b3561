/**
 * `hush store recover --to DIR` for an embedded store: the store layer
 * salvages every intact record into a new folder (store/storeRecovery.ts);
 * this proves each version intact by decrypting it with the store's root
 * key — the vault and the envelope, no audit (the recovery is audited as one
 * record) — and the ones that fail are left out and listed.
 */
import { HushError } from '../errors';
import { openEnvelope, WrappingKey } from '../crypto/envelope';
import { keyHintOf } from '../kms/kms';
import { RootKeyVault } from '../kms/materialVault';
import type { FreshnessAnchor } from '../store/freshnessAnchor';
import type { StoreHeader } from '../store/storeHeader';
import { recoverStore, RecoveryReport } from '../store/storeRecovery';

export function recoverEmbeddedStore(
  from: string,
  to: string,
  header: StoreHeader,
  rootKey: Uint8Array,
  anchor: FreshnessAnchor,
  who: { principal: string; time: string },
): Promise<RecoveryReport> {
  const vault = new RootKeyVault(rootKey, header.storeId);
  return recoverStore(from, to, header, rootKey, anchor, who, async (tx, s, v) => {
    const k = await tx.getKey(v.kmsKeyId);
    if (!k) throw new HushError('KeyNotFound', `its CMK ${v.kmsKeyId} is not in the store`);
    if (k.deletedAt) throw new HushError('KeyDeleted', `its CMK ${k.id} was deleted`); // not damage: counted as intact
    const ciphertext = Buffer.from(v.ciphertext, 'base64');
    const hint = keyHintOf(ciphertext);
    const keys: WrappingKey[] = [];
    try {
      for (const m of k.materials.filter((x) => !hint || x.version === hint.version)) {
        keys.push({ keyId: k.id, materialVersion: m.version, material: await vault.openMaterial(tx, k, m) });
      }
      (await openEnvelope(keys, ciphertext, { store: header.storeId, secret: s.id, version: v.id })).fill(0);
    } finally {
      for (const w of keys) w.material.fill(0);
    }
  });
}
