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
 */
import type { AuditAnchor, AuditEvent } from '../audit/auditLog';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type KeyOrigin = 'HUSH' | 'EXTERNAL';

export interface KeyMaterialRecord {
  version: number;
  /** The 32-byte material, sealed under the root key (AAD names store, key and version). */
  sealed: string;
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
}

/** A consistent view plus writes. Records are plain JSON values; treat them as immutable. */
export interface StoreTx {
  getKey(id: string): KeyRecord | undefined;
  listKeys(): KeyRecord[];
  putKey(k: KeyRecord): void;

  getAlias(name: string): AliasRecord | undefined;
  listAliases(): AliasRecord[];
  putAlias(a: AliasRecord): void;
  deleteAlias(name: string): void;

  getImport(token: string): ImportParametersRecord | undefined;
  listImports(): ImportParametersRecord[];
  putImport(p: ImportParametersRecord): void;
  deleteImport(token: string): void;

  getSecret(id: string): SecretRecord | undefined;
  findSecretByName(name: string): SecretRecord | undefined;
  listSecrets(): SecretRecord[];
  putSecret(s: SecretRecord): void;
  /** Removes the secret and all its versions. */
  deleteSecret(id: string): void;

  getVersion(secretId: string, versionId: string): VersionRecord | undefined;
  listVersions(secretId: string): VersionRecord[];
  putVersion(secretId: string, v: VersionRecord): void;
  deleteVersion(secretId: string, versionId: string): void;

  /** Appended to the hash-chained audit log at commit, even when `fn` throws. */
  audit(e: AuditEvent): void;
}

export interface Store {
  readonly storeId: string;
  /** Where it lives, for messages (a folder, a database URL without password). */
  readonly location: string;
  transact<T>(fn: (tx: StoreTx) => Promise<T> | T): Promise<T>;
  /** The audit log as stored, oldest first: one serialized record per entry. */
  readAudit(): Promise<string[]>;
  /** The newest audit head the data side has recorded (detects a truncated audit log). */
  auditAnchor(): Promise<AuditAnchor | undefined>;
  close(): Promise<void>;
}
