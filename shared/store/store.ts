/**
 * The store interface: what the Secrets Manager and the KMS need from any
 * storage, and nothing more, so a PostgreSQL team store can follow the
 * embedded file store. Everything in it is ciphertext or metadata; no record
 * type below has a field for a plaintext value or a root key.
 *
 * One method does all the work: `transact(fn)` runs `fn` with a consistent
 * view that no other writer (thread, process) changes meanwhile, and commits
 * its writes atomically and durably when `fn` returns. If `fn` throws, its
 * writes are dropped but its audit events are still appended: denied and
 * failed operations are audited too. (PostgreSQL: one SERIALIZABLE
 * transaction, or SELECT … FOR UPDATE on the rows read; the audit table in the
 * same transaction.)
 *
 * Freshness: a store keeps, outside itself and beside the root key, the
 * newest state this user has seen (store/freshnessAnchor.ts), and refuses to
 * open behind it (StoreRolledBack). While its audit chain does not verify,
 * `transact` refuses every call that would append to it (AuditBroken) until
 * `repairAudit` records the gap.
 */
import type { AuditAnchor, AuditEvent, AuditGap } from '../audit/auditLog';
import type { SecretPage, SecretQuery } from './secretQuery';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type KeyOrigin = 'HUSH' | 'EXTERNAL';

export interface KeyMaterialRecord {
  version: number;
  /** Embedded store: the 32-byte material, sealed under the root key (AAD names store, key and version). */
  sealed?: string;
  /** Team store: the material sealed to each member granted the key (member id → HPKE message, base64). */
  sealedTo?: Record<string, string>;
  createdAt: string;
  /** Imported material only: after this instant the key is PendingImport. */
  expiresAt?: string;
}

export interface KeyRecord {
  id: string;
  description: string;
  createdAt: string;
  origin: KeyOrigin;
  /** Stored state; the effective state also depends on the clock (see kms/keyState.ts). */
  state: KeyState;
  deletionDate?: string;
  /** Set once the deletion date has passed and the material was destroyed. */
  deletedAt?: string;
  isDefault: boolean;
  materials: KeyMaterialRecord[];
  rotatedAt?: string;
}

export interface AliasRecord {
  name: string; // alias/…
  keyId: string;
  createdAt: string;
}

export interface ImportParametersRecord {
  token: string;
  keyId: string;
  /** RSA-3072 private key (PKCS#8 DER), sealed under the root key. */
  sealedPrivateKey: string;
  publicKey: string; // SPKI DER, base64
  expiresAt: string;
}

export interface RotationRecord {
  intervalDays: number;
  lastRotatedAt?: string;
  /** Generator of new values (GetRandomPassword options). */
  length?: number;
  excludePunctuation?: boolean;
  /** Absolute path of an executable that applies and tests a new value (setSecret/testSecret). */
  hook?: string;
  /** Built-in database rotator: the value is database credentials (JSON) whose password it changes. */
  rotator?: 'postgres' | 'mysql';
  /** single: one user changes its password; alternating: two users, flipped each rotation. */
  strategy?: 'single' | 'alternating';
  /** Name of the secret holding admin credentials (required for alternating). */
  adminSecret?: string;
}

export interface SecretRecord {
  id: string;
  name: string;
  description: string;
  kmsKeyId: string;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  lastAccessedAt?: string;
  deletionDate?: string;
  rotation?: RotationRecord;
}

export interface VersionRecord {
  id: string;
  createdAt: string;
  kmsKeyId: string;
  /** One ESDK message, base64. */
  ciphertext: string;
  type: 'string' | 'binary';
  labels: string[];
  /**
   * Keyed fingerprint of the value (HMAC-SHA256, base64url, under a key
   * derived from the CMK material version that wrapped it), computed when the
   * version is written, so a literal equal to a stored value is recognised
   * without decrypting anything, and only by those who can use the CMK.
   * Absent on versions written before fingerprints existed.
   */
  fingerprint?: string;
  /** The CMK material version the fingerprint key comes from. */
  fingerprintMaterial?: number;
  /** Length of the value in UTF-16 units (string values with a fingerprint only). */
  valueLength?: number;
}

/**
 * An access key of `hush serve` (AWS Signature Version 4): an application
 * principal's key id and its secret access key, the secret sealed by the
 * store's KMS (an ESDK message under the default CMK, its encryption context
 * naming the store and the key id), never stored in clear. Revoked keys stay,
 * so the audit can still name them and an id is never reused.
 */
export interface CredentialRecord {
  /** `HUSH…`, 20 characters, like an AWS access key id. */
  accessKeyId: string;
  /** The application it was issued to; requests with it act as principal `app:NAME`. */
  name: string;
  createdAt: string;
  /** Who issued it (the audit's principal). */
  createdBy: string;
  revokedAt?: string;
  /** The CMK the secret is sealed under. */
  kmsKeyId: string;
  /** The secret access key, one ESDK message, base64. */
  sealedSecret: string;
}

/**
 * A consistent view plus writes. Records are plain JSON values; treat them as
 * immutable. Reads are asynchronous because a store may answer them from a
 * database (the team store); writes are buffered and committed together when
 * the transaction's function returns.
 */
export interface StoreTx {
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  putKey(k: KeyRecord): Promise<void>;

  getAlias(name: string): Promise<AliasRecord | undefined>;
  listAliases(): Promise<AliasRecord[]>;
  putAlias(a: AliasRecord): Promise<void>;
  deleteAlias(name: string): Promise<void>;

  getImport(token: string): Promise<ImportParametersRecord | undefined>;
  listImports(): Promise<ImportParametersRecord[]>;
  putImport(p: ImportParametersRecord): Promise<void>;
  deleteImport(token: string): Promise<void>;

  getSecret(id: string): Promise<SecretRecord | undefined>;
  findSecretByName(name: string): Promise<SecretRecord | undefined>;
  listSecrets(): Promise<SecretRecord[]>;
  /** One page of secrets, filtered and sorted by the store (secretQuery.ts). */
  querySecrets(q: SecretQuery): Promise<SecretPage>;
  /** Secrets whose deletion date is at or before `now`. */
  secretsDueForDeletion(now: string): Promise<SecretRecord[]>;
  /** Refuses (SecretExists) a name another secret already has. */
  putSecret(s: SecretRecord): Promise<void>;
  /** Removes the secret and all its versions. */
  deleteSecret(id: string): Promise<void>;

  getVersion(secretId: string, versionId: string): Promise<VersionRecord | undefined>;
  listVersions(secretId: string): Promise<VersionRecord[]>;
  /** Every version carrying `label`, across secrets (CURRENT: one per secret). */
  listVersionsLabelled(label: string): Promise<{ secretId: string; version: VersionRecord }[]>;
  putVersion(secretId: string, v: VersionRecord): Promise<void>;
  deleteVersion(secretId: string, versionId: string): Promise<void>;

  getCredential(accessKeyId: string): Promise<CredentialRecord | undefined>;
  listCredentials(): Promise<CredentialRecord[]>;
  putCredential(c: CredentialRecord): Promise<void>;

  /** Appended to the hash-chained audit log at commit, even when `fn` throws. */
  audit(e: AuditEvent): void;
}

export interface Store {
  readonly storeId: string;
  /** Where it lives, for messages (a folder, a database URL without password). */
  readonly location: string;
  /**
   * True when this process may read but not change the store: writes fail
   * with StoreReadOnly, and reads are not audited (they cannot be recorded).
   */
  readonly readOnly: boolean;
  transact<T>(fn: (tx: StoreTx) => Promise<T> | T): Promise<T>;
  /** The audit log as stored, oldest first: one serialized record per entry. */
  readAudit(): Promise<string[]>;
  /** The newest audit head the store knows was committed (detects a truncated audit log). */
  auditAnchor(): Promise<AuditAnchor | undefined>;
  /**
   * Continues a broken audit chain: keeps the records up to the first bad one
   * (the damaged rest is kept aside as evidence where the store can), and
   * appends a signed repair record, made from `e` (time, principal), that
   * declares the rest lost. Refused when the chain verifies. (The embedded
   * store; a team store's chain lives in the database.)
   */
  repairAudit?(e: AuditEvent): Promise<AuditGap>;
  close(): Promise<void>;
}
