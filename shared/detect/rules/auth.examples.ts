/** Hand-written examples for auth rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const jwt = (seed: string): string =>
  [b64url({ alg: 'HS256', typ: 'JWT' }), b64url({ sub: 'svc-' + seed, iat: 1700000000, scope: 'admin' }), fake('', CHARS.b64url, 43, seed)].join('.');
const pw = (seed: string): string => fake('', CHARS.b62, 14, seed) + '7q';

export const AUTH_EXAMPLES: Record<string, Examples> = {
  jwt: {
    tp: [tp('const session = "', jwt('j1'), '";'), tp('Authorization: Bearer ', jwt('j2'), '\n', 'request.http')],
    fp: [
      // The jwt.io sample token.
      ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
      'const notJwt = "eyJhbGciOiJI.eyJzdWIiOiIx.abcdefghijklmnopqrstu";',
    ],
  },
  'basic-auth-url': {
    tp: [tp('git clone https://deploy:', pw('bau'), '@git.acme-corp.io/team/repo.git'), tp('proxy = "http://proxyuser:', pw('bau2'), '@proxy.corp:3128"')],
    fp: ['git clone https://github.com/team/repo.git', 'url = "https://user:${PASSWORD}@host/path"', 'url = "https://user:password@host/path"', 'const re = /https?:\\/\\/[^:]+:[^@]+@/;'],
  },
  'authorization-basic': {
    tp: [tp('headers = {"Authorization": "Basic ', b64('api:' + pw('basic')), '"}')],
    fp: [`headers = {"Authorization": "Basic ${b64('user:changeme')}"}`, 'headers = {"Authorization": "Basic " + encoded}'],
  },
  'authorization-bearer': {
    tp: [tp("fetch(url, { headers: { Authorization: 'Bearer ", fake('', CHARS.b62, 40, 'bearer'), "' } })")],
    fp: ["headers: { Authorization: 'Bearer ' + token }", "headers: { Authorization: `Bearer ${token}` }"],
  },
  'netrc-password': {
    tp: [tp('machine api.example.org\n  login deploy\n  password ', pw('netrc'), '\n', '.netrc'), tp('machine git.example.org login ci password ', pw('netrc2'), '\n', '.netrc')],
    fp: ['The state machine has a password field.', 'machine api.example.org login ci password ${NETRC_PASSWORD}\n'],
  },
  'kubernetes-secret-data': {
    tp: [
      tp('apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ', b64(pw('k8s')), '\n', 'secret.yaml'),
      tp('apiVersion: v1\ndata:\n  token: ', b64(pw('k8s2')), '\nkind: Secret\nmetadata:\n  name: api\n', 'secret.yaml'),
    ],
    fp: [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${b64('changeme')}\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: cHJvZHVjdGlvbg==\n',
    ],
  },
  'python-requests-basic-auth': {
    tp: [tp("r = requests.get(url, auth=('svc', '", pw('req'), "'))")],
    fp: ["r = requests.get(url, auth=(user, password))", "r = requests.get(url, auth=('svc', os.environ['PW']))"],
  },
  'htpasswd-plaintext-basic': {
    tp: [tp('[http]\n  extraheader = AUTHORIZATION: basic ', b64('x-access-token:' + pw('gitcfg')), '\n', '.git/config')],
    fp: ['[http]\n  extraheader = AUTHORIZATION: basic ${ENCODED}\n'],
  },
  'laravel-app-key': {
    tp: [tp('APP_NAME=Shop\nAPP_KEY=base64:', Buffer.from(fake('', CHARS.b62, 32, 'laravel')).toString('base64'), '\nAPP_DEBUG=false\n', '.env')],
    fp: ['APP_KEY=\n', 'APP_KEY=base64:${APP_KEY}\n'],
  },
};
