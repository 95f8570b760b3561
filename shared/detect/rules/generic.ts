/**
 * Generic assignments: `password = "…"`, `api_key: …`, `secret=…` in code,
 * .env, YAML, JSON, TOML, INI, properties, XML and shell, scored by the
 * variable's name, the value's entropy and its shape. Examples:
 * generic.examples.ts.
 */
import { shannon } from '../entropy';
import { placeholderReason } from '../placeholders';
import { caseless, ruleMakers, type Rule, type ValidationContext } from '../rule';

const { r } = ruleMakers('generic');

export type NameClass = 'password' | 'secret' | 'api-key' | 'token' | 'credential';

/** Names whose value is about a secret but is not one (`passwordField`, `tokenUrl`, `secretName`, `show_password`). */
const NOT_A_SECRET_SUFFIX =
  /(?:name|names|id|ids|type|types|url|uri|urls|endpoint|path|file|filename|dir|field|fields|length|len|min|max|policy|policies|prompt|label|placeholder|pattern|regex|regexp|hint|hash|hashed|digest|header|headers|param|params|count|env|var|variable|ref|mode|format|expiry|expires|expiresat|expiresin|ttl|timeout|enabled|required|valid|validator|validation|error|errors|message|msg|text|title|description|desc|help|input|form|confirm|confirmation|strength|visible|visibility|icon|class|classname|style|prefix|suffix|location|source|provider|store|manager|service|helper|generator|callback|handler|fn|func|method|strategy|rule|rules|column|attr|attribute|property|prop|selector|button|btn|link|route|page|view|screen|component|template|mask|version|size|limit|index|idx|exists|set|changed|reset|updated|created|at|date|time|count|key|keys|secrets|tokens|passwords|request|response|req|res|schema|spec|file|option|options|config|setting|settings|storage|cache|lookup|path|command|cmd|script|mapping|map|list|array|sep|separator|char|chars|rotation|rotated|algorithm|alg|kind|category|scope|scopes|audience|issuer|usage|length|location|hint|id)$/;
const NOT_A_SECRET_PREFIX = /^(?:is|has|show|use|enable|enabled|allow|require|required|min|max|no|forgot|reset|confirm|new|old|current|verify|validate|check|get|set|update|change|remember|hide|toggle|with|without|sample|example|dummy|fake|mock|test|placeholder)(?=[A-Z_.-]|$)/i;

/** Classifies a variable name, or undefined if it does not name a secret. */
export function classifyName(rawName: string): NameClass | undefined {
  const name = rawName.replace(/^[$@:]+/, '');
  if (NOT_A_SECRET_PREFIX.test(name)) return undefined;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const last = words.split(/[^a-z0-9]+/).filter(Boolean).pop() ?? '';
  const flat = words.replace(/[^a-z0-9]/g, '');
  if (/csrf|xsrf|captcha|nonce|tokenizer|tokenize|passthrough|passport|bypass|compass|passenger|passage|keystore|truststore|keyboard|keypair|keyspace|tokentype|grant|sso|^pk$|publishable|public/.test(flat)) return undefined;
  if (last !== 'key' && NOT_A_SECRET_SUFFIX.test(last) && !/(?:pass|pwd|secret|token|credential|creds)$/.test(last)) return undefined;
  if (/pass(?:word|wd|phrase|wrd)?$|pwd$|pswd$|passwort$|passcode$|^pass$|password|passwd|passphrase/.test(flat)) return 'password';
  if (/(?:api|access|app|auth|master|signing|sign|encryption|encrypt|private|secret|license|subscription|client|consumer|service|admin|server|session|hmac|crypt|cipher|jwt)key$|apikey|xapikey/.test(flat)) return 'api-key';
  if (/secret/.test(flat)) return 'secret';
  if (/token$|tokens?[a-z]*$|bearer|authtoken|accesstoken|refreshtoken/.test(flat) && /token|bearer/.test(flat)) return 'token';
  if (/credential|creds$|connectionstring|connstr/.test(flat)) return 'credential';
  return undefined;
}

const REFERENCE = /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|env\(|env\[|ENV\[|System\.getenv|Environment\.GetEnvironmentVariable|config\.|settings\.|self\.|this\.|props\.|params\.|args\.|options\.|opts\.|req\.|request\.|secrets\.|vault:|ref\+|arn:aws:secretsmanager|arn:aws:ssm|projects\/[^/]+\/secrets\/|sm:\/\/|op:\/\/|keyvault:|akv:\/\/|file:|\/|\.\/|~\/)/i;
const TYPE_NAMES = /^(?:string|str|number|int|integer|bool|boolean|any|unknown|object|bytes|byte|char|text|varchar|optional|none|null|nil|true|false|undefined|yes|no|on|off|empty|required|optional|secret|password|passwd|pass|pwd|token|apikey|api_key|key|value|default|hidden|string\[\]|securestring|redacted|masked|xxx|tbd|todo|n\/a|na|blank|str\(\)|os|env|environ)$/i;
const FILE_LIKE = /\.(?:pem|key|crt|cer|p12|pfx|jks|json|ya?ml|txt|env|properties|conf|cfg|ini|toml|xml|js|ts|py|rb|go|sh|gpg|asc|der|keystore|secret|secrets|html|png|svg)$/i;
const CONFIG_FILE = /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.(?:env|ini|cfg|conf|properties|ya?ml|toml|sh|bash|zsh|ps1|bat|cmd)|Dockerfile[\w.-]*|\.npmrc|\.pypirc|\.netrc|\.pgpass)$/i;
const CODE_EXT = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|kts|scala|cs|fs|php|rs|swift|m|mm|c|cc|cpp|h|hpp|dart|lua|pl|pm|r|jl|ex|exs|erl|clj|groovy|vue|svelte)$/i;

/** Minimum length and entropy per name class. */
const FLOORS: Record<NameClass, { len: number; entropy: number }> = {
  password: { len: 6, entropy: 2.0 },
  secret: { len: 8, entropy: 2.8 },
  'api-key': { len: 12, entropy: 3.0 },
  token: { len: 12, entropy: 3.0 },
  credential: { len: 8, entropy: 2.8 },
};

/**
 * Does this value, assigned to this name, look like a hardcoded secret?
 * The name must name a secret of `want` class; the value must not be a
 * reference, a type, a placeholder, a file, an identifier or prose.
 */
export function judgeAssignment(want: NameClass, name: string, value: string, quoted: boolean, ctx: ValidationContext): boolean {
  if (classifyName(name) !== want) return false;
  const floor = FLOORS[want];
  if (value.length < floor.len) return false;
  if (REFERENCE.test(value) || TYPE_NAMES.test(value) || FILE_LIKE.test(value)) return false;
  if (placeholderReason(value) !== undefined) return false;
  if (value.length % 4 === 0 && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(value)) {
    // Base64 of a placeholder (`Y2hhbmdlbWU=`) is still a placeholder.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (/^[\x20-\x7e]+$/.test(decoded) && placeholderReason(decoded) !== undefined) return false;
  }
  if (/\s/.test(value)) return false; // prose, messages, SQL
  if (/^https?:\/\//i.test(value)) return false; // URLs: basic-auth-url handles credentials in them
  if (/^[A-Z][A-Z0-9_]{3,}$/.test(value)) return false; // the name of an environment variable or constant
  if (/^-?\d+(?:\.\d+)?$/.test(value) && value.length < 10) return false; // numbers: ports, timeouts
  if (/^[a-z]{2,}(?:[A-Z][a-z]{2,})+[0-9]?$/.test(value) || /^(?:[A-Z][a-z]{2,}[0-9]*){2,}$/.test(value)) return false; // camelCase / PascalCase identifier (words, not random case)
  if (/^[A-Za-z_.-]+(?:\/[A-Za-z0-9_.-]{1,40})+$/.test(value) && !/[+=]/.test(value)) return false; // a secret's name or path (`prod/db/password`)
  const flatName = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const flatValue = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (flatName.length >= 4 && flatValue.includes(flatName)) return false; // `DB_PASSWORD: "myapp/DB_PASSWORD"`
  // A value naming the thing (`test-secret-value`, `FlowPasswordRequiredResultV2`, `msal:acquireTokenFromNetworkStart`).
  if (/pass(?:word|wd|phrase)|secret|token|apikey|api[-_]key|credential/i.test(value)) return false;
  if (/^[\^~<>=v]{0,2}\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value)) return false; // a version (`^10.2.2`)
  if ((want === 'secret' || want === 'password' || want === 'credential') && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false; // an id
  if (/^[a-z]+(?:[._-][a-z]+)+$/.test(value)) return false; // kebab/snake/dotted words
  if (value.toLowerCase().replace(/[^a-z0-9]/g, '') === name.toLowerCase().replace(/[^a-z0-9]/g, '')) return false;
  if (!quoted) {
    const path = ctx.path ?? '';
    if (CODE_EXT.test(path)) return false; // unquoted in code is an expression, not a literal
    // Outside a config file, a bare word is more likely a variable than a password.
    if (!CONFIG_FILE.test(path) && /^[A-Za-z_]+$/.test(value)) return false;
    if (/[()[\]{}\\]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // call or member access
  }
  if (/^[a-f0-9]{40}$/.test(value) && want === 'password') return false; // a git SHA passed as a password is rare; SHA-1 digests common
  const h = shannon(value);
  if (h < floor.entropy) return false;
  if (want !== 'password' && /^[a-z]+$/.test(value) && value.length < 20) return false; // a lower-case word is a name, not a key
  return true;
}

/** Names: anything identifier-like; the judge decides. Values: quoted (group 3) or bare (group 4). */
const ASSIGNMENT =
  /(?<![\w.$@:-])([A-Za-z_$@:][\w.$-]{0,80})["'\]]{0,2}[ \t]{0,8}(?:=>|:=|\?=|=(?!=)|:(?!:))[ \t]{0,8}(?:[rbuRBU@](?=["'`]))?(?:(["'`])((?:[^"'`\\\r\n]|\\.){1,256})\2|([^\s"'`;,)}\]<>#]{1,256}))/;

function generic(id: string, title: string, want: NameClass, keywords: string[], envVar: string): Rule {
  return r(id, title, want === 'api-key' ? 'api-key' : want, envVar, keywords, ASSIGNMENT, {
    secretGroup: [3, 4],
    nameGroup: 1,
    assignmentAnchored: true,
    confidence: 'medium',
    skipPlaceholderCheck: true, // the judge runs it, after the cheaper checks
    validators: [(secret, m, ctx) => judgeAssignment(want, m[1], secret, m[3] !== undefined, ctx)],
  });
}

const XML_TAGS = ['password', 'passwd', 'pwd', 'secret', 'client_secret', 'clientsecret', 'apikey', 'api_key', 'api-key', 'accesskey', 'access_key', 'secretkey', 'secret_key', 'token', 'authtoken', 'auth_token', 'accesstoken', 'access_token'].map(caseless).join('|');

export const GENERIC_RULES: Rule[] = [
  generic('generic-password', 'Password', 'password', ['pass', 'pwd', 'pswd', 'passwort'], 'PASSWORD'),
  generic('generic-secret', 'Secret', 'secret', ['secret'], 'SECRET'),
  generic('generic-api-key', 'API key', 'api-key', ['key'], 'API_KEY'),
  generic('generic-token', 'Token', 'token', ['token', 'bearer'], 'TOKEN'),
  generic('generic-credential', 'Credential', 'credential', ['credential', 'creds', 'connstr', 'connectionstring'], 'CREDENTIAL'),
  r('xml-secret', 'Secret in XML', 'password', 'PASSWORD', ['</pass', '</pwd', '</secret', '</client', '</api', '</access', '</token', '</auth', 'value="'],
    new RegExp(
      `<(${XML_TAGS})>([^<\\s]{1,256})</\\1>|` +
        `(?:key|name)\\s{0,2}=\\s{0,2}"([A-Za-z0-9_.:-]{1,80})"\\s{1,10}value\\s{0,2}=\\s{0,2}"([^"\\s]{1,256})"`,
    ),
    {
      secretGroup: [2, 4],
      nameGroup: [1, 3],
      confidence: 'medium',
      priority: -10,
      skipPlaceholderCheck: true,
      validators: [
        (secret, m, ctx) => {
          const name = m[1] ?? m[3];
          const want = classifyName(name);
          return want !== undefined && judgeAssignment(want, name, secret, true, ctx);
        },
      ],
    }),
];
