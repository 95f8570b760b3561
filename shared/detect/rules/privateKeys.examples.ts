/** Hand-written examples for private-key rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');
const lines = (s: string, sep: string): string => s.match(/.{1,64}/g)!.join(sep);

function pemExamples(label: string, seed: string): Examples {
  const begin = j('-----BEGIN ', label, '-----');
  const end = j('-----END ', label, '-----');
  const body = fake('', CHARS.b64, 600, seed) + '==';
  const block = j(begin, '\n', lines(body, '\n'), '\n', end);
  const escaped = j(begin, '\\n', lines(body, '\\n'), '\\n', end);
  const concatenated = j(begin, '\\n" +\n  "', lines(body, '\\n" +\n  "'), '\\n" +\n  "', end);
  const commented = j(begin, '\n * ', lines(body, '\n * '), '\n * ', end);
  const stamp = '2024-05-01 10:00:00,123 INFO  ';
  const logged = j(begin, '\n', lines(body, '\n').split('\n').map((l) => stamp + l).join('\n'), '\n', stamp, end);
  return {
    tp: [
      tp('# key.pem\n', block, '\n', 'key.pem'),
      tp('const KEY = "', escaped, '";\n'),
      tp('const KEY = "', concatenated, '";\n'),
      tp('/*\n * ', commented, '\n */\n', 'keys.c'),
      tp('2024-05-01 10:00:00,122 INFO  loaded key:\n2024-05-01 10:00:00,123 INFO  ', logged, '\n', 'app.log'),
    ],
    fp: [
      j(begin, '\n...\n', end),
      j(begin, '\nMIIEowIBAAKCAQEAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', end),
      `if (text.includes("${begin}")) warn();`,
      j('const HEADER = "', begin, '";\nfunction parsePrivateKeyFromEnvironmentVariable(input) {\n  return decodeBase64EncodedDerStructure(removeWhitespaceCharacters(input));\n}\nconst FOOTER = "', end, '";'),
      j('const pem = `', begin, '\\n${body}\\n', end, '`;'),
    ],

  };
}

export const PRIVATE_KEY_EXAMPLES: Record<string, Examples> = {
  'rsa-private-key': pemExamples('RSA PRIVATE KEY', 'rsa'),
  'ec-private-key': pemExamples('EC PRIVATE KEY', 'ec'),
  'dsa-private-key': pemExamples('DSA PRIVATE KEY', 'dsa'),
  'openssh-private-key': pemExamples('OPENSSH PRIVATE KEY', 'ossh'),
  'pkcs8-private-key': pemExamples('PRIVATE KEY', 'p8'),
  'pkcs8-encrypted-private-key': pemExamples('ENCRYPTED PRIVATE KEY', 'p8e'),
  'pgp-private-key-block': (() => {
    const ex = pemExamples('PGP PRIVATE KEY BLOCK', 'pgp');
    const begin = j('-----BEGIN ', 'PGP PRIVATE KEY BLOCK-----');
    const block = j(begin, '\nVersion: GnuPG v2\nComment: fabricated\n\n', lines(fake('', CHARS.b64, 500, 'pgp2'), '\n'), '\n=', fake('', CHARS.b64, 4, 'pgp3'), '\n-----END ', 'PGP PRIVATE KEY BLOCK-----');
    return { tp: [...ex.tp, tp('', block, '\n', 'key.asc')], fp: ex.fp };
  })(),
  'ssh2-encrypted-private-key': pemExamples('SSH2 ENCRYPTED PRIVATE KEY', 'ssh2'),
  'openvpn-static-key': pemExamples('OpenVPN Static key V1', 'ovpn'),
  'putty-private-key': (() => {
    const block = j(
      'PuTTY-User-Key-File-', '3: ssh-ed25519\nEncryption: none\nComment: fabricated\nPublic-Lines: 2\n',
      lines(fake('', CHARS.b64, 100, 'pu1'), '\n'), '\nPrivate-Lines: 1\n', fake('', CHARS.b64, 64, 'pu2'), '\nPrivate-MAC: ', fake('', CHARS.hex, 64, 'pu3'),
    );
    return {
      tp: [tp('', block, '\n', 'id.ppk')],
      fp: [j('PuTTY-User-Key-File-', '3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n...\nPrivate-MAC: <mac>')],
    };
  })(),
  'jwk-private-key': {
    tp: [tp('{\n  "kty": "EC",\n  "crv": "P-256",\n  "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",\n  "d": "', fake('', CHARS.b64url, 43, 'jwk'), '"\n}', 'jwk.json')],
    fp: ['{ "kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }'],
  },
  'wireguard-private-key': {
    tp: [tp('[Interface]\nPrivateKey = ', fake('', CHARS.b64, 42, 'wg') + 'A=', '\nAddress = 10.0.0.1/24\n', 'wg0.conf')],
    fp: ['[Interface]\nPrivateKey = <private key of this peer>\n'],
  },
  'age-secret-key': {
    tp: [tp('# created: 2024\n', j('AGE-SECRET-', 'KEY-1', fake('', 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58, 'age')), '\n', 'key.txt')],
    fp: ['AGE-SECRET-KEY-1 is the prefix of an age identity'],
  },
  'ethereum-private-key': {
    tp: [tp('PRIVATE_KEY=', '0x' + fake('', CHARS.hex, 64, 'eth'), '\n', '.env')],
    fp: ['PRIVATE_KEY=0x0000000000000000000000000000000000000000000000000000000000000000', 'tx_hash = "0x' + 'ab'.repeat(32) + '"'],
  },
};
