import { randomBytes } from 'node:crypto';

/**
 * A PEM-shaped private key for tests: a random body, built at run time with
 * the armour split so no scanner (ours, vsce's) finds a key in the source.
 * Not a key: the body is random bytes, not DER.
 */
export function fakePrivateKeyPem(): string {
  const dashes = '-'.repeat(5);
  const body = randomBytes(144).toString('base64').match(/.{1,64}/g)!;
  return [`${dashes}${['BEGIN', 'PRIVATE', 'KEY'].join(' ')}${dashes}`, ...body, `${dashes}${['END', 'PRIVATE', 'KEY'].join(' ')}${dashes}`].join('\n');
}
