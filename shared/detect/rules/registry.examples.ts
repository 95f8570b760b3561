/** Hand-written examples for registry rules (test-only; fabricated; built at run time). */
import { base62, crc32 } from '../checksums';
import { CHARS, Examples, fake, tp } from './examples';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const npmToken = (seed: string): string => {
  const body = fake('', CHARS.b62, 30, seed);
  return ['npm', '_', body, base62(crc32(body), 6)].join('');
};

export const REGISTRY_EXAMPLES: Record<string, Examples> = {
  'npm-access-token': {
    tp: [tp('//registry.npmjs.org/:_authToken=', npmToken('npm1'), '\n', '.npmrc')],
    fp: ['// npm_ tokens are 40 characters long', 'const npm_config_cache = "/tmp/npm_cache_directory_for_tests";'],
  },
  'npmrc-auth-token': {
    tp: [tp('//npm.pkg.github.com/:_authToken=', fake('', CHARS.b62, 40, 'npmrc'), '\n', '.npmrc')],
    fp: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'],
  },
  'npmrc-auth': {
    tp: [tp('_auth=', b64(`deploy:${fake('', CHARS.b62, 16, 'npma')}`), '\nalways-auth=true\n', '.npmrc')],
    fp: ['_auth=${NPM_AUTH}\n'],
  },
  'yarnrc-npm-auth-token': {
    tp: [tp('npmRegistries:\n  "https://registry.example.org":\n    npmAuthToken: ', fake('', CHARS.b62, 36, 'yarn'), '\n', '.yarnrc.yml')],
    fp: ['    npmAuthToken: "${NPM_TOKEN}"\n'],
  },
  'docker-config-auth': {
    tp: [tp('{\n  "auths": {\n    "registry.example.io": {\n      "auth": "', b64(`ci-bot:${fake('', CHARS.b62, 20, 'dock')}`), '"\n    }\n  }\n}', 'config.json')],
    fp: ['{ "auths": { "registry.example.io": { "auth": "" } } }', `{ "auth": "${b64('user:changeme')}" }`],
  },
};
