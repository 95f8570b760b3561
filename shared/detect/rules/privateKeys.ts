/** Private keys: PEM (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP), PuTTY, JWK, WireGuard, age. Examples: privateKeys.examples.ts. */
import { explained } from '../evidence';
import { isPemBlockBody } from '../validators';
import { ruleMakers, type Rule } from '../rule';

const { r } = ruleMakers('private-key');

/**
 * A PEM block as it appears in files and in code: escaped `\n`, string
 * concatenation, comment markers, YAML indentation, log timestamps before
 * each line. The body is any text up to the matching END line that does not
 * run into another BEGIN (so a match is linear: each start scans at most to
 * the next BEGIN); the validator then reads the base64 out of it.
 */
function pem(id: string, title: string, label: string, keyword: string, envVar: string): Rule {
  const dashes = '-----';
  const body = `((?:[^-]|-(?!----BEGIN )){16,70000}?)`;
  // Built from parts: a BEGIN…END pair on one line of a shipped file makes vsce refuse the bundle.
  const re = new RegExp(`(${dashes}BEGIN ${label}${dashes}${body}${dashes}` +
    `END ${label}${dashes})`);
  return r(id, title, 'private-key', envVar, [keyword], re, {
    multiline: true,
    span: { before: 0, after: 72 * 1024 },
    skipPlaceholderCheck: true,
    validators: [explained((_s, m) => isPemBlockBody(m[2]), 'structure', 'BEGIN/END armor around enough base64 to be key material (not a placeholder)')],
  });
}

export const PRIVATE_KEY_RULES: Rule[] = [
  pem('rsa-private-key', 'RSA private key', 'RSA PRIVATE KEY', '-----begin rsa private', 'RSA_PRIVATE_KEY'),
  pem('ec-private-key', 'EC private key', 'EC PRIVATE KEY', '-----begin ec private', 'EC_PRIVATE_KEY'),
  pem('dsa-private-key', 'DSA private key', 'DSA PRIVATE KEY', '-----begin dsa private', 'DSA_PRIVATE_KEY'),
  pem('openssh-private-key', 'OpenSSH private key', 'OPENSSH PRIVATE KEY', '-----begin openssh private', 'SSH_PRIVATE_KEY'),
  pem('pkcs8-private-key', 'PKCS#8 private key', 'PRIVATE KEY', '-----begin private', 'PRIVATE_KEY'),
  pem('pkcs8-encrypted-private-key', 'Encrypted PKCS#8 private key', 'ENCRYPTED PRIVATE KEY', '-----begin encrypted private', 'PRIVATE_KEY'),
  pem('pgp-private-key-block', 'PGP private key block', 'PGP PRIVATE KEY BLOCK', '-----begin pgp private', 'PGP_PRIVATE_KEY'),
  pem('ssh2-encrypted-private-key', 'SSH2 private key', 'SSH2 ENCRYPTED PRIVATE KEY', '-----begin ssh2', 'SSH_PRIVATE_KEY'),
  pem('openvpn-static-key', 'OpenVPN static key', 'OpenVPN Static key V1', '-----begin openvpn static', 'OPENVPN_STATIC_KEY'),
  r('putty-private-key', 'PuTTY private key', 'private-key', 'SSH_PRIVATE_KEY', ['putty-user-key-file-'],
    /(PuTTY-User-Key-File-[23]: [^\r\n]{1,200}\r?\n(?:[A-Za-z-]{1,30}: [^\r\n]{0,200}\r?\n|[A-Za-z0-9+/=]{1,200}\r?\n){1,400}?Private-MAC: [a-fA-F0-9]{40,64})/, {
      multiline: true, span: { before: 0, after: 64 * 1024 }, skipPlaceholderCheck: true,
      validators: [(s) => /Private-Lines: \d+\r?\n[A-Za-z0-9+/=]{40}/.test(s)],
    }),
  r('jwk-private-key', 'JSON Web Key private key', 'private-key', 'JWK_PRIVATE_KEY', ['"kty"'],
    /"d"\s{0,4}:\s{0,4}"([A-Za-z0-9_-]{32,1024})"/, { multiline: true, span: { before: 4096, after: 8192 }, entropy: 4 }),
  r('wireguard-private-key', 'WireGuard private key', 'private-key', 'WIREGUARD_PRIVATE_KEY', ['privatekey'],
    /PrivateKey\s{0,4}=\s{0,4}([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)(?![A-Za-z0-9+/=])/, { entropy: 4 }),
  r('age-secret-key', 'age secret key', 'private-key', 'AGE_SECRET_KEY', ['age-secret-key-1'],
    /(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/),
  r('ethereum-private-key', 'Ethereum / EVM private key', 'private-key', 'WALLET_PRIVATE_KEY', ['private_key', 'privatekey', 'private-key', 'priv_key', 'privkey', 'wallet_key', 'mnemonic'],
    /(?:private[_-]?key|priv_?key|wallet_key)["']?\s{0,4}(?:=>|:=|=|:)\s{0,4}["'`]?((?:0x)?[a-fA-F0-9]{64})(?![A-Za-z0-9])/i, { entropy: 3.5, confidence: 'medium' }),
];
