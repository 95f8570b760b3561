/**
 * Generic assignments: a value assigned to, compared with or passed under a
 * name that says it is a secret — `password = "…"`, `api_key: …`,
 * `char db_pass[] = "…"`, `NSString *secretKey = @"…"`, `$pw = '…'`,
 * `'DB_PASSWORD' => '…'`, `setProperty("mail.password", "…")`,
 * `if (secret == "…")`, `<password>…</password>`, `ENV DB_PASS …` — in code,
 * .env, YAML, JSON, TOML, INI, properties, XML, Terraform and shell. Scored
 * by the name (its words, prefixes and suffixes), the value's shape and
 * entropy. Examples: generic.examples.ts.
 */
import { classCount, shannon } from '../entropy';
import { explained } from '../evidence';
import { placeholderReason } from '../placeholders';
import { ruleMakers, type Rule, type ValidationContext } from '../rule';

const { r } = ruleMakers('generic');

export type NameClass = 'password' | 'secret' | 'api-key' | 'token' | 'credential';

/** Words after the secret word that do not change what the name holds (`db_password_secure`, `apiKeyProd`, `PASS_1`). */
const MODIFIERS = new Set([
  'secure', 'value', 'val', 'str', 'string', 'prod', 'production', 'dev', 'development', 'staging', 'stage', 'old', 'plain',
  'plaintext', 'raw', 'local', 'live', 'literal', 'main', 'primary', 'secondary', 'backup', 'real', 'actual', 'final', 'const',
  'enc', 'cleartext', 'clear', 'txt', 'b64', 'base64', 'hex', 'bytes', 'internal', 'external', 'global', 'root', 'admin', 'for', 'of',
]);

/**
 * Last words that make a name about a secret without holding one
 * (`passwordField`, `tokenUrl`, `secretName`, `password_hash`, `apiKeyHeader`).
 */
const NOT_A_SECRET_WORDS = new Set(
  `name names id ids type types url uri urls endpoint path file filename dir field fields length len min max policy policies prompt
  label placeholder pattern regex regexp hint hash hashed digest sha sha1 sha256 md5 checksum header headers param params count env var
  variable ref reference mode format expiry expires expiresat expiresin expiration ttl timeout enabled enable disabled required valid
  validator validation error errors message msg text title description desc help input form confirm confirmation strength visible
  visibility icon class classname style prefix suffix location source provider store manager service helper generator callback
  handler fn func function method strategy rule rules column attr attribute property prop selector button btn link route page view
  screen component template mask version size limit index idx exists set changed reset updated created at date time key keys secrets
  tokens passwords request response req res schema spec option options config setting settings storage cache lookup command cmd
  script mapping map list array sep separator char chars rotation rotated algorithm alg kind category scope scopes audience issuer
  usage location id arn version event events status state flag flags store stores ids path policy lifetime age duration interval
  client id entry entries item items holder slot generator len encoding encoded encrypted kms vault ssm resolver loader reader
  parser lexer writer printer factory builder type kind verification verify verified check checked strategy`.split(/\s+/),
);

/** Words that, anywhere in the name, make it not about a credential. */
const NOT_A_SECRET_ANYWHERE =
  /csrf|xsrf|captcha|nonce|tokeniz|passthrough|passport|bypass|compass|passenger|passage|passive|keystore|truststore|keyboard|keypair|keyspace|keychain|keyframe|keycode|keydown|keyup|keypress|monkey|turkey|donkey|hockey|jockey|whiskey|tokentype|granttype|sso|publishable|public|pubkey|primarykey|foreignkey|sortkey|partitionkey|cachekey|idempotency|storagekey|i18n|translation/;

/** A leading word that makes the name a flag or an operation, not a value (`showPassword`, `is_secret`, `get_token`). */
const NOT_A_SECRET_PREFIX =
  /^(?:is|has|show|use|enable|enabled|allow|require|required|min|max|no|forgot|reset|confirm|verify|validate|check|get|set|update|change|remember|hide|toggle|with|without|sample|example|dummy|fake|mock|placeholder|on|handle|should|can|must|will|did|last|next|prev|previous|current|cur|start|end|open|close|first|peek|lookahead|page|cursor|continuation|cancel|cancellation|sync|num|total|unexpected|invalid|missing|expected|unknown|bad|wrong)$/;

/** The name's words, lower-case: `dbPassword_SECURE1` → db, password, secure, 1. */
export function nameWords(raw: string): string[] {
  return raw
    .replace(/^[$@:&*]+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-zA-Z])([0-9]+)$/, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Names repeat (`password`, `token`, `apiKey`): classify each once. Bounded, cleared when full. */
const classified = new Map<string, NameClass | null>();

/** Classifies a variable name, or undefined if it does not name a secret. */
export function classifyName(rawName: string): NameClass | undefined {
  let c = classified.get(rawName);
  if (c === undefined) {
    if (classified.size >= 4096) classified.clear();
    c = classifyUncached(rawName) ?? null;
    classified.set(rawName, c);
  }
  return c ?? undefined;
}

function classifyUncached(rawName: string): NameClass | undefined {
  // Member access (`config.db.password`, `$this->password`): the last part names the value.
  const last = rawName.split(/->|::/).pop() ?? rawName;
  const words = nameWords(last);
  if (!words.length) return undefined;
  if (NOT_A_SECRET_PREFIX.test(words[0]) && words.length > 1) return undefined;
  while (words.length > 1 && (MODIFIERS.has(words[words.length - 1]) || /^\d+$/.test(words[words.length - 1]))) words.pop();
  const flat = words.join('');
  if (NOT_A_SECRET_ANYWHERE.test(flat)) return undefined;
  const tail = words[words.length - 1];
  const secretTail = /^(?:pass|passwd|password|pwd|pswd|pw|secret|token|credential|credentials|creds|passphrase|apikey|passcode)$/.test(tail);
  if (!secretTail && tail !== 'key' && NOT_A_SECRET_WORDS.has(tail)) return undefined;
  if (/pass(?:word|wd|wrd|phrase|code)?$|pwd$|pswd$|passwort$|password|passwd|passphrase|contrase(?:n|ñ)a|mot_?de_?passe|senha/.test(flat)) return 'password';
  if (tail === 'pw') return 'password';
  if (/(?:api|access|app|auth|master|signing|sign|encryption|encrypt|private|secret|license|licence|subscription|client|consumer|service|admin|server|session|hmac|crypt|cipher|jwt|webhook|integration|account|storage|bot|shared|security|aes|des|rsa)key$|apikey|xapikey/.test(flat)) return 'api-key';
  if (/secret/.test(flat)) return 'secret';
  if (/token$|bearer|authtoken|accesstoken|refreshtoken|apitoken|bottoken|sessiontoken/.test(flat)) return 'token';
  if (/credential|creds$|connectionstring|connstr/.test(flat)) return 'credential';
  return undefined;
}

const REFERENCE = /^(?:(?:\/|\.\/|~\/)[\w.@%+-]*(?:\/[\w.@%+-]*)*$|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|env\(|env\[|ENV\[|System\.getenv|Environment\.GetEnvironmentVariable|config\.|settings\.|self\.|this\.|props\.|params\.|args\.|options\.|opts\.|req\.|request\.|secrets\.|var\.|local\.|module\.|data\.|vault:|ref\+|arn:aws:secretsmanager|arn:aws:ssm|projects\/[^/]+\/secrets\/|sm:\/\/|op:\/\/|keyvault:|akv:\/\/|ssm:|file:)/i;
const TYPE_NAMES = /^(?:string|str|number|int|integer|bool|boolean|any|unknown|object|bytes|byte|char|text|varchar|optional|none|null|nil|true|false|undefined|yes|no|on|off|empty|required|optional|secret|password|passwd|pass|pwd|token|apikey|api_key|key|value|default|hidden|string\[\]|securestring|redacted|masked|xxx|tbd|todo|n\/a|na|blank|str\(\)|os|env|environ|auto|generated|random|prompt|ask|input|stdin|vault|sops|kms|secure|encrypted|sensitive|nullable|omit|unset|inherit|disabled)$/i;
const FILE_LIKE = /\.(?:pem|key|crt|cer|p12|pfx|jks|json|ya?ml|txt|env|properties|conf|cfg|ini|toml|xml|js|ts|py|rb|go|sh|gpg|asc|der|keystore|secret|secrets|html|png|svg|log)$/i;
const CONFIG_FILE = /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.(?:env|ini|cfg|conf|properties|ya?ml|toml|sh|bash|zsh|ps1|bat|cmd|tf|tfvars|hcl)|Dockerfile[\w.-]*|\.npmrc|\.pypirc|\.netrc|\.pgpass)$/i;
const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|kts|scala|cs|fs|php|rs|swift|m|mm|c|cc|cpp|h|hpp|dart|lua|pl|pm|r|jl|ex|exs|erl|clj|groovy|vue|svelte)$/i;

/** Minimum length and entropy per name class. */
const FLOORS: Record<NameClass, { len: number; entropy: number }> = {
  password: { len: 6, entropy: 2.0 },
  secret: { len: 8, entropy: 2.8 },
  'api-key': { len: 12, entropy: 3.0 },
  token: { len: 12, entropy: 3.0 },
  credential: { len: 8, entropy: 2.8 },
};

/** A value made of words, as identifiers are (`?InterpolationInTemplate`, `RightParen`, `user_profile`). */
function wordShaped(value: string): boolean {
  const core = value.replace(/^[^A-Za-z0-9]{1,3}|[^A-Za-z0-9]{1,3}$/g, '');
  return /^[a-z]{2,}(?:[A-Z][a-z]+|[0-9]{1,2}$)+$/.test(core) || /^(?:[A-Z][a-z]+|[A-Z]{2,4}(?=[A-Z][a-z]|$)){2,}[0-9]?$/.test(core) || /^[a-z]+(?:[._-][a-z]+)+$/.test(core);
}

/** UI text and translations: what a quoted value with spaces under a password name usually is. */
const UI_WORDS = /\b(?:your|please|enter|required|invalid|incorrect|wrong|must|should|cannot|can't|at least|characters|confirm|forgot|reset|show|hide|new|old|current|field|optional|here|click|type|is|are|the|a|an)\b/i;

/**
 * A quoted passphrase with spaces (`"correct horse battery staple"`), not a
 * sentence, a label or a translation: a few words, lower-case or mixed with
 * symbols, outside locale files.
 */
function spacedPassword(value: string, path = ''): boolean {
  const words = value.split(/\s+/).length;
  if (value.length < 12 || value.length > 64 || words < 3 || words > 6) return false;
  if (/["'`(),;{}[\]=+]/.test(value)) return false; // code around a quoted fragment (`", pw("x"), "`)
  if (/(?:^|\/)(?:locales?|i18n|lang|langs|translations?|l10n|messages)\//i.test(path)) return false;
  if (/^[A-Z][a-z]*(?:\s+[a-z]+)*[.:?!…]?$/.test(value) || /[.:?…]$/.test(value)) return false; // "Mot de passe", "Secret key:"
  if (/\s{2,}|^\s|\s$/.test(value)) return false;
  return !UI_WORDS.test(value);
}

/**
 * Does this value, under this name, look like a hardcoded secret? The name
 * must name a secret of class `want`; the value must not be a reference, a
 * type, a placeholder, a file, an identifier, a number or prose, and must
 * clear the class's length and entropy floor. Short names (`pw`, `pass`)
 * need a password-like value: several character classes, or length.
 */
export function judgeAssignment(want: NameClass, name: string, value: string, quoted: boolean, ctx: ValidationContext): boolean {
  if (classifyName(name) !== want) return false;
  const floor = FLOORS[want];
  if (value.length < floor.len) return false;
  // `"\x6d\x61\x73…"`: judge the text the escapes spell (TLS labels like "master secret" are not keys).
  if (/^(?:\\x[0-9a-fA-F]{2}){4,}$/.test(value)) {
    const decoded = value.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (/^[\x20-\x7e]+$/.test(decoded)) return judgeAssignment(want, name, decoded, quoted, ctx);
  }
  if (REFERENCE.test(value) || TYPE_NAMES.test(value) || FILE_LIKE.test(value)) return false;
  if (/["'`][ \t]*[,)+]|[(,+][ \t]*["'`]/.test(value)) return false; // a code fragment between two string literals (`", pw("x"), "`)
  if (/\s/.test(value) && !(quoted && (want === 'password' || want === 'secret') && spacedPassword(value, ctx.path))) return false; // prose, messages, SQL
  if (/[\u2e80-\uffff]/.test(value)) return false; // CJK text: a translated message, not a key
  if (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) return false; // URLs: the connection-string and basic-auth rules own credentials in them
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || /^[A-Z]{4,}$/.test(value)) return false; // the name of an environment variable or constant
  if (/^-?\d+(?:\.\d+)?$/.test(value) && value.length < 10) return false; // numbers: ports, timeouts
  if (/^--?[A-Za-z]/.test(value)) return false; // a command-line flag (`['create', 'app/token', '--description']`)
  if (/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]{1,40})+$/.test(value) && value.split('/').every((seg) => /^(?:[a-z0-9]+|[A-Z0-9]+|[A-Z]?[a-z0-9]+)(?:[_.-](?:[a-z0-9]+|[A-Z0-9]+|[A-Z]?[a-z0-9]+))*$/.test(seg))) return false; // a secret's name or path (`prod/db/password`)
  const flatName = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const flatValue = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (flatName.length >= 4 && flatValue.includes(flatName)) return false; // `DB_PASSWORD: "myapp/DB_PASSWORD"`
  if (flatValue === flatName) return false;
  // A value naming the thing (`test-secret-value`, `FlowPasswordRequiredResultV2`, `msal:acquireTokenFromNetworkStart`).
  if (/pass(?:word|wd|phrase)|secret|token|apikey|api[-_]key|credential/i.test(value)) return false;
  if (/^[\^~<>=v]{0,2}\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value)) return false; // a version (`^10.2.2`)
  if (/^[\^~<>=v\d.*x|\s-]+$/.test(value) && /\d\.\d/.test(value)) return false; // a version range (`^5.0.0 || ^6.0.2`)
  if ((want === 'secret' || want === 'password' || want === 'credential') && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false; // an id
  // Identifiers: for a password, only pure words (`userPassword`, `admin_user`); words with digits or symbols (`FalconRiver42!`) are how people choose passwords.
  if (want === 'password' ? /^(?:[a-z]+(?:[A-Z][a-z]+)+|(?:[A-Z][a-z]+){2,}|[a-z]+(?:[._-][a-z]+)+)$/.test(value) : wordShaped(value)) return false;
  if (/^(?:sha(?:1|224|256|384|512)|md5|blake2b?)[-:]/i.test(value)) return false; // an integrity digest (`sha256-…`)
  if (/\(\?[:=!<]|\[\^|\\[dwsbDWS][*+?{]|\)[*+?]\)?$/.test(value)) return false; // a regular expression's source
  if (/^[A-Za-z_][\w.]*(?:\[[\w., [\]]+\]|<[\w., <>]+>)$/.test(value)) return false; // a generic type (`Optional[str]`, `List<String>`)
  if (!quoted) {
    const path = ctx.path ?? '';
    if (CODE_EXT.test(path)) return false; // unquoted in code is an expression, not a literal
    const config = CONFIG_FILE.test(path);
    // Outside a config file, a bare word is more likely a variable than a password.
    if (!config && /^[A-Za-z_]+$/.test(value)) return false;
    if (/^[A-Za-z_$][\w$.]*[([]/.test(value) || /^[A-Za-z]+(?:-[A-Za-z]+)+$/.test(value)) return false; // a call, an index, a command (`ConvertTo-SecureString`)
    if (/&&|\|\||=>|\?\?|[A-Za-z_$]\(/.test(value)) return false; // an expression (`ot&&(C?x`), minified code
    if (!config && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // member access
  }
  const h = shannon(value);
  if (h < floor.entropy) return false;
  // Last, as the costliest: placeholders, also when base64-encoded (`Y2hhbmdlbWU=`).
  if (placeholderReason(value) !== undefined) return false;
  if (value.length % 4 === 0 && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (/^[\x20-\x7e]+$/.test(decoded) && placeholderReason(decoded) !== undefined) return false;
  }
  if (want !== 'password' && /^[a-z]+$/.test(value) && value.length < 20) return false; // a lower-case word is a name, not a key
  // Short names (`pw`, `pass`) are also abbreviations of other things: the value must look like a password.
  const words = nameWords(name);
  if (want === 'password' && words.length === 1 && /^(?:pw|pass)$/.test(words[0]) && !(classCount(value) >= 3 || (value.length >= 12 && h >= 3))) return false;
  return true;
}

/** The entropy floor a class applies (for the finding's evidence). */
export function floorOf(want: NameClass): number {
  return FLOORS[want].entropy;
}

/**
 * Name, operator, value. Names: anything identifier-like (the judge
 * decides), with C array brackets and closing quotes of keys. Operators:
 * assignment (`=`, `:=`, `=>`, `?=`, `:`), a typed declaration
 * (`: &str =`, `: String =`), comparison (`==`, `===`, `!=`, Perl `eq`),
 * brace initialisation (`{"…"}`), `,` after a quoted key
 * (`setProperty("password", "…")`, `define('DB_PASS', '…')`), and a blank
 * before a quoted literal that ends the statement (Gradle/Groovy DSL
 * `password "…"`). Values:
 * double-, single- or back-quoted (groups 3–5, optionally `@`/`r`/`b`
 * prefixed: Objective-C, C# verbatim, Python) or bare (group 6).
 */
const ASSIGNMENT = new RegExp(
  '(?<![\\w.$@:-])([A-Za-z_$@:][\\w.$-]{0,80})(?:\\[\\d{0,4}\\])?["\'\\]]{0,2}' +
    '[ \\t]{0,8}(:[ \\t]{0,4}[&*]{0,2}[A-Za-z_][\\w.:<>[\\]?&*]{0,40}[ \\t]{0,4}=(?!=)|=>|:=|\\?=|===?|!==?|=|:(?!:)|,|\\{|[ \\t]eq(?=[ \\t])|[ \\t]ne(?=[ \\t])|(?<=[\\w$][ \\t]{1,8})(?=["\'][^"\'\\r\\n]{1,256}["\'][ \\t]*(?:[;})]|\\r?\\n|$)))' +
    '[ \\t]{0,8}(?:[rbuRBUN@](?=["\'`]))?' +
    '(?:"((?:[^"\\\\\\r\\n]|\\\\.){1,256})"|\'((?:[^\'\\\\\\r\\n]|\\\\.){1,256})\'|`((?:[^`\\\\\\r\\n]|\\\\.){1,256})`|([^\\s"\'`;,)}\\]<>#][^\\s"\'`;,)}\\]<>]{0,255}))',
);

/** Operators after which only a quoted literal counts (a comparison, a call argument, a brace initialiser). */
const QUOTED_ONLY_OP = /^(?:===?|!==?|,|\{|[ \t](?:eq|ne)|)$/;

function generic(id: string, title: string, want: NameClass, keywords: string[], envVar: string): Rule {
  return r(id, title, want === 'api-key' ? 'api-key' : want, envVar, keywords, ASSIGNMENT, {
    secretGroup: [3, 4, 5, 6],
    nameGroup: 1,
    assignmentAnchored: true,
    confidence: 'medium',
    skipPlaceholderCheck: true, // the judge runs it, after the cheaper checks
    validators: [
      explained(
        (secret, m, ctx) => {
          const quoted = m[6] === undefined;
          const op = m[2];
          if (!quoted && QUOTED_ONLY_OP.test(op)) return false;
          // `,` only after a quoted key: `("password", "…")`, not `f(password, "…")`.
          if (op === ',') {
            // `("password", "…")`: the name is a quoted key, opened right before it and closed right after it.
            const closing = m[0].slice(0, m[0].indexOf(',')).trimEnd().slice(-1);
            if (!/["']/.test(closing) || m.input[m.index - 1] !== closing) return false;
            // …and the value ends the call (`setProperty("password", "…")`), not one item of a list (`["pass", "pixel", …]`).
            if (!/^[ \t]*\)/.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 6))) return false;
          }
          // A template literal with interpolation is built at run time.
          if (m[5] !== undefined && secret.includes('${')) return false;
          // In a comparison or an argument list, a plain word is a keyword or a label (`["text", "password", "search"]`).
          if (QUOTED_ONLY_OP.test(op) && classCount(secret) < 2 && !(secret.length >= 12 && shannon(secret) >= 3)) return false;
          // `$x = Get-Thing -Arg`, `TOKEN=$(cmd) other`: a bare value followed by more words is an expression.
          if (!quoted && /^[ \t]+(?:["'$([{]|-[A-Za-z])/.test(m.input.slice(m.index + m[0].length, m.index + m[0].length + 12))) return false;
          return judgeAssignment(want, m[1], secret, quoted, ctx);
        },
        'name',
        (_s, m) => `the name \`${m[1]}\` says it holds a ${want}; the value is a literal, not a reference, placeholder or identifier`,
        () => FLOORS[want].entropy,
      ),
    ],
  });
}

/** An element whose name says it holds a secret: `<password>…</password>`, `<DbPasswordProd>…</DbPasswordProd>`. */
const XML_ELEMENT = /(?<=<)([A-Za-z_][\w.:-]{0,60})>([^<>\s]{1,256})<\/\1>/;

/**
 * Key/value pairs naming a secret: `<add key="ApiKey" value="…"/>`,
 * `<entry key="db.password">…</entry>`, plist `<key>password</key><string>…</string>`.
 */
const XML_KEY_VALUE = new RegExp(
  '(?:key|name)\\s{0,2}=\\s{0,2}"([A-Za-z0-9_.:-]{1,80})"\\s{1,10}value\\s{0,2}=\\s{0,2}"([^"\\s]{1,256})"|' +
    '<entry\\s{1,4}key\\s{0,2}=\\s{0,2}"([A-Za-z0-9_.:-]{1,80})"\\s{0,4}>([^<>\\s]{1,256})</entry>|' +
    '<key>([A-Za-z0-9_.:-]{1,80})</key>\\s{0,40}<string>([^<>\\s]{1,256})</string>',
);

const judgedByName = (nameOf: (m: RegExpExecArray) => string, quoted = true) =>
  explained(
    (secret: string, m: RegExpExecArray, ctx: ValidationContext) => {
      const name = nameOf(m);
      const want = classifyName(name);
      return want !== undefined && judgeAssignment(want, name, secret, quoted, ctx);
    },
    'name',
    (_s, m) => `the name \`${nameOf(m)}\` says it holds a secret; the value is a literal, not a reference, placeholder or identifier`,
    (_s, m) => {
      const want = classifyName(nameOf(m));
      return want ? FLOORS[want].entropy : undefined;
    },
  );

/** `#define DB_PASSWORD "…"`. */
const C_DEFINE = /#[ \t]{0,4}define[ \t]{1,8}([A-Za-z_][\w]{0,80})[ \t]{1,8}(?:@|L|u8)?"((?:[^"\\\r\n]|\\.){1,256})"/;

/**
 * Comparisons and copies written as calls: `password.equals("…")`,
 * `"…".equals(password)`, `strcmp(pw, "…")`, `strcpy(pw, "…")`. Anchored at
 * the function's name (the keyword); what precedes `.equals` is a lookbehind.
 */
const CALL_COMPARISON = new RegExp(
  '(?<=([A-Za-z_$][\\w$]{0,80})\\.)(?:equals|equalsIgnoreCase|Equals)\\(\\s{0,4}"((?:[^"\\\\\\r\\n]|\\\\.){1,256})"\\s{0,4}\\)|' +
    '(?<="((?:[^"\\\\\\r\\n]|\\\\.){1,256})"\\.)(?:equals|equalsIgnoreCase|Equals)\\(\\s{0,4}([A-Za-z_$][\\w$.]{0,80})\\s{0,4}\\)|' +
    '(?<![\\w$])(?:strn?cmp|strn?casecmp|g_strcmp0|strn?cpy|strlcpy|wcs(?:n?cpy|cmp)|String\\.Equals)\\(\\s{0,4}([A-Za-z_$][\\w$.>-]{0,80})\\s{0,4},\\s{0,4}"((?:[^"\\\\\\r\\n]|\\\\.){1,256})"',
);

/** A Terraform variable whose name says it is a secret, with a literal default. */
const TF_VARIABLE = /variable[ \t]{1,4}"([\w-]{1,80})"[ \t]{0,4}\{[^{}]{0,400}?\bdefault[ \t]{0,8}=[ \t]{0,8}"([^"\r\n]{1,256})"/;

/** Dockerfile `ENV NAME value` (the old form without `=`). */
const DOCKER_ENV = /(?<=(?:^|\n)[ \t]{0,8})(?:ENV|ARG)[ \t]{1,8}([A-Za-z_][\w]{0,80})[ \t]{1,8}([^\s"'=][^\s]{0,254})[ \t]*(?=\r?\n|$)/;

/** PowerShell: a literal turned into a SecureString is a hardcoded credential whatever the variable is called. */
const PS_SECURESTRING = /ConvertTo-SecureString[ \t]{1,8}(?:-String[ \t]{1,8})?(?:"([^"\r\n]{1,256})"|'([^'\r\n]{1,256})')[ \t]{1,8}-AsPlainText/i;

/**
 * A user and a password passed positionally to a login call or a credential
 * constructor: `smtp.login("ops", "…")`, `new NetworkCredential("svc", "…")`,
 * `new UsernamePasswordCredentials("u", "…")`, `mysqli_connect("db", "u", "…")`.
 */
const LOGIN_CALL = new RegExp(
  '(?<![\\w$])(?:login|logIn|log_in|signIn|sign_in|authenticate|authorize|setCredentials|basicAuth|basic_auth|' +
    'NetworkCredential|PasswordAuthentication|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken|PasswordCredential|SqlCredential|BasicCredentials|HTTPBasicAuth|HttpBasicAuth|HTTPDigestAuth)' +
    '[ \\t]{0,2}\\([ \\t]{0,4}["\'`]([^"\'`\\s]{1,128})["\'`][ \\t]{0,4},[ \\t]{0,4}["\'`]([^"\'`\\r\\n]{1,256})["\'`][ \\t]{0,4}(?:\\)|,|\\.toCharArray)|' +
    '(?<![\\w$])(?:mysqli?_connect|mysqli|pg_connect|mssql_connect|oci_connect|ldap_bind)[ \\t]{0,2}\\([ \\t]{0,4}(?:["\'][^"\'\\r\\n]{1,128}["\'][ \\t]{0,4},[ \\t]{0,4})?["\']([^"\'\\s]{1,128})["\'][ \\t]{0,4},[ \\t]{0,4}["\']([^"\'\\r\\n]{1,256})["\']',
);

/**
 * A name/value pair whose name says it is a secret: Kubernetes and Compose
 * `env` entries (`- name: DB_PASSWORD` / `value: …`), ECS task definitions
 * and other JSON (`{"name": "API_TOKEN", "value": "…"}`).
 */
const NAME_VALUE = new RegExp(
  '"?name"?[ \\t]{0,4}:[ \\t]{0,4}["\']?([A-Za-z_][\\w.-]{0,80})["\']?[ \\t]{0,4}(?:,[ \\t]{0,4}|\\r?\\n[ \\t]{0,40})"?value"?[ \\t]{0,4}:[ \\t]{0,4}' +
    '(?:"([^"\\r\\n]{1,256})"|\'([^\'\\r\\n]{1,256})\'|([^\\s"\'#,}\\]]{1,256}))',
);

export const GENERIC_RULES: Rule[] = [
  generic('generic-password', 'Password', 'password', ['pass', 'pwd', 'pswd', 'passwort', 'pw'], 'PASSWORD'),
  generic('generic-secret', 'Secret', 'secret', ['secret'], 'SECRET'),
  generic('generic-api-key', 'API key', 'api-key', ['key'], 'API_KEY'),
  generic('generic-token', 'Token', 'token', ['token', 'bearer'], 'TOKEN'),
  generic('generic-credential', 'Credential', 'credential', ['credential', 'creds', 'connstr', 'connectionstring'], 'CREDENTIAL'),
  r('xml-secret', 'Secret in XML', 'password', 'PASSWORD', ['pass', 'pwd', 'pswd', 'secret', 'token', 'key', 'credential'], XML_ELEMENT, {
    secretGroup: 2,
    nameGroup: 1,
    assignmentAnchored: true,
    confidence: 'medium',
    priority: -10,
    skipPlaceholderCheck: true,
    validators: [judgedByName((m) => m[1])],
  }),
  r('xml-key-value-secret', 'Secret in an XML key/value pair', 'password', 'PASSWORD', ['value="', '<entry', '</key>'], XML_KEY_VALUE, {
    secretGroup: [2, 4, 6],
    nameGroup: [1, 3, 5],
    confidence: 'medium',
    priority: -10,
    skipPlaceholderCheck: true,
    multiline: true,
    span: { before: 100, after: 200 },
    validators: [judgedByName((m) => m[1] ?? m[3] ?? m[5])],
  }),
  r('name-value-secret', 'Secret in a name/value pair', 'password', 'PASSWORD', ['value:', '"value"'], NAME_VALUE, {
    secretGroup: [2, 3, 4], nameGroup: 1, confidence: 'medium', priority: -10, skipPlaceholderCheck: true, multiline: true, span: { before: 160, after: 300 },
    validators: [
      explained(
        (secret, m, ctx) => {
          const want = classifyName(m[1]);
          return want !== undefined && judgeAssignment(want, m[1], secret, m[4] === undefined, ctx);
        },
        'name',
        (_s, m) => `the entry named \`${m[1]}\` holds a literal secret`,
        (_s, m) => {
          const want = classifyName(m[1]);
          return want ? FLOORS[want].entropy : undefined;
        },
      ),
    ],
  }),
  r('c-define-secret', 'Secret in a #define', 'password', 'PASSWORD', ['#define', '# define'], C_DEFINE, {
    secretGroup: 2, nameGroup: 1, confidence: 'medium', priority: -10, skipPlaceholderCheck: true,
    validators: [judgedByName((m) => m[1])],
  }),
  r('secret-comparison', 'Hardcoded secret in a comparison', 'password', 'PASSWORD',
    ['equals(', 'equalsignorecase(', 'strcmp(', 'strncmp(', 'strcasecmp(', 'strncasecmp(', 'g_strcmp0(', 'strcpy(', 'strncpy(', 'strlcpy(', 'wcscmp(', 'wcscpy(', 'wcsncpy(', 'string.equals('],
    CALL_COMPARISON, {
    anchored: true,
    secretGroup: [2, 3, 6], nameGroup: [1, 4, 5], confidence: 'medium', priority: -10, skipPlaceholderCheck: true,
    validators: [judgedByName((m) => m[1] ?? m[4] ?? m[5])],
  }),
  r('terraform-variable-default', 'Secret as a Terraform variable default', 'password', 'TF_VAR', ['variable "'], TF_VARIABLE, {
    secretGroup: 2, nameGroup: 1, confidence: 'medium', priority: -10, skipPlaceholderCheck: true, multiline: true, span: { before: 0, after: 600 },
    validators: [judgedByName((m) => m[1])],
  }),
  r('dockerfile-env-secret', 'Secret in a Dockerfile ENV', 'password', 'PASSWORD', ['env ', 'arg ', 'env\t', 'arg\t'], DOCKER_ENV, {
    anchored: true,
    secretGroup: 2, nameGroup: 1, confidence: 'medium', priority: -10, skipPlaceholderCheck: true,
    validators: [judgedByName((m) => m[1], false)],
  }),
  r('login-call-password', 'Password passed to a login call or credential constructor', 'password', 'PASSWORD',
    ['login', 'log_in', 'signin', 'sign_in', 'authenticate', 'authorize', 'setcredentials', 'basicauth', 'basic_auth', 'networkcredential', 'passwordauthentication',
      'usernamepassword', 'passwordcredential', 'sqlcredential', 'basiccredentials', 'httpbasicauth', 'httpdigestauth', 'mysql_connect', 'mysqli', 'pg_connect',
      'mssql_connect', 'oci_connect', 'ldap_bind'],
    LOGIN_CALL, {
      anchored: true,
      secretGroup: [2, 4], nameGroup: [1, 3], confidence: 'medium', priority: -6, skipPlaceholderCheck: true,
      validators: [
        explained(
          (secret, m, ctx) => {
            const user = m[1] ?? m[3];
            if (secret === user || /^(?:user|username|password|pass|pwd|secret|token)$/i.test(secret)) return false;
            if (/^(?:anonymous|ftp|guest)$/i.test(user)) return false; // anonymous FTP: the "password" is an e-mail address by convention
            return judgeAssignment('password', 'password', secret, true, ctx) && (classCount(secret) >= 2 || secret.length >= 10);
          },
          'context',
          (_s, m) => `the password argument of a login call or credential constructor (user \`${m[1] ?? m[3]}\`)`,
        ),
      ],
    }),
  r('powershell-securestring', 'Password turned into a PowerShell SecureString', 'password', 'PASSWORD', ['-asplaintext'], PS_SECURESTRING, {
    secretGroup: [1, 2], confidence: 'medium', priority: -5,
    validators: [
      explained((s, _m, ctx) => judgeAssignment('password', 'password', s, true, ctx), 'context', 'a literal passed to ConvertTo-SecureString -AsPlainText'),
    ],
  }),
];
