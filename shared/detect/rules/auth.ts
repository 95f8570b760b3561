/** Authentication material that is not provider-specific: JWTs, basic auth, headers, netrc, Kubernetes secrets (commands: commands.ts). Examples: auth.examples.ts. */
import { decodeBase64, isJwt } from '../validators';
import { placeholderReason } from '../placeholders';
import { shannon } from '../entropy';
import { base64Of } from '../validators';
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('auth');

/** Base64 of `user:password` with a real-looking password. */
function basicPair(b64: string): boolean {
  const s = decodeBase64(b64);
  if (s === undefined || /[\x00-\x1f\x7f-\x9f\ufffd]/.test(s)) return false;
  const i = s.indexOf(':');
  return i > 0 && i < s.length - 1 && placeholderReason(s.slice(i + 1)) === undefined;
}

/** A Kubernetes Secret `data:` value: canonical base64 of printable text that is not a placeholder. */
function k8sValue(b64: string): boolean {
  if (b64.length % 4 !== 0) return false;
  const s = decodeBase64(b64);
  if (s === undefined || s.length < 6 || /[\x00-\x08\x0e-\x1f\ufffd]/.test(s)) return false;
  if (Buffer.from(s, 'utf8').toString('base64') !== b64) return false;
  return placeholderReason(s) === undefined && shannon(s) >= 2.5;
}

const notPlaceholder = (s: string): boolean => placeholderReason(s) === undefined;

export const AUTH_RULES: Rule[] = [
  r('jwt', 'JSON Web Token', 'token', 'JWT_TOKEN', ['eyj'],
    /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{16,2048})(?![A-Za-z0-9_-])/, {
      validators: [isJwt], priority: -1, severity: 'warning',
    }),
  r('basic-auth-url', 'URL with embedded password', 'password', 'SERVICE_URL', ['://'],
    /(?<![A-Za-z0-9+.-])(?:https?|wss?|git|svn|smb|rsync|ssh|s3|gs|socks5h?|sip)s?:\/\/[^\s:@/"'`<>]{1,128}:([^\s:@/"'`<>]{1,256})@[A-Za-z0-9_.-]{1,253}/, {
      priority: 1, confidence: 'medium',
      validators: [
        (s, m) =>
          s.length >= 4 &&
          !/^(?:%s|%v|\{\}|\*+|password|passwd|pass|pwd|secret|token|x-oauth-basic|\$.*)$/i.test(s) &&
          !/[{}]/.test(s) &&
          !/@(?:[\w-]+\.)*example\.(?:com|org|net)\b|@example\b/i.test(m[0]),
      ],
    }),
  r('authorization-basic', 'HTTP Basic credentials', 'password', 'BASIC_AUTH', ['basic '],
    /[Aa]uthorization["']?\s{0,4}[:=,]\s{0,4}["'`]?Basic\s{1,4}([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/, { validators: [basicPair] }),
  r('authorization-bearer', 'HTTP bearer token', 'token', 'API_TOKEN', ['bearer '],
    /[Aa]uthorization["']?\s{0,4}[:=,]\s{0,4}["'`]?Bearer\s{1,4}([A-Za-z0-9._~+/-]{20,4096}=*)(?![A-Za-z0-9._~+/=-])/, { entropy: 3.5, confidence: 'medium', priority: -2 }),
  r('netrc-password', '.netrc password', 'password', 'NETRC_PASSWORD', ['machine'],
    /machine[ \t]{1,20}[^\s]{1,253}[ \t\r\n]{1,40}(?:login[ \t]{1,20}[^\s]{1,200}[ \t\r\n]{1,40})?password[ \t]{1,20}([^\s"'`,;()]{4,256})(?=\s|$)/, {
      multiline: true, span: { before: 0, after: 1024 }, confidence: 'medium',
    }),
  r('kubernetes-secret-data', 'Kubernetes Secret value', 'password', 'K8S_SECRET_VALUE', ['kind: secret', '"kind": "secret"', '"kind":"secret"'],
    /(?:^|\n)[ \t]{1,12}"?[A-Za-z0-9_.-]{1,253}"?[ \t]{0,4}:[ \t]{0,4}"?([A-Za-z0-9+/]{8,16384}={0,2})"?[ \t]*,?[ \t]*(?=\r?\n|$)/, {
      multiline: true, span: { before: 8192, after: 16384 }, validators: [k8sValue], confidence: 'medium',
    }),
  r('python-requests-basic-auth', 'Password in an HTTP client auth tuple', 'password', 'HTTP_PASSWORD', ['auth'],
    /auth\s{0,2}=\s{0,2}(?:HTTPBasicAuth\s{0,2})?\(\s{0,4}["'][^"'\n]{1,128}["']\s{0,4},\s{0,4}["']([^"'\n]{1,256})["']\s{0,4}\)/, { validators: [notPlaceholder], confidence: 'medium' }),
  r('htpasswd-plaintext-basic', 'Basic credentials in a proxy or git config', 'password', 'PROXY_PASSWORD', ['proxy-authorization', 'extraheader'],
    /(?:Proxy-Authorization|extraheader)[^\n]{0,80}?Basic\s{1,4}([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/i, { validators: [basicPair] }),
  // ---- identity providers and secret managers ----
  // Clerk publishable keys (pk_live_/pk_test_) are public (publicKeys.ts); its secret keys share Stripe's sk_ shape, hence the name gate.
  a('clerk-secret-key', 'Clerk secret key', 'api-key', 'CLERK_SECRET_KEY', ['clerk'], 'sk_(?:live|test)_[A-Za-z0-9]{40,60}', { priority: 5 }),
  p('stytch-secret', 'Stytch project secret', 'secret-key', 'STYTCH_SECRET', ['secret-live-', 'secret-test-'], '[A-Za-z0-9_=-]{36}', { entropy: 3.8 }),
  a('workos-api-key', 'WorkOS API key', 'api-key', 'WORKOS_API_KEY', ['workos'], 'sk_(?:test_|live_)?[A-Za-z0-9]{40,90}', { priority: 5, entropy: 4 }),
  p('ory-api-key', 'Ory Network API key', 'api-key', 'ORY_API_KEY', ['ory_pat_', 'ory_apikey_'], '[A-Za-z0-9]{32,64}', { entropy: 4 }),
  a('keycloak-client-secret', 'Keycloak client secret', 'client-secret', 'KEYCLOAK_CLIENT_SECRET', ['keycloak'], alnum(32), { entropy: 3.8 }),
  a('duo-secret-key', 'Duo secret key', 'secret-key', 'DUO_SECRET_KEY', ['duo_secret', 'duo_skey'], alnum(40), { entropy: 4 }),
  r('authress-access-key', 'Authress service client access key', 'access-key', 'AUTHRESS_KEY', ['.acc_', '.acc-'],
    /(?<![A-Za-z0-9_-])((?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][A-Za-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120})(?![A-Za-z0-9+/_=-])/, {
      format: 'sc_[A-Za-z0-9]{12}\\.[a-z0-9]{5}\\.acc_[A-Za-z0-9]{16}\\.[A-Za-z0-9_-]{64}', entropy: 4,
    }),
  a('jumpcloud-api-key', 'JumpCloud API key', 'api-key', 'JUMPCLOUD_API_KEY', ['jumpcloud'], hex(40)),
  a('onelogin-client-secret', 'OneLogin API client secret', 'client-secret', 'ONELOGIN_CLIENT_SECRET', ['onelogin'], hex(64)),
  a('fusionauth-api-key', 'FusionAuth API key', 'api-key', 'FUSIONAUTH_API_KEY', ['fusionauth'], '[A-Za-z0-9_-]{43,64}', { entropy: 4 }),
  a('bitwarden-access-token', 'Bitwarden Secrets Manager access token', 'token', 'BWS_ACCESS_TOKEN', ['bws_access_token', 'bitwarden'], `0\\.${UUID}\\.[A-Za-z0-9]{30}:[A-Za-z0-9+/]{22}==`),
  a('infisical-service-token', 'Infisical service token', 'token', 'INFISICAL_TOKEN', ['infisical'], `st\\.[A-Za-z0-9-]{20,40}\\.${hex(32)}\\.${hex(32)}`),
  a('authy-api-key', 'Twilio Authy API key', 'api-key', 'AUTHY_API_KEY', ['authy'], alnum(32), { entropy: 3.8 }),
  // ---- framework signing keys ----
  a('rails-secret-key-base', 'Rails secret_key_base', 'secret-key', 'SECRET_KEY_BASE', ['secret_key_base'], hex(128)),
  r('laravel-app-key', 'Laravel APP_KEY', 'secret-key', 'APP_KEY', ['app_key'],
    /APP_KEY\s{0,2}[=:]\s{0,2}["']?base64:([A-Za-z0-9+/]{43}=)/, { validators: [base64Of(32)] }),
  a('symfony-app-secret', 'Symfony APP_SECRET', 'secret-key', 'APP_SECRET', ['app_secret'], hex(32), { confidence: 'low' }),
  a('nextauth-secret', 'NextAuth.js / Auth.js secret', 'secret-key', 'NEXTAUTH_SECRET', ['nextauth_secret'], '[A-Za-z0-9+/=_-]{32,88}', { entropy: 4 }),
];
