/**
 * A subset of the AWS KMS JSON 1.1 operations (`X-Amz-Target:
 * TrentService.<Operation>`) on Hush's KMS, so an application can
 * envelope-encrypt its own data under a Hush CMK, with the AWS SDK's KMS
 * client or the AWS Encryption SDK's KMS keyring. A ciphertext blob is a
 * Hush ciphertext (an ESDK message under the CMK's material, bound to the
 * encryption context); clients treat it as opaque, as they do AWS's. KeyIds
 * are answered as key ARNs, which is what the keyring records and matches.
 */
import { HushError } from '../errors';
import { keyHintOf, type Kms, type KeyDescription } from '../kms/kms';
import { accountOf, aliasArn, keyArn, parseKeyId } from './arn';
import { ProtocolError } from './awsErrors';
import { epochSeconds, Fields } from './requestFields';

export interface KmsContext {
  /** The KMS acting for this request's principal. */
  kms: Kms;
  storeId: string;
}

type Op = (c: KmsContext, f: Fields) => Promise<Record<string, unknown>>;

const INVALID = 'ValidationException';
const ALGORITHM = 'SYMMETRIC_DEFAULT';

function keyRef(c: KmsContext, f: Fields, field: string): string {
  const raw = f.str(field, true);
  const k = parseKeyId(c.storeId, raw);
  if (k === undefined) throw new HushError('KeyNotFound', `${field} ${raw.slice(0, 200)} is not a key of this store`);
  return k;
}

function algorithm(f: Fields, field: string): void {
  const a = f.str(field);
  if (a !== undefined && a !== ALGORITHM) throw new ProtocolError(400, INVALID, `${field}: Hush CMKs are symmetric keys; only ${ALGORITHM} is supported`);
}

/**
 * A client's encryption context, in a namespace of its own: every key is
 * prefixed before it reaches the KMS (the same way on encrypt and decrypt, so
 * the binding holds). So a client cannot name the context Hush binds its own
 * secret versions to ({store, secret, version}) and decrypt a stored
 * version's ciphertext through KMS Decrypt, past secrets:GetSecretValue; and
 * keys the ESDK reserves (aws-crypto-public-key, which the ESDK's own KMS
 * keyring sends) cannot clash with the envelope's.
 */
const CLIENT_CONTEXT = 'kms-client:';

function context(f: Fields, field: string): Record<string, string> {
  const given = f.strMap(field) ?? {};
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [CLIENT_CONTEXT + k, v]));
}

/** Data key size: NumberOfBytes, or KeySpec AES_256 / AES_128; exactly one. */
function dataKeyBytes(f: Fields): number {
  const n = f.int('NumberOfBytes', 1, 1024);
  const spec = f.str('KeySpec');
  if (n !== undefined && spec !== undefined) throw new ProtocolError(400, INVALID, 'give NumberOfBytes or KeySpec, not both');
  if (spec !== undefined) {
    if (spec === 'AES_256') return 32;
    if (spec === 'AES_128') return 16;
    throw new ProtocolError(400, INVALID, `KeySpec is AES_256 or AES_128, not '${spec.slice(0, 20)}'`);
  }
  if (n === undefined) throw new ProtocolError(400, INVALID, 'NumberOfBytes or KeySpec is required');
  return n;
}

function metadata(c: KmsContext, k: KeyDescription): Record<string, unknown> {
  return {
    AWSAccountId: accountOf(c.storeId),
    KeyId: k.keyId,
    Arn: keyArn(c.storeId, k.keyId),
    CreationDate: epochSeconds(k.createdAt),
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: k.state === 'Deleted' ? 'Unavailable' : k.state,
    ...(k.deletionDate ? { DeletionDate: epochSeconds(k.deletionDate) } : {}),
    Origin: k.origin === 'EXTERNAL' ? 'EXTERNAL' : 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: ALGORITHM,
    CustomerMasterKeySpec: ALGORITHM,
    EncryptionAlgorithms: [ALGORITHM],
    MultiRegion: false,
  };
}

/** Limit/Marker paging over a list already in memory. */
function paged<T>(f: Fields, all: T[]): { page: T[]; more: Record<string, unknown> } {
  const limit = f.int('Limit', 1, 1000) ?? 100;
  const marker = f.str('Marker');
  let start = 0;
  if (marker !== undefined) {
    const m = /^o(\d{1,9})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!m) throw new ProtocolError(400, 'InvalidMarkerException', 'The Marker is not valid; use the NextMarker of the previous page');
    start = Number(m[1]);
  }
  const page = all.slice(start, start + limit);
  const truncated = start + limit < all.length;
  return { page, more: truncated ? { Truncated: true, NextMarker: Buffer.from(`o${start + limit}`, 'utf8').toString('base64url') } : { Truncated: false } };
}

export const KMS_OPERATIONS: Readonly<Record<string, Op>> = {
  async Encrypt(c, f) {
    algorithm(f, 'EncryptionAlgorithm');
    const ref = keyRef(c, f, 'KeyId');
    const plaintext = f.blob('Plaintext', true);
    try {
      const r = await c.kms.encrypt(ref, plaintext, context(f, 'EncryptionContext'));
      return { CiphertextBlob: r.ciphertextBlob.toString('base64'), KeyId: keyArn(c.storeId, r.keyId), EncryptionAlgorithm: ALGORITHM };
    } finally {
      plaintext.fill(0);
    }
  },

  async Decrypt(c, f) {
    algorithm(f, 'EncryptionAlgorithm');
    const blob = f.blob('CiphertextBlob', true);
    const wanted = f.has('KeyId') ? keyRef(c, f, 'KeyId') : undefined;
    const r = await c.kms.decrypt(blob, context(f, 'EncryptionContext'));
    try {
      if (wanted !== undefined) {
        const d = await c.kms.describeKey(wanted);
        if (d.keyId !== r.keyId) throw new ProtocolError(400, 'IncorrectKeyException', `the ciphertext was encrypted under another key than ${wanted}`);
      }
      return { KeyId: keyArn(c.storeId, r.keyId), Plaintext: r.plaintext.toString('base64'), EncryptionAlgorithm: ALGORITHM };
    } finally {
      r.plaintext.fill(0);
    }
  },

  async GenerateDataKey(c, f) {
    const ref = keyRef(c, f, 'KeyId');
    const n = dataKeyBytes(f);
    const r = await c.kms.generateDataKey(ref, context(f, 'EncryptionContext'), n);
    try {
      return { CiphertextBlob: r.ciphertextBlob.toString('base64'), Plaintext: r.plaintext.toString('base64'), KeyId: keyArn(c.storeId, r.keyId) };
    } finally {
      r.plaintext.fill(0);
    }
  },

  async GenerateDataKeyWithoutPlaintext(c, f) {
    const ref = keyRef(c, f, 'KeyId');
    const n = dataKeyBytes(f);
    const r = await c.kms.generateDataKey(ref, context(f, 'EncryptionContext'), n);
    r.plaintext.fill(0);
    return { CiphertextBlob: r.ciphertextBlob.toString('base64'), KeyId: keyArn(c.storeId, r.keyId) };
  },

  async ReEncrypt(c, f) {
    algorithm(f, 'SourceEncryptionAlgorithm');
    algorithm(f, 'DestinationEncryptionAlgorithm');
    const blob = f.blob('CiphertextBlob', true);
    const dest = keyRef(c, f, 'DestinationKeyId');
    const wanted = f.has('SourceKeyId') ? keyRef(c, f, 'SourceKeyId') : undefined;
    // The source key is the one the blob names; a SourceKeyId that is another key is refused, as AWS does.
    const source = keyHintOf(blob)?.keyId;
    if (wanted !== undefined && source !== undefined && (await c.kms.describeKey(wanted)).keyId !== source) {
      throw new ProtocolError(400, 'IncorrectKeyException', `the ciphertext was encrypted under another key than ${wanted}`);
    }
    const r = await c.kms.reEncrypt(blob, context(f, 'SourceEncryptionContext'), dest, context(f, 'DestinationEncryptionContext'));
    return {
      CiphertextBlob: r.ciphertextBlob.toString('base64'),
      SourceKeyId: keyArn(c.storeId, source!),
      KeyId: keyArn(c.storeId, r.keyId),
      SourceEncryptionAlgorithm: ALGORITHM,
      DestinationEncryptionAlgorithm: ALGORITHM,
    };
  },

  async DescribeKey(c, f) {
    return { KeyMetadata: metadata(c, await c.kms.describeKey(keyRef(c, f, 'KeyId'))) };
  },

  async ListKeys(c, f) {
    const keys = await c.kms.listKeys();
    const { page, more } = paged(f, keys);
    return { Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: keyArn(c.storeId, k.keyId) })), ...more };
  },

  async ListAliases(c, f) {
    const forKey = f.has('KeyId') ? (await c.kms.describeKey(keyRef(c, f, 'KeyId'))).keyId : undefined;
    const aliases = (await c.kms.listAliases()).filter((a) => forKey === undefined || a.keyId === forKey);
    const { page, more } = paged(f, aliases);
    return {
      Aliases: page.map((a) => ({ AliasName: a.name, AliasArn: aliasArn(c.storeId, a.name), TargetKeyId: a.keyId, CreationDate: epochSeconds(a.createdAt) })),
      ...more,
    };
  },
};
