/** Member identities and a policy for team-store tests: fresh X25519 key pairs, never stored anywhere. */
import { newPrivateKey, publicKeyOf, type Identity } from '../../shared/team/identity';

export function newIdentity(): Identity {
  const privateKey = newPrivateKey();
  return { privateKey, publicKey: publicKeyOf(privateKey), source: 'test' };
}

/** What the team's developers may do: use secrets and the keys they are granted, not administer. */
export const DEVELOPERS = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'UseSecrets', Effect: 'Allow', Action: ['secrets:*', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Describe*', 'kms:List*', 'audit:*', 'team:ListMembers'], Resource: '*' },
  ],
};

