/**
 * Where CMK material is kept sealed, and who can open it. The KMS asks the
 * vault and never sees how: the embedded store seals each material version
 * under a key derived from the store's root key (AES-256-GCM, the AAD naming
 * store, key and version); the team store seals it to every member granted
 * the key (HPKE, one copy each), so grants are cryptographic.
 */
import { HushError } from '../errors';
import { deriveKey, open, seal } from '../crypto/aead';
import type { KeyMaterialRecord, KeyRecord, StoreTx } from '../store/store';

export interface MaterialVault {
  /**
   * Seals a new material version of `keyId` for everyone who may use the key
   * (`previous`: the version it replaces, whose holders keep access).
   */
  sealMaterial(tx: StoreTx, keyId: string, version: number, bytes: Uint8Array, previous?: KeyMaterialRecord): Promise<Omit<KeyMaterialRecord, 'createdAt' | 'expiresAt'>>;
  /** Opens a material version; throws a HushError naming the key when this caller cannot. */
  openMaterial(tx: StoreTx, key: KeyRecord, m: KeyMaterialRecord): Promise<Buffer>;
  /** Seals a blob for this caller only (BYOK import private keys). */
  sealPrivate(aad: string, bytes: Uint8Array): Promise<string>;
  openPrivate(aad: string, sealed: string): Promise<Buffer>;
}

/** The embedded store's vault: everything under sub-keys of the one root key. */
export class RootKeyVault implements MaterialVault {
  private readonly key: Buffer;

  constructor(
    rootKey: Uint8Array,
    private readonly storeId: string,
  ) {
    this.key = deriveKey(rootKey, storeId, 'cmk-material');
  }

  private aad(keyId: string, version: number): string {
    return `hush/cmk/${this.storeId}/${keyId}/v${version}`;
  }

  async sealMaterial(_tx: StoreTx, keyId: string, version: number, bytes: Uint8Array): Promise<Omit<KeyMaterialRecord, 'createdAt' | 'expiresAt'>> {
    return { version, sealed: seal(this.key, bytes, this.aad(keyId, version)) };
  }

  async openMaterial(_tx: StoreTx, k: KeyRecord, m: KeyMaterialRecord): Promise<Buffer> {
    if (m.sealed === undefined) throw new HushError('CorruptStore', `CMK ${k.id} version ${m.version} has no material sealed under this store's root key`);
    try {
      return open(this.key, m.sealed, this.aad(k.id, m.version));
    } catch {
      throw new HushError('CorruptStore', `the material of CMK ${k.id} version ${m.version} fails its integrity check`);
    }
  }

  async sealPrivate(aad: string, bytes: Uint8Array): Promise<string> {
    return seal(this.key, bytes, aad);
  }

  async openPrivate(aad: string, sealed: string): Promise<Buffer> {
    return open(this.key, sealed, aad);
  }
}
