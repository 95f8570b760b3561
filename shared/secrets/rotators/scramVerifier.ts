/**
 * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677 keys,
 * PostgreSQL's documented text layout, as `pg_authid.rolpassword` shows it):
 *
 *   SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>     (base64)
 *
 * `ALTER ROLE … PASSWORD 'SCRAM-SHA-256$…'` stores such a verifier as given,
 * which is what psql's \password and libpq's PQencryptPasswordConn do: the
 * password itself never reaches the server, so it cannot appear in
 * pg_stat_activity, the server log (log_statement) or an error's STATEMENT
 * line. Only node:crypto primitives (PBKDF2, HMAC, SHA-256) are used.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { HushError } from '../../errors';

/** PostgreSQL's default (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;

export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  // SASLprep leaves printable ASCII unchanged; anything else would need it. Hush generates ASCII.
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new HushError('InvalidArgument', 'a PostgreSQL password set by Hush is printable ASCII (SASLprep of other characters is not done here)');
  }
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
