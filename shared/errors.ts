/**
 * Errors are values with a stable code and a message a user can act on.
 * A message never contains a secret value: callers pass masked forms only.
 */
export type HushErrorCode =
  | 'InvalidArgument'
  | 'InvalidManifest'
  | 'BinaryFile'
  | 'FileTooLarge'
  | 'NotFound'
  | 'Internal'
  // The core (KMS, envelope, Secrets Manager, store, audit, root keys).
  | 'KeyDisabled'
  | 'KeyPendingDeletion'
  | 'KeyPendingImport'
  | 'KeyDeleted'
  | 'KeyNotFound'
  | 'KeyMaterialInvalid'
  | 'AliasExists'
  | 'SecretNotFound'
  | 'SecretExists'
  | 'SecretScheduledForDeletion'
  | 'VersionNotFound'
  | 'IdempotencyConflict'
  | 'PreconditionFailed'
  | 'LimitExceeded'
  | 'ValueTooLarge'
  | 'WrongPassphrase'
  | 'WrongRootKey'
  | 'RootKeyUnavailable'
  | 'KeychainUnavailable'
  | 'StoreNotFound'
  | 'StoreLocked'
  | 'CorruptStore'
  /** The store is older than its freshness anchor: a file was rolled back or truncated. */
  | 'StoreRolledBack'
  /** The store folder or a file in it is writable by others, or a symlink. */
  | 'InsecureStore'
  | 'StoreReadOnly'
  /** The freshness anchor (keychain entry or config file) cannot be read or written. */
  | 'AnchorUnavailable'
  | 'DecryptFailed'
  | 'AuditBroken'
  | 'AccessDenied'
  | 'ImportTokenExpired'
  // The team store.
  | 'StoreUnavailable'
  | 'StoreExists'
  | 'SchemaMismatch'
  | 'NotAMember'
  | 'NoGrant'
  // The editor and hush run.
  | 'ConsentRequired'
  | 'UntrustedWorkspace'
  | 'VariableTaken';

export class HushError extends Error {
  override readonly name = 'HushError';
  constructor(
    readonly code: HushErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** One line, as the CLI prints it and the client shows it. */
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

export function isHushError(e: unknown): e is HushError {
  return e instanceof HushError;
}
