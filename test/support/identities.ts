/** Member identities for team-store tests: fresh X25519 key pairs, never stored anywhere. */
import { newPrivateKey, publicKeyOf, type Identity } from '../../shared/team/identity';

export function newIdentity(): Identity {
  const privateKey = newPrivateKey();
  return { privateKey, publicKey: publicKeyOf(privateKey), source: 'test' };
}
