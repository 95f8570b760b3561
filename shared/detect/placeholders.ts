/**
 * Values that have the shape of a credential but are not one: template
 * references, placeholders people type into docs and samples, providers'
 * documented example keys, runs and sequences. Shared by every rule.
 */
import { createHash } from 'node:crypto';

/** Words that mark a value as a stand-in (matched case-insensitively anywhere in the value). */
const PLACEHOLDER_WORDS = [
  'example', 'changeme', 'change_me', 'change-me', 'placeholder', 'your_', 'your-', 'yourkey', 'yourtoken',
  'yoursecret', 'yourpass', 'replace_me', 'replaceme', 'redacted', 'dummy', 'sample', 'foobar', 'insert_',
  'lorem', 'notreal', 'not_real', 'not-a-real', 'fake_', 'fakekey', 'xxxx', '****', '...', '…',
];

/**
 * Template and interpolation references inside a value (`${DB_PASS}`,
 * `{{ vault_pw }}`, `%(password)s`, `#{token}`, `$(cat /run/secrets/x)`,
 * `<your-password>`). Only well-formed ones: a password full of braces and
 * punctuation (`m{{h}o)p\${e]n`) is not a template.
 */
const TEMPLATE =
  /\$\{[A-Za-z_$][\w$.]*\(|\$\{\{?[ \t]{0,4}[A-Za-z_][\w.:-]{0,80}(?:\[[^\]{}\n]{1,40}\][\w.:-]{0,40}){0,4}[ \t]{0,4}(?:[:?=|-][^{}]{0,80})?\}|\{\{[ \t]{0,4}[A-Za-z_.$][\w.\-|'" ()[\]]{0,80}\}\}|%\([A-Za-z_][\w.]{0,60}\)[sdr]|#\{[A-Za-z_@][\w.]{0,60}\}|\$\([A-Za-z_][\w .\/-]{0,80}\)|<[A-Za-z][A-Za-z_ .\/-]{3,60}>|^<[^<>]{1,60}>$|^\$[A-Za-z_][\w]{0,80}$|^\$[A-Za-z_][\w]{0,80}(?:::|->|\{|\[)|^%[A-Za-z_][\w]{0,60}%$|^\{[A-Za-z_][\w.]{0,60}\}$|^\[[A-Za-z_][\w .-]{0,60}\]$/;

/** What docs and samples use as a password, after undoing leetspeak (`pa$$w0rd` → `password`). */
const SAMPLE_PASSWORDS = new Set([
  'password', 'passwd', 'passwort', 'secret', 'changeme', 'changeit', 'letmein', 'qwerty', 'welcome', 'passphrase', 'my', 'your',
  'pass', 'pwd', 'pw', 'foo', 'bar', 'baz', 'test', 'testing', 'tester', 'token', 'user', 'username', 'admin', 'administrator', 'root',
  'guest', 'demo', 'login', 'default', 'none', 'null', 'nil', 'empty', 'abc', 'abcd', 'asdf', 'qwertz', 'azerty', 'correct', 'horse',
  'battery', 'staple', 'tiger', 'scott', 'hunter', 'key', 'api', 'access', 'super', 'top', 'dev', 'local', 'sample', 'sa',
  'postgres', 'mysql', 'oracle', 'db',
]);

/** A value made only of sample words (and digits, after undoing leetspeak): `testpass`, `admin_admin`, `MyS3cretPassw0rd`. */
function sampleWords(letters: string): boolean {
  if (!letters) return false;
  // Word segmentation over the sample vocabulary (dynamic programming; the value is at most a few dozen letters).
  if (letters.length > 40) return false;
  const ok = new Array<boolean>(letters.length + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= letters.length; i++)
    for (let j = Math.max(0, i - 14); j < i && !ok[i]; j++) if (ok[j] && SAMPLE_PASSWORDS.has(letters.slice(j, i))) ok[i] = true;
  return ok[letters.length];
}

/**
 * Documentation values published by providers, as [length, sha256] (kept as
 * digests so this file holds no key; only a value of a listed length is hashed).
 */
const DOC_VALUES: readonly [number, string][] = [
  // Stripe API reference test-mode secret and publishable keys.
  [32, '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326'],
  [32, 'b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b'],
  // RFC 6749 (OAuth 2.0) example access and refresh tokens.
  [22, '6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c'],
  [22, '00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32'],
];
const DOC_VALUE_DIGESTS = new Set(DOC_VALUES.map(([, d]) => d));
const DOC_VALUE_LENGTHS = new Set(DOC_VALUES.map(([n]) => n));

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** What databases store instead of a password (SHOW GRANTS, pg_dumpall): MySQL's `*<40 hex>`, PostgreSQL's `md5<32 hex>` and SCRAM-SHA-256 verifiers. */
const STORED_HASH = /^(?:\*[0-9A-F]{40}|\*[0-9a-f]{40}|md5[0-9a-f]{32}|SCRAM-SHA-256\$\d{1,7}:[A-Za-z0-9+/=]{16,64}\$[A-Za-z0-9+/=]{40,64}:[A-Za-z0-9+/=]{40,64})$/;

/** Why a value is a placeholder, or undefined if it may be real. */
export function placeholderReason(value: string): string | undefined {
  const lower = value.toLowerCase();
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w)) return `contains '${w}'`;
  if (TEMPLATE.test(value)) return 'template or variable reference';
  if (STORED_HASH.test(value)) return 'a stored password hash (MySQL native, PostgreSQL md5 or SCRAM verifier), not a password';
  if (DOC_VALUE_LENGTHS.has(value.length) && DOC_VALUE_DIGESTS.has(sha256Hex(value))) return 'documentation value';
  const plain = lower.replace(/[$5]/g, 's').replace(/0/g, 'o').replace(/[1!|]/g, 'i').replace(/3/g, 'e').replace(/[4@]/g, 'a').replace(/[^a-z]/g, '');
  // Also with trailing or separating punctuation dropped before undoing leetspeak (`Passw0rd!` → `password`).
  const bare = lower.replace(/[^a-z0-9$@]/g, '').replace(/[$5]/g, 's').replace(/0/g, 'o').replace(/1/g, 'i').replace(/3/g, 'e').replace(/[4@]/g, 'a').replace(/[^a-z]/g, '');
  if (sampleWords(plain) || sampleWords(bare) || sampleWords(lower.replace(/[^a-z]/g, ''))) return 'a sample password';
  if (isRepetitive(value)) return 'repeated or sequential characters';
  return undefined;
}

/**
 * Few distinct characters, one character making up most of it, or a long
 * run of consecutive characters (`abcdef`, `123456`, `987654`).
 */
export function isRepetitive(value: string): boolean {
  const n = value.length;
  if (n < 6) return false;
  const counts = new Map<number, number>();
  let maxCount = 0;
  let run = 1;
  let dir = 0;
  let longestRun = 1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const k = (counts.get(c) ?? 0) + 1;
    counts.set(c, k);
    if (k > maxCount) maxCount = k;
    if (i > 0) {
      const d = c - value.charCodeAt(i - 1);
      if ((d === 1 || d === -1) && (run === 1 || d === dir)) {
        run++;
        dir = d;
      } else if (d === 1 || d === -1) {
        run = 2;
        dir = d;
      } else {
        run = 1;
      }
      if (run > longestRun) longestRun = run;
    }
  }
  if (counts.size <= 3 && n >= 8) return true;
  if (maxCount / n > 0.5) return true;
  // A run of 6 consecutive characters in a random token is ~1e-8 likely.
  if (longestRun >= 6 && longestRun * 2 >= Math.min(n, 16)) return true;
  return false;
}
