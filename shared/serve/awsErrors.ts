/**
 * Errors as AWS's JSON protocols send them: an HTTP status, the error type in
 * `x-amzn-ErrorType` and the body `{"__type": TYPE, "message": …}`. SDKs pick
 * the exception class from the type and decide on retries from the status
 * (5xx and throttling are retried; 4xx are not), so each Hush error code maps
 * to the type AWS Secrets Manager or AWS KMS would send for the same
 * situation. Messages are Hush's own (they never hold a value).
 */
import { HushErrorCode, isHushError } from '../errors';
import { SigV4Failure } from './sigv4';

export type Service = 'secretsmanager' | 'kms';

export interface AwsError {
  status: number;
  type: string;
  message: string;
}

/** An error of the protocol itself (bad JSON, unknown operation, body too large…). */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Row = [sm: string, kms: string, status?: number];

const BY_CODE: Partial<Record<HushErrorCode, Row>> = {
  InvalidArgument: ['InvalidParameterException', 'ValidationException'],
  ValueTooLarge: ['InvalidParameterException', 'ValidationException'],
  NotFound: ['ResourceNotFoundException', 'NotFoundException'],
  SecretNotFound: ['ResourceNotFoundException', 'NotFoundException'],
  VersionNotFound: ['ResourceNotFoundException', 'NotFoundException'],
  KeyNotFound: ['ResourceNotFoundException', 'NotFoundException'],
  SecretExists: ['ResourceExistsException', 'AlreadyExistsException'],
  AliasExists: ['ResourceExistsException', 'AlreadyExistsException'],
  IdempotencyConflict: ['ResourceExistsException', 'AlreadyExistsException'],
  SecretScheduledForDeletion: ['InvalidRequestException', 'KMSInvalidStateException'],
  PreconditionFailed: ['InvalidRequestException', 'KMSInvalidStateException'],
  LimitExceeded: ['LimitExceededException', 'LimitExceededException'],
  AccessDenied: ['AccessDeniedException', 'AccessDeniedException'],
  NoGrant: ['AccessDeniedException', 'AccessDeniedException'],
  KeyDisabled: ['DecryptionFailure', 'DisabledException'],
  KeyPendingDeletion: ['DecryptionFailure', 'KMSInvalidStateException'],
  KeyPendingImport: ['DecryptionFailure', 'KMSInvalidStateException'],
  KeyDeleted: ['DecryptionFailure', 'NotFoundException'],
  DecryptFailed: ['DecryptionFailure', 'InvalidCiphertextException'],
  KeyMaterialInvalid: ['DecryptionFailure', 'IncorrectKeyMaterialException'],
  ImportTokenExpired: ['InvalidRequestException', 'ExpiredImportTokenException'],
  StoreLocked: ['InternalServiceError', 'KMSInternalException', 503],
  StoreUnavailable: ['InternalServiceError', 'DependencyTimeoutException', 503],
  StoreReadOnly: ['InvalidRequestException', 'KMSInvalidStateException'],
};

/** The type and status AWS would send for `e` (anything unexpected is the service's internal error, 500). */
export function toAwsError(e: unknown, service: Service, action?: string): AwsError {
  if (e instanceof ProtocolError) return { status: e.status, type: e.type, message: e.message };
  if (e instanceof SigV4Failure) {
    // As AWS's JSON services send them: an unsigned request is 403, a bad or unknown signature 400.
    return { status: e.code === 'MissingAuthenticationTokenException' ? 403 : 400, type: e.code, message: e.message };
  }
  if (isHushError(e)) {
    const row = BY_CODE[e.code];
    if (row) {
      let type = service === 'kms' ? row[1] : row[0];
      // Secrets Manager names the failing direction: writing a value encrypts, reading decrypts.
      if (service === 'secretsmanager' && type === 'DecryptionFailure' && action && /Put|Create|Update|Rotate/.test(action)) type = 'EncryptionFailure';
      return { status: row[2] ?? 400, type, message: e.message };
    }
    return { status: 500, type: service === 'kms' ? 'KMSInternalException' : 'InternalServiceError', message: `${e.code}: ${e.message}` };
  }
  return { status: 500, type: service === 'kms' ? 'KMSInternalException' : 'InternalServiceError', message: 'an internal error occurred; the server log has the request id' };
}
