/**
 * Private keys as they appear in code: whole PEM files, escaped `\n` in a
 * string, split across string concatenations, inside comments with `*`, `#`
 * or `//`, in YAML block scalars and JSON, prefixed by log timestamps; RSA,
 * EC, DSA, OpenSSH, PKCS#8 (plain and encrypted) and PGP. Look-alikes:
 * public keys, certificates, truncated or redacted blocks, code that only
 * mentions the header.
 */
import { benignCase, type EvalCase, secretCase } from './evalCase';
import { ALPHA, Rand, WORDS } from './rand';

const LABELS = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'];
const dash = '-----';
const begin = (l: string): string => `${dash}BEGIN ${l}${dash}`;
const end = (l: string): string => `${dash}END ${l}${dash}`;

/** Base64 body lines of a plausible length for the key type. */
function body(r: Rand, label: string): string[] {
  const bytes = label.startsWith('EC') ? r.int(118, 140) : label.startsWith('OPENSSH') ? r.int(380, 420) : label.startsWith('PGP') ? r.int(900, 1400) : r.int(600, 1250);
  let b64 = r.str(ALPHA.b64, Math.ceil((bytes * 4) / 3));
  if (label === 'RSA PRIVATE KEY') b64 = 'MII' + r.pick(['E', 'C', 'J']) + b64.slice(3);
  if (label === 'PRIVATE KEY') b64 = 'MII' + b64.slice(3);
  if (label.startsWith('OPENSSH')) b64 = 'b3BlbnNzaC1rZXktdjEAAAAA' + b64.slice(24);
  b64 = b64.slice(0, b64.length - (b64.length % 4)) + r.pick(['', '==', '=']);
  const width = label.startsWith('OPENSSH') ? 70 : 64;
  return b64.match(new RegExp(`.{1,${width}}`, 'g'))!;
}

function headers(r: Rand, label: string): string[] {
  if (label === 'PGP PRIVATE KEY BLOCK') return [r.pick(['Version: GnuPG v2', 'Comment: generated', 'Version: OpenPGP.js v4.10.10']), ''];
  if (label === 'RSA PRIVATE KEY' && r.chance(0.25)) return ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${r.str('0123456789ABCDEF', 32)}`, ''];
  return [];
}

type Shape = (r: Rand, lines: string[]) => { before: string; block: string; after: string; path?: string; shape: string };

const SHAPES: Shape[] = [
  (r, lines) => ({ before: '', block: lines.join('\n'), after: '\n', path: r.pick(['id_rsa', 'server.key', 'key.pem', undefined]), shape: 'file' }),
  (r, lines) => ({ before: `${r.pick(['const', 'let'])} ${r.pick(['privateKey', 'PRIVATE_KEY', 'signingKey'])} = "`, block: lines.join('\\n'), after: '\\n";\n', path: 'keys.js', shape: 'escaped' }),
  (r, lines) => ({ before: `${r.pick(['private_key', 'PRIVATE_KEY'])} = "`, block: lines.join('\\n'), after: '"\n', path: r.pick(['settings.py', undefined]), shape: 'escaped' }),
  (_r, lines) => ({ before: `{\n  "type": "service_account",\n  "private_key": "`, block: lines.join('\\n'), after: '\\n",\n  "client_email": "svc@proj.iam.gserviceaccount.com"\n}', path: 'sa.json', shape: 'json' }),
  (_r, lines) => ({ before: 'String key = "', block: lines.join('\\n" +\n    "'), after: '\\n";\n', path: 'Keys.java', shape: 'concatenated' }),
  (_r, lines) => ({ before: "key = ('", block: lines.join("\\n'\n       '"), after: "\\n')\n", path: 'keys.py', shape: 'concatenated' }),
  (_r, lines) => ({ before: 'const KEY = "', block: lines.join('\\n" +\n  "'), after: '";\n', path: 'key.ts', shape: 'concatenated' }),
  (_r, lines) => ({ before: 'private const string Key =\n    "', block: lines.join('\\n" +\n    "'), after: '";\n', path: 'Key.cs', shape: 'concatenated' }),
  (_r, lines) => ({ before: '/*\n * ', block: lines.join('\n * '), after: '\n */\n', path: 'crypto.c', shape: 'comment' }),
  (r, lines) => ({ before: '# ', block: lines.join('\n# '), after: '\n', path: r.pick(['deploy.sh', 'config.py']), shape: 'comment' }),
  (_r, lines) => ({ before: '// ', block: lines.join('\n// '), after: '\n', path: 'test.go', shape: 'comment' }),
  (_r, lines) => ({ before: 'tls:\n  key: |\n    ', block: lines.join('\n    '), after: '\n', path: 'values.yaml', shape: 'yaml' }),
  (r, lines) => {
    const ts = () => `2024-0${r.int(1, 9)}-1${r.int(0, 9)} 1${r.int(0, 9)}:${r.int(10, 59)}:${r.int(10, 59)},${r.int(100, 999)} INFO  `;
    return { before: ts() + 'loaded key:\n' + ts(), block: lines.map((l, i) => (i === 0 ? l : ts() + l)).join('\n'), after: '\n', path: 'app.log', shape: 'log' };
  },
  (_r, lines) => ({ before: "  <PrivateKey>", block: lines.join('\n'), after: '</PrivateKey>\n', path: 'config.xml', shape: 'xml' }),
  (_r, lines) => ({ before: 'export SSH_KEY="', block: lines.join('\n'), after: '"\n', path: '.env', shape: 'dotenv' }),
  (_r, lines) => ({ before: 'key: "', block: lines.join('\\n'), after: '"\n', path: 'secrets.yml', shape: 'escaped' }),
];

export function privateKeyCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const label = r.pick(LABELS);
    const lines = [begin(label), ...headers(r, label), ...body(r, label)];
    if (label.startsWith('PGP')) lines.push('=' + r.str(ALPHA.b64, 4));
    lines.push(end(label));
    const s = r.pick(SHAPES)(r, lines);
    out.push(secretCase(`private-key:${s.shape}`, `${label} in a ${s.shape} shape`, s.before, s.block, s.after, s.path));
  }
  return out;
}

export function privateKeyLookAlikes(r: Rand, n: number): EvalCase[] {
  const forms: (() => [string, string])[] = [
    () => [[begin('PUBLIC KEY'), ...body(r, 'PUBLIC KEY').slice(0, 6), end('PUBLIC KEY')].join('\n'), 'public key'],
    () => [[begin('CERTIFICATE'), ...body(r, 'CERTIFICATE'), end('CERTIFICATE')].join('\n'), 'certificate'],
    () => [[begin('RSA PUBLIC KEY'), ...body(r, 'RSA').slice(0, 5), end('RSA PUBLIC KEY')].join('\n'), 'RSA public key'],
    () => [`ssh-${r.pick(['rsa', 'ed25519'])} AAAA${r.str(ALPHA.b64, r.pick([64, 368]))} ${r.pick(WORDS)}@${r.pick(WORDS)}`, 'SSH public key'],
    () => [[begin('PGP PUBLIC KEY BLOCK'), '', ...body(r, 'PGP'), end('PGP PUBLIC KEY BLOCK')].join('\n'), 'PGP public key'],
    () => [[begin(r.pick(LABELS)), r.pick(['...', '<your key here>', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC...', '(redacted)', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']), end('PRIVATE KEY')].join('\n'), 'truncated or redacted key in docs'],
    () => [`if (pem.startsWith("${begin(r.pick(LABELS))}")) { return parsePrivateKey(pem); }`, 'code that only names the header'],
    () => [`const HEADER = '${begin(r.pick(LABELS))}';\nconst FOOTER = '${end('PRIVATE KEY')}';`, 'header constants'],
    () => [`private_key_path = "~/.ssh/${r.pick(['id_rsa', 'id_ed25519', 'deploy_key'])}"`, 'path to a key file'],
    () => [[begin('CERTIFICATE REQUEST'), ...body(r, 'CSR').slice(0, 10), end('CERTIFICATE REQUEST')].join('\n'), 'certificate signing request'],
    () => [`echo "${begin('OPENSSH PRIVATE KEY')}" | grep -q BEGIN && echo has-key`, 'script that tests for a key header'],
  ];
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [text, why] = r.pick(forms)();
    out.push(benignCase('private-key-lookalike', 'look-alike', why, text, r.pick([undefined, 'README.md', 'cert.pem', 'keys.ts'])));
  }
  return out;
}
