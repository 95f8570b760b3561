/**
 * Credentials written as prose in docs, tickets, chat logs and comments:
 * "the admin password is …", "password is: …", "Use deploy and password …",
 * "ID/PW: user / …", "user: … pass: …", "username: …, password: …",
 * "credentials: admin / …", "user deploy pwd …". Prose is noisy, so the
 * value must look like a password (two character classes or more, not a
 * word, a variable or a placeholder). Examples: prose.examples.ts.
 */
import { classCount, shannon } from '../entropy';
import { explained } from '../evidence';
import { placeholderReason } from '../placeholders';
import { ruleMakers, type Rule } from '../rule';

const { r } = ruleMakers('auth');

/** A password-ish token in running text, without the sentence's closing punctuation. */
const V = '["\'`]?([^\\s"\'`<>()\\[\\]{}|]{3,127}[^\\s"\'`<>()\\[\\]{}|.,;:])';
const PW = '(?:password|passwd|passphrase|pass|pwd|pw|passcode|kennwort|passwort|contraseña|mot de passe|senha)';
const USERWORD = '(?:id|user(?:[ _-]?name)?|login|account|acct|uid)';

/** A value in prose that is a password, not a word, a reference or a placeholder. */
export function prosePassword(v: string, user?: string): boolean {
  if (v.length < 6) return false;
  if (classCount(v) < 2) return false; // words and plain numbers: "required", "hashed", "12345678"
  if (/^[a-z]+(?:[-_.][a-z]+)+$/i.test(v)) return false; // hyphenated or dotted words: "loop-nest", "read-only"
  if (/^[$%@#:?&*=\\/~.-]/.test(v) || v.includes('\\')) return false; // variables, paths, markup, escapes
  if (placeholderReason(v) !== undefined) return false;
  if (/^(?:https?|ftp|ssh|file):/i.test(v) || /\.(?:md|txt|json|ya?ml|pem|key|env|sh|py|js|ts)$/i.test(v)) return false;
  if (/^[A-Z][a-z]+$/.test(v) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(v) || /^(?:[A-Z][a-z]+){2,}$/.test(v)) return false; // a capitalised word, an identifier
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return false; // an environment variable's name
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) || /pass(?:word|wd|phrase)|secret|token|credential/i.test(v)) return false; // code (`credentials.password`)
  if (user !== undefined && v.toLowerCase() === user.toLowerCase()) return false;
  return shannon(v) >= 2.2;
}

/**
 * Both regexes start at the password word itself (the engine runs them
 * anchored at each keyword hit: prose rules cost one short match per
 * occurrence of "pass"/"pw", not a scan of every line); what comes before
 * the word is checked with a bounded lookbehind.
 */

/** "… password is …", "password is: …", "Use NAME and password …". Secret: group 1 or 2. */
const PASSWORD_IS = new RegExp(
  `(?<![A-Za-z0-9_])${PW}[ \\t]{1,4}(?:is|was|will be|is set to|remains)[ \\t]{0,2}:?[ \\t]{1,4}${V}|` +
    `(?=${PW}[ \\t]{1,4}[^\\s])(?<=\\b(?:use|with|as|login as|log in as|sign in as)[ \\t]{1,4}[\\w.@-]{1,64}[ \\t]{1,4}(?:and|with|/)[ \\t]{1,4}(?:the[ \\t]{1,4})?)(?<![A-Za-z0-9_])${PW}[ \\t]{1,4}${V}`,
  'i',
);

/**
 * A user and a password together: "ID/PW: u / p", "ID: u  PW: p",
 * "user: u pass: p", "Login: u / Password: p", "user u pwd p",
 * "credentials: u / p". The user is a capture group (a password equal to it
 * is not reported).
 */
const USER_AND_PASSWORD = new RegExp(
  `(?=${PW}[ \\t]{0,3}[:=])(?<=\\b${USERWORD}[ \\t]{0,2}/[ \\t]{0,2})(?<![A-Za-z0-9_])${PW}[ \\t]{0,3}[:=][ \\t]{0,3}([^\\s/]{1,64})[ \\t]{0,3}/[ \\t]{0,3}${V}|` +
    `(?=${PW}[ \\t]{0,2}[:=])(?<=\\b${USERWORD}[ \\t]{0,2}[:=][ \\t]{0,3}([^\\s,;/|]{1,64})[ \\t]{0,2}[,;/|]?[ \\t]{1,6})(?<![A-Za-z0-9_])${PW}[ \\t]{0,2}[:=][ \\t]{0,3}${V}|` +
    `(?=(?:password|passwd|pwd|pw)[ \\t]{1,3}[^\\s])(?<=\\buser[ \\t]{1,3}(?!(?:to|the|a|an|can|will|must|should|may|is|and|or|not|who|that)[ \\t])([\\w.@-]{1,64})[ \\t]{1,3})(?<![A-Za-z0-9_])(?:password|passwd|pwd|pw)[ \\t]{1,3}${V}|` +
    `(?<![A-Za-z0-9_])credentials?[ \\t]{0,2}[:=]?[ \\t]{1,3}([\\w.@-]{1,64})[ \\t]{0,2}[/:][ \\t]{0,2}${V}`,
  'i',
);

const judged = (why: string, userOf?: (m: RegExpExecArray) => string | undefined) =>
  explained((s: string, m: RegExpExecArray) => prosePassword(s, userOf?.(m)), 'context', why);

export const PROSE_RULES: Rule[] = [
  r('prose-password', 'Password written in prose', 'password', 'PASSWORD', ['pass', 'pw', 'kennwort', 'contrase', 'senha'], PASSWORD_IS, {
    anchored: true,
    secretGroup: [1, 2],
    confidence: 'low',
    priority: -12,
    validators: [judged('a sentence that gives the password ("the password is …")')],
  }),
  r('prose-user-password', 'User and password written in prose', 'password', 'PASSWORD', ['pass', 'pw', 'kennwort', 'contrase', 'senha', 'credential'], USER_AND_PASSWORD, {
    anchored: true,
    secretGroup: [2, 4, 6, 8],
    confidence: 'low',
    priority: -12,
    validators: [judged('a user name and a password written together ("ID/PW: …", "user: … pass: …")', (m) => m[1] ?? m[3] ?? m[5] ?? m[7])],
  }),
];
