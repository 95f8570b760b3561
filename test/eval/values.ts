/**
 * Values for the evaluation set: what real hardcoded passwords and keys look
 * like (random, punctuated, word-and-digit, passphrase, hex, base64), and
 * what non-secret values in the same places look like (references,
 * placeholders, identifiers, labels, hashes, ids). All generated.
 */
import { ALPHA, capital, identifier, Rand, WORDS } from './rand';

/** Characters a value may not contain in a given context (its quote, a comment start…). */
export type Forbid = string;

function clean(v: string, forbid: Forbid): string {
  let out = '';
  for (const ch of v) out += forbid.includes(ch) ? 'x' : ch;
  return out;
}

/** A password a person or a generator would really set. */
export function password(r: Rand, forbid: Forbid = '', opts: { spaces?: boolean } = {}): string {
  if (opts.spaces && r.chance(0.06)) return Array.from({ length: r.int(3, 5) }, () => r.pick(WORDS)).join(' '); // a passphrase
  if (r.chance(0.04)) return clean(r.str(',.:-¨@*¿?!§±°' + ALPHA.upper, r.int(9, 14)), forbid + '"\'`\\ \t\n'); // symbols, some outside ASCII
  const style = r.int(0, 7);
  let v: string;
  switch (style) {
    case 0: // generator output: mixed classes
      v = r.str(ALPHA.b62 + ALPHA.punct, r.int(10, 24));
      break;
    case 1: // Word + digits + symbol
      v = capital(r.pick(WORDS)) + r.str(ALPHA.digits, r.int(2, 4)) + r.pick(['!', '#', '$', '@', '%', '&', '*', '?']);
      break;
    case 2: // two words, leet, digits
      v = capital(r.pick(WORDS)).replace(/a/g, '@').replace(/o/g, '0') + r.pick(['_', '-', '.', '']) + capital(r.pick(WORDS)) + r.str(ALPHA.digits, r.int(1, 3));
      break;
    case 3: // alphanumeric from a generator
      v = r.str(ALPHA.b62, r.int(12, 32));
      break;
    case 4: // punctuation and braces everywhere
      v = r.str('{}[]()<>$#%^&*-_+=~|;:?!' + ALPHA.lower, r.int(14, 36));
      break;
    case 5: // hex / base64 generated secrets
      v = r.chance(0.5) ? r.str(ALPHA.hex, r.pick([24, 32, 40, 48])) : r.str(ALPHA.b64, r.pick([16, 24, 32])) + r.pick(['', '=', '==']);
      break;
    case 6: // short but strong
      v = r.str(ALPHA.lower, 3) + r.str(ALPHA.digits, 2) + r.pick(['!', '#', '$', '@']) + r.str(ALPHA.upper, 2);
      break;
    default: // lower-case letters and digits
      v = r.str(ALPHA.lower + ALPHA.digits, r.int(10, 20));
  }
  return clean(v, forbid + '"\'`\\ \t\n');
}

/** A random API key / token without a provider prefix. */
export function genericToken(r: Rand): string {
  const style = r.int(0, 3);
  if (style === 0) return r.str(ALPHA.b62, r.int(24, 48));
  if (style === 1) return r.str(ALPHA.hex, r.pick([32, 40, 64]));
  if (style === 2) return r.str(ALPHA.b64url, r.int(30, 50));
  return r.str(ALPHA.b62, 8) + '-' + r.str(ALPHA.b62, 8) + '-' + r.str(ALPHA.b62, 12);
}

/** A user name. */
export function userName(r: Rand): string {
  return r.pick(['admin', 'root', 'deploy', 'app', 'svc_' + r.pick(WORDS), r.pick(WORDS) + r.int(1, 99), 'ci', 'backup', r.pick(WORDS) + '.' + r.pick(WORDS), 'postgres', 'sa', 'dbuser']);
}

export function hostName(r: Rand): string {
  return r.pick([`${r.pick(WORDS)}.internal`, `db-${r.int(1, 9)}.${r.pick(WORDS)}.corp`, `${r.pick(WORDS)}.${r.pick(['io', 'net', 'cloud', 'dev'])}`, `10.${r.int(0, 9)}.${r.int(0, 255)}.${r.int(1, 254)}`, 'localhost']);
}

/**
 * A value that sits where a secret could but is not one: a reference to
 * the environment or a secret store, a template, a placeholder, a type, a
 * label, an identifier, a hash or an id. `why` says which.
 */
export function benignValue(r: Rand, nameWords: string[]): { value: string; why: string; quoted: boolean } {
  const env = identifier(r, nameWords, 'upper');
  const options: (() => { value: string; why: string; quoted: boolean })[] = [
    () => ({ value: '${' + env + '}', why: 'shell/compose variable reference', quoted: r.chance(0.5) }),
    () => ({ value: '{{ ' + identifier(r, nameWords, 'snake') + ' }}', why: 'template variable', quoted: true }),
    () => ({ value: '%(' + identifier(r, nameWords, 'snake') + ')s', why: 'format placeholder', quoted: true }),
    () => ({ value: '<' + r.pick(['your', 'YOUR', 'db', 'the']) + '-' + nameWords.join('-') + '>', why: 'documentation placeholder', quoted: true }),
    () => ({ value: r.pick(['changeme', 'CHANGE_ME', 'password', 'secret', 'xxxxxxxx', '********', 'TODO', 'REPLACE_ME', 'your-' + nameWords.join('-') + '-here', 'dummy', 'example', 'redacted', 'test', 'none', '']), why: 'placeholder word', quoted: true }),
    () => ({ value: r.pick(['Enter your password', 'Password is required', 'Invalid token', 'Show secret', 'Confirm password', 'API key', 'Secret key for signing']), why: 'UI label or message', quoted: true }),
    () => ({ value: r.pick(['vault:secret/data/', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:', 'projects/p/secrets/', 'op://vault/item/', 'ssm:/app/']) + r.pick(WORDS) + '/' + nameWords.join('_'), why: 'reference to a secret store', quoted: true }),
    () => ({ value: r.pick(['/run/secrets/', '/etc/app/', './config/', '~/.ssh/']) + nameWords.join('_') + r.pick(['', '.txt', '.pem', '.key']), why: 'file path', quoted: true }),
    () => ({ value: r.pick(['string', 'str', 'SecureString', 'password', 'bool', 'Optional[str]']), why: 'type name', quoted: r.chance(0.5) }),
    () => ({ value: identifier(r, [r.pick(WORDS), r.pick(WORDS), r.pick(WORDS)], r.pick(['camel', 'pascal'] as const)), why: 'identifier', quoted: true }),
    () => ({ value: identifier(r, [r.pick(WORDS), r.pick(WORDS)], r.pick(['snake', 'kebab', 'dot'] as const)), why: 'identifier or key name', quoted: true }),
    () => ({ value: env, why: 'name of an environment variable', quoted: true }),
    () => ({ value: r.pick(['true', 'false', 'null', 'None', 'nil', '0', String(r.int(1, 9999)), '*', 'on', 'off']), why: 'a flag, a number or nothing', quoted: r.chance(0.5) }),
    () => ({ value: r.pick(['${{ secrets.' + env + ' }}', '{{ .Values.' + identifier(r, nameWords, 'camel') + ' }}', '${var.' + identifier(r, nameWords, 'snake') + '}', '%' + env + '%', '$env:' + env, '#{' + env + '}', '!Ref ' + identifier(r, nameWords, 'pascal'), '{{ vault "' + identifier(r, nameWords, 'kebab') + '" }}']), why: 'reference to CI, Helm, Terraform or environment variables', quoted: true }),
    () => ({ value: r.pick(['your_' + identifier(r, nameWords, 'snake') + '_here', 'YOUR_' + env, 'insert-' + identifier(r, nameWords, 'kebab') + '-here', '<' + identifier(r, nameWords, 'upper') + '>', 'xxx-xxx-xxx', 'abc123', 'secret123', 'password123', 'P@ssw0rd', 'Passw0rd!']), why: 'sample or placeholder value from docs', quoted: true }),
  ];
  return r.pick(options)();
}
