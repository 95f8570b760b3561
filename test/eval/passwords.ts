/**
 * Passwords, secrets, API keys and tokens assigned in code and config, in
 * many languages and file formats, under names people really use
 * (`db_pass`, `my_password_secure`, `secretKey`, `SMTP_PASSWD`, `pw`), and
 * the same places holding something that is not a secret.
 */
import { benignCase, type EvalCase, secretCase } from './evalCase';
import { ALPHA, identifier, Rand, WORDS } from './rand';
import { benignValue, genericToken, password } from './values';

/** Name parts: [words before, core words, words after]. */
const PREFIXES = [[], [], ['db'], ['my'], ['admin'], ['smtp'], ['mail'], ['redis'], ['ftp'], ['root'], ['ldap'], ['app'], ['user'], ['prod'], ['master'], ['service'], ['default'], ['api'], ['mysql'], ['postgres'], ['jenkins'], ['bind']];
const SUFFIXES = [[], [], [], ['secure'], ['value'], ['prod'], ['str'], ['1'], ['dev'], ['plain'], ['old']];

type Core = { words: string[]; kind: 'password' | 'secret' | 'api-key' | 'token' };
const CORES: Core[] = [
  { words: ['password'], kind: 'password' },
  { words: ['passwd'], kind: 'password' },
  { words: ['pwd'], kind: 'password' },
  { words: ['pass'], kind: 'password' },
  { words: ['passphrase'], kind: 'password' },
  { words: ['secret'], kind: 'secret' },
  { words: ['client', 'secret'], kind: 'secret' },
  { words: ['secret', 'key'], kind: 'api-key' },
  { words: ['api', 'key'], kind: 'api-key' },
  { words: ['apikey'], kind: 'api-key' },
  { words: ['access', 'key'], kind: 'api-key' },
  { words: ['auth', 'token'], kind: 'token' },
  { words: ['access', 'token'], kind: 'token' },
  { words: ['token'], kind: 'token' },
  { words: ['api', 'token'], kind: 'token' },
  { words: ['private', 'key'], kind: 'api-key' },
];

export interface NameSpec {
  readonly words: string[];
  readonly kind: Core['kind'];
}

export function secretName(r: Rand): NameSpec {
  const core = r.pick(CORES);
  const pre = r.pick(PREFIXES);
  const suf = core.kind === 'password' ? r.pick(SUFFIXES) : r.pick(SUFFIXES.slice(0, 6));
  return { words: [...pre, ...core.words, ...suf], kind: core.kind };
}

/** A value of the kind the name asks for. */
export function secretValue(r: Rand, kind: NameSpec['kind'], forbid = ''): string {
  if (kind === 'password') return password(r, forbid);
  if (kind === 'secret' && r.chance(0.3)) return password(r, forbid);
  return genericToken(r);
}

/** A language or format: how an assignment of `value` to `name` is written. */
interface Lang {
  readonly id: string;
  readonly ext: string;
  /** Name style this language uses most. */
  readonly styles: readonly ('camel' | 'snake' | 'upper' | 'pascal' | 'kebab' | 'dot')[];
  /** Characters the value may not contain here. */
  readonly forbid?: string;
  /** Templates: `N` is the name, `V` the value. */
  readonly forms: readonly string[];
}

const LANGS: Lang[] = [
  { id: 'python', ext: 'py', styles: ['snake', 'upper'], forms: ['%N = "%V"', "%N = '%V'", 'self.%N = "%V"', 'config["%N"] = "%V"', "conn = connect(host=h, %N='%V')", '{"%N": "%V"}', '%N: str = "%V"', "os.environ['%N'] = '%V'"] },
  { id: 'javascript', ext: 'js', styles: ['camel', 'upper'], forms: ['const %N = "%V";', "let %N = '%V';", '  %N: "%V",', 'this.%N = `%V`;', 'process.env.%N = "%V";', 'export const %N = "%V";', 'var %N="%V"'] },
  { id: 'typescript', ext: 'ts', styles: ['camel', 'upper'], forms: ['const %N: string = "%V";', "private readonly %N = '%V';", '  %N: "%V",', 'static %N = "%V";'] },
  { id: 'java', ext: 'java', styles: ['camel', 'upper'], forms: ['private static final String %N = "%V";', 'String %N = "%V";', '    this.%N = "%V";', 'props.setProperty("%N", "%V");', 'final var %N = "%V";'] },
  { id: 'kotlin', ext: 'kt', styles: ['camel', 'upper'], forms: ['val %N = "%V"', 'const val %N = "%V"', 'var %N: String = "%V"'] },
  { id: 'go', ext: 'go', styles: ['camel', 'pascal'], forms: ['%N := "%V"', 'var %N = "%V"', 'const %N = "%V"', '\t%N: "%V",', '%N = `%V`'] },
  { id: 'csharp', ext: 'cs', styles: ['pascal', 'camel'], forms: ['string %N = "%V";', 'var %N = @"%V";', 'public const string %N = "%V";', 'private static readonly string %N = @"%V";', '%N = "%V",'] },
  { id: 'objc', ext: 'm', styles: ['camel'], forms: ['NSString *%N = @"%V";', 'static NSString * const %N = @"%V";', 'self.%N = @"%V";', '_%N = @"%V";'] },
  { id: 'c', ext: 'c', styles: ['snake', 'upper'], forms: ['char %N[] = "%V";', 'const char *%N = "%V";', 'static const char %N[] = "%V";', '#define %N "%V"', 'strcpy(%N, "%V");'] },
  { id: 'cpp', ext: 'cpp', styles: ['snake', 'camel'], forms: ['std::string %N = "%V";', 'const std::string %N{"%V"};', 'auto %N = "%V";', 'constexpr char %N[] = "%V";'] },
  { id: 'php', ext: 'php', styles: ['snake', 'camel'], forms: ['$%N = "%V";', "$%N = '%V';", "    '%N' => '%V',", "define('%N', '%V');", '$this->%N = "%V";'] },
  { id: 'ruby', ext: 'rb', styles: ['snake', 'upper'], forms: ['%N = "%V"', "@%N = '%V'", '  :%N => "%V",', '  %N: "%V",', 'config.%N = "%V"'] },
  { id: 'perl', ext: 'pl', styles: ['snake'], forms: ['my $%N = "%V";', "my $%N = '%V';", "    %N => '%V',", '$%N = "%V";'] },
  { id: 'lua', ext: 'lua', styles: ['snake', 'camel'], forms: ['local %N = "%V"', "%N = '%V'", '  %N = "%V",'] },
  { id: 'swift', ext: 'swift', styles: ['camel'], forms: ['let %N = "%V"', 'var %N: String = "%V"', 'static let %N = "%V"'] },
  { id: 'rust', ext: 'rs', styles: ['snake', 'upper'], forms: ['let %N = "%V";', 'const %N: &str = "%V";', 'static %N: &str = "%V";'] },
  { id: 'scala', ext: 'scala', styles: ['camel'], forms: ['val %N = "%V"', 'private val %N: String = "%V"'] },
  { id: 'shell', ext: 'sh', styles: ['upper'], forms: ['%N=%V', 'export %N="%V"', "%N='%V'", 'export %N=%V', 'declare -x %N="%V"'] },
  { id: 'powershell', ext: 'ps1', styles: ['camel', 'pascal'], forms: ['$%N = "%V"', "$%N = '%V'", '$%N = ConvertTo-SecureString "%V" -AsPlainText -Force'] },
  { id: 'dotenv', ext: 'env', styles: ['upper'], forms: ['%N=%V', '%N="%V"', "%N='%V'"] },
  { id: 'ini', ext: 'ini', styles: ['snake', 'camel'], forms: ['[database]\nhost = db.internal\n%N = %V', '[auth]\n%N=%V', '%N = %V'] },
  { id: 'properties', ext: 'properties', styles: ['dot', 'camel'], forms: ['spring.datasource.%N=%V', '%N=%V', '%N: %V', 'app.mail.%N = %V'] },
  { id: 'kubernetes', ext: 'yaml', styles: ['upper'], forms: ['env:\n  - name: %N\n    value: "%V"', 'containers:\n- name: app\n  env:\n  - name: %N\n    value: %V', '{"name": "%N", "value": "%V"}'] },
  { id: 'yaml', ext: 'yml', styles: ['snake', 'camel'], forms: ['database:\n  host: db\n  %N: %V', '%N: "%V"', "  %N: '%V'", 'env:\n  - %N=%V', 'spec:\n  %N: %V\n  port: 5432'] },
  { id: 'toml', ext: 'toml', styles: ['snake'], forms: ['[db]\n%N = "%V"', "%N = '%V'"] },
  { id: 'json', ext: 'json', styles: ['camel', 'snake'], forms: ['{\n  "%N": "%V"\n}', '{"user": "app", "%N": "%V"}'] },
  { id: 'xml', ext: 'xml', styles: ['camel', 'pascal'], forms: ['<%N>%V</%N>', '<add key="%N" value="%V" />', '<property name="%N" value="%V"/>', '<datasource url="jdbc:x" %N="%V" />', '<entry key="%N">%V</entry>'] },
  { id: 'terraform', ext: 'tf', styles: ['snake'], forms: ['  %N = "%V"', 'resource "aws_db_instance" "db" {\n  %N = "%V"\n}', 'variable "%N" {\n  type    = string\n  default = "%V"\n}'] },
  { id: 'dockerfile', ext: 'Dockerfile', styles: ['upper'], forms: ['ENV %N=%V', 'ENV %N %V', 'ARG %N=%V'] },
  { id: 'gradle', ext: 'gradle', styles: ['camel'], forms: ["%N = '%V'", '%N "%V"'] },
  { id: 'sql', ext: 'sql', styles: ['snake'], forms: ["SET @%N = '%V';", "INSERT INTO config (k, v) VALUES ('%N', '%V');"] },
];

/** Comparisons against a hardcoded secret, per language. */
const COMPARISONS: { id: string; ext: string; forms: string[] }[] = [
  { id: 'c-like', ext: 'c', forms: ['if (%N == "%V") {', 'if (strcmp(%N, "%V") == 0)', 'return %N != "%V";'] },
  { id: 'javascript', ext: 'js', forms: ['if (%N === "%V") {', "if (req.body.%N === '%V') next();"] },
  { id: 'python', ext: 'py', forms: ['if %N == "%V":', "assert %N == '%V'"] },
  { id: 'java', ext: 'java', forms: ['if (%N.equals("%V")) {', 'if ("%V".equals(%N)) {'] },
  { id: 'shell', ext: 'sh', forms: ['if [ "$%N" = "%V" ]; then', 'if [[ $%N == "%V" ]]; then'] },
  { id: 'perl', ext: 'pl', forms: ["if ($%N eq '%V') {"] },
  { id: 'php', ext: 'php', forms: ["if ($%N == '%V') {"] },
];

/** Templates use `%N` for the name and `%V` for the value. */
function fill(form: string, name: string): { before: string; after: string } {
  const i = form.indexOf('%V');
  return { before: form.slice(0, i).split('%N').join(name), after: form.slice(i + 2).split('%N').join(name) };
}

function forbidOf(form: string): string {
  let f = '';
  const i = form.indexOf('%V');
  const q = form[i - 1];
  if (q === '"' || q === "'" || q === '`') f += q;
  if (form.endsWith('%V') || form[i + 2] === '\n') f += '#;'; // bare values in config: a comment would end them
  if (form.includes('<%N>') || form.includes('>%V<') || form.includes('<')) f += '<>&';
  if (form.includes('$%N') || form.includes('"%V"')) f += '$';
  return f + '{}';
}

export function passwordCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const lang = r.pick(LANGS);
    const form = r.pick(lang.forms);
    const spec = secretName(r);
    const style = r.pick(lang.styles);
    const name = identifier(r, spec.words, style);
    let forbid = forbidOf(form);
    // Punctuation with braces is the point of some cases: allow braces where the value is quoted.
    if (/["'`]%V["'`]/.test(form) && r.chance(0.5)) forbid = forbid.replace('{}', '');
    const quoted = /["'`]%V["'`]/.test(form);
    const value = spec.kind === 'password' ? password(r, forbid, { spaces: quoted }) : secretValue(r, spec.kind, forbid);
    const { before, after } = fill(form, name);
    const path = r.chance(0.8) ? `${r.pick(WORDS)}${lang.ext === 'Dockerfile' ? '/Dockerfile' : '.' + lang.ext}` : undefined;
    out.push(secretCase(`password:${lang.id}`, `${spec.kind} assigned to \`${name}\` in ${lang.id}`, before, value, after, path));
  }
  return out;
}

/** Short names (`pw`, `pass`, `pwd`) hold a secret when the value looks like a password. */
export function shortNameCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.pick(['pw', 'pass', 'pwd', 'PW', 'PASS', 'db_pw', 'pw1', 'userPw']);
    const strong = r.str(ALPHA.b62, r.int(6, 10)) + r.pick(['!', '#', '$', '%', '&', '@', '*', '?']) + r.str(ALPHA.digits, 2);
    const lang = r.pick(LANGS.filter((l) => ['python', 'javascript', 'go', 'ruby', 'shell', 'yaml'].includes(l.id)));
    const form = r.pick(lang.forms.filter((f) => f.includes('"%V"') || f.includes("'%V'")));
    const { before, after } = fill(form, name);
    out.push(secretCase('password:short-name', `password-like value assigned to the short name \`${name}\``, before, strong, after, `${r.pick(WORDS)}.${lang.ext}`));
  }
  return out;
}

/** A user and a password passed positionally to a login call or credential constructor. */
const LOGIN_CALLS: [string, string, string][] = [
  ['python', 'py', 'server.login("%U", "%V")'],
  ['python', 'py', 'ftp.login(user="%U", passwd="%V")'],
  ['csharp', 'cs', 'var cred = new NetworkCredential("%U", "%V");'],
  ['java', 'java', 'new UsernamePasswordCredentials("%U", "%V")'],
  ['java', 'java', 'return new PasswordAuthentication("%U", "%V".toCharArray());'],
  ['php', 'php', '$link = mysqli_connect("db.internal", "%U", "%V", "shop");'],
  ['python', 'py', 'r = requests.get(url, auth=HTTPBasicAuth("%U", ' + '"%V"))'],
  ['javascript', 'js', 'await client.login("%U", "%V");'],
];

export function loginCallCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const [lang, ext, form] = r.pick(LOGIN_CALLS);
    const user = identifier(r, [r.pick(WORDS), r.pick(['svc', 'bot', 'ops', 'admin'])], 'snake');
    const value = password(r, '"\'$');
    const j = form.indexOf('%V');
    out.push(secretCase('password:login-call', `password passed to a login call in ${lang}`, form.slice(0, j).replace('%U', user), value, form.slice(j + 2), `${r.pick(WORDS)}.${ext}`));
  }
  return out;
}

export function comparisonCases(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const c = r.pick(COMPARISONS);
    const form = r.pick(c.forms);
    const spec = secretName(r);
    const name = identifier(r, spec.words, r.pick(['camel', 'snake'] as const));
    const value = secretValue(r, spec.kind, '"\'$');
    const { before, after } = fill(form, name);
    out.push(secretCase('password:comparison', `hardcoded ${spec.kind} compared with \`${name}\``, before, value, after, `auth.${c.ext}`));
  }
  return out;
}

/** Secret-named places holding references, placeholders, labels, types: look-alikes. */
export function passwordLookAlikes(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const lang = r.pick(LANGS.filter((l) => l.id !== 'sql'));
    const form = r.pick(lang.forms);
    const spec = secretName(r);
    const name = identifier(r, spec.words, r.pick(lang.styles));
    const b = benignValue(r, spec.words);
    const quotedForm = /["'`]%V["'`]/.test(form);
    if (!quotedForm && /\s/.test(b.value)) continue; // a bare value cannot hold spaces
    const { before, after } = fill(form, name);
    out.push(benignCase(`password-lookalike:${lang.id}`, 'look-alike', `${b.why} in \`${name}\``, before + b.value + after, `${r.pick(WORDS)}.${lang.ext}`));
  }
  return out;
}

/** Names about secrets whose values are not secrets, and parser/lexer `…Token` variables. */
export function nameLookAlikes(r: Rand, n: number): EvalCase[] {
  const out: EvalCase[] = [];
  const forms: (() => [string, string, string])[] = [
    () => {
      const n = identifier(r, [r.pick(['last', 'next', 'prev', 'current', 'start', 'end', 'peek']), ...r.pick([['token'], ['significant', 'token'], ['token', 'kind']])], 'camel');
      const v = r.pick(['?', '', '#', '']) + identifier(r, [r.pick(WORDS), r.pick(['in', 'of', 'at', 'expression', 'paren']), r.pick(WORDS)], 'pascal');
      return [`${n} = "${v}";`, 'lexer token state holding a token-kind name', 'lexer.js'];
    },
    () => [`const tokenType = "${r.pick(['Bearer', 'bearer', 'MAC', 'JWT', 'access_token'])}";`, 'token type, not a token', 'auth.ts'],
    () => [`password_hash = "${r.str(ALPHA.hex, 64)}"`, 'a password hash (digest) is not the password', 'users.py'],
    () => [`checksum_token = "sha256-${r.str(ALPHA.b64, 43)}="`, 'integrity digest', 'lock.json'],
    () => [`const passwordField = "${r.pick(WORDS)}-password-input";`, 'id of a password input field', 'form.ts'],
    () => [`SECRET_NAME = "${r.pick(WORDS)}/${r.pick(['prod', 'staging'])}/db-password"`, 'name of a secret in a store', 'deploy.py'],
    () => [`secret_ref: ${r.pick(WORDS)}-credentials`, 'reference to a Kubernetes secret', 'values.yaml'],
    () => [`password_min_length = ${r.int(8, 16)}`, 'password policy setting', 'policy.py'],
    () => [`api_key_header = "X-${r.pick(['Api', 'API'])}-Key"`, 'name of a header', 'client.py'],
    () => [`tokenizer = "${r.pick(['bert-base-uncased', 'gpt2', 'wordpiece', 'sentencepiece'])}"`, 'a tokenizer is not a token', 'nlp.py'],
    () => [`nextPageToken = "${r.pick(WORDS)}_${r.int(100, 999)}"`, 'paging cursor', 'list.go'],
    () => [`"publishableKey": "pk_${r.pick(['live', 'test'])}_${r.str(ALPHA.b62, 24)}"`, 'publishable keys are public by design', 'checkout.json'],
    () => [`const paymentIntent = "pi_${r.str(ALPHA.b62, 24)}";`, 'payment intent id (public identifier)', 'pay.ts'],
    () => [`client_id = "${r.str(ALPHA.digits, 12)}-${r.str(ALPHA.lower + ALPHA.digits, 32)}.apps.googleusercontent.com"`, 'OAuth client id is public', 'oauth.py'],
    () => [`secret_version = "${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}"`, 'a version number', 'build.py'],
    () => [`session_token_ttl = ${r.int(60, 86400)}`, 'a duration', 'config.py'],
    () => [`keyId = "${['a', 'b', 'c'].map(() => r.str(ALPHA.hex, 8)).join('-')}"`, 'key id, not key material', 'kms.ts'],
    () => [`const TOKEN_KEY = "${r.pick(WORDS)}_${r.pick(['token', 'auth', 'session'])}";`, 'localStorage key name', 'store.ts'],
    () => [`password = request.form["${r.pick(['password', 'pwd', 'pass'])}"]`, 'value read from the request', 'views.py'],
    () => [`String password = System.getenv("${r.pick(WORDS).toUpperCase()}_PASSWORD");`, 'value read from the environment', 'App.java'],
    () => [`db_password = var.${r.pick(WORDS)}_password`, 'terraform variable reference', 'main.tf'],
    () => [`token = "${r.pick(['test', 'token', 'dummy', 'fake'])}"`, 'obvious test value', 'conftest.py'],
  ];
  for (let i = 0; i < n; i++) {
    const [text, why, path] = r.pick(forms)();
    out.push(benignCase('name-lookalike', 'look-alike', why, text, path));
  }
  return out;
}
