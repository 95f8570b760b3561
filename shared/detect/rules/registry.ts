/** Package registries and container registries. Examples: registry.examples.ts. */
import { decodeBase64, npmChecksum } from '../validators';
import { placeholderReason } from '../placeholders';
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('registry');

/** A `user:password` pair, base64-encoded, with a real-looking password. */
function isBasicPair(b64: string): boolean {
  const s = decodeBase64(b64);
  if (s === undefined) return false;
  const i = s.indexOf(':');
  if (i <= 0 || i === s.length - 1) return false;
  if (/[\x00-\x1f\x7f-\x9f\ufffd]/.test(s)) return false;
  return placeholderReason(s.slice(i + 1)) === undefined;
}

export const REGISTRY_RULES: Rule[] = [
  p('npm-access-token', 'npm access token', 'token', 'NPM_TOKEN', ['npm_'], alnum(36), { checksum: npmChecksum }),
  r('npmrc-auth-token', 'npm registry auth token in .npmrc', 'token', 'NPM_TOKEN', ['_authtoken'],
    /_authToken\s{0,2}=\s{0,2}["']?([A-Za-z0-9_.+/=-]{20,512})/, { entropy: 3.5, priority: -1 }),
  r('npmrc-auth', 'npm registry basic credentials in .npmrc', 'password', 'NPM_AUTH', ['_auth', '_password'],
    /(?:^|[\s:])(?:_auth|_password)\s{0,2}=\s{0,2}["']?([A-Za-z0-9+/]{12,512}={0,2})/, { validators: [(s) => decodeBase64(s) !== undefined], entropy: 3 }),
  r('yarnrc-npm-auth-token', 'npm auth token in .yarnrc.yml', 'token', 'NPM_TOKEN', ['npmauthtoken'],
    /npmAuthToken\s{0,2}:\s{0,2}["']?([A-Za-z0-9_.+/=-]{20,512})/, { entropy: 3.5, priority: -1 }),
  p('pypi-upload-token', 'PyPI upload token', 'token', 'PYPI_TOKEN', ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], '[A-Za-z0-9_-]{50,1000}', {
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
  }),
  p('rubygems-api-key', 'RubyGems API key', 'api-key', 'GEM_HOST_API_KEY', ['rubygems_'], hex(48)),
  p('nuget-api-key', 'NuGet API key', 'api-key', 'NUGET_API_KEY', ['oy2'], '[a-z0-9]{43}', { entropy: 3.8 }),
  p('dockerhub-pat', 'Docker Hub personal access token', 'token', 'DOCKERHUB_TOKEN', ['dckr_pat_'], '[A-Za-z0-9_-]{27}'),
  p('dockerhub-org-token', 'Docker Hub organization access token', 'token', 'DOCKERHUB_TOKEN', ['dckr_oat_'], '[A-Za-z0-9_-]{32}'),
  r('docker-config-auth', 'Registry credentials in Docker config.json', 'password', 'DOCKER_AUTH_CONFIG', ['"auth"'],
    /"auth"\s{0,4}:\s{0,4}"([A-Za-z0-9+/]{8,1024}={0,2})"/, { validators: [(s) => isBasicPair(s)] }),
  p('artifactory-api-key', 'JFrog Artifactory API key', 'api-key', 'ARTIFACTORY_API_KEY', ['AKCp'], alnum(69), { loose: true }),
  p('artifactory-reference-token', 'JFrog Artifactory reference token', 'token', 'ARTIFACTORY_TOKEN', ['cmVmdGtu'], alnum(56), { loose: true }),
  p('clojars-token', 'Clojars deploy token', 'token', 'CLOJARS_TOKEN', ['CLOJARS_'], '[a-z0-9]{60}'),
  p('crates-io-token', 'crates.io API token', 'token', 'CARGO_REGISTRY_TOKEN', ['cio'], alnum(32), { entropy: 3.8, loose: true }),
  a('packagist-token', 'Packagist API token', 'token', 'PACKAGIST_TOKEN', ['packagist'], '(?:pck|pcs)_[A-Za-z0-9]{40,64}|[A-Za-z0-9]{20}'),
  a('gradle-publish-secret', 'Gradle plugin portal publish secret', 'secret-key', 'GRADLE_PUBLISH_SECRET', ['gradle.publish.secret', 'gradle_publish_secret'], alnum(32)),
  a('anaconda-token', 'Anaconda.org token', 'token', 'ANACONDA_TOKEN', ['anaconda'], '[a-z]{2}-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}'),
  a('cloudsmith-api-key', 'Cloudsmith API key', 'api-key', 'CLOUDSMITH_API_KEY', ['cloudsmith'], hex(40)),
  a('packagecloud-token', 'packagecloud API token', 'token', 'PACKAGECLOUD_TOKEN', ['packagecloud'], hex(48)),
  a('gemfury-token', 'Gemfury push or deploy token', 'token', 'FURY_TOKEN', ['gemfury', 'fury_token'], '[A-Za-z0-9_-]{20}', { entropy: 3.3 }),
  a('quay-robot-token', 'Quay.io robot token', 'token', 'QUAY_TOKEN', ['quay'], '[A-Z0-9]{64}', { entropy: 4 }),
  a('chocolatey-api-key', 'Chocolatey API key', 'api-key', 'CHOCOLATEY_API_KEY', ['chocolatey', 'choco_api_key'], UUID),
  a('cocoapods-trunk-token', 'CocoaPods trunk token', 'token', 'COCOAPODS_TRUNK_TOKEN', ['cocoapods'], hex(32)),
  a('hexpm-api-key', 'Hex.pm API key', 'api-key', 'HEX_API_KEY', ['hex_api_key', 'hexpm'], hex(32)),
  a('sonatype-user-token', 'Sonatype / Maven Central user token password', 'password', 'OSSRH_PASSWORD',
    ['ossrh', 'sonatype_password'], '[A-Za-z0-9+/=_-]{20,60}', { entropy: 3.8 }),
  a('jfrog-identity-token', 'JFrog identity or access token', 'token', 'JFROG_ACCESS_TOKEN', ['jfrog', 'artifactory', 'bintray'], '[a-z0-9]{64}', { entropy: 3.8 }),
  a('harbor-robot-secret', 'Harbor robot account secret', 'secret-key', 'HARBOR_ROBOT_SECRET', ['harbor'], alnum(32), { entropy: 3.8 }),
  a('openvsx-token', 'Open VSX access token', 'token', 'OVSX_PAT', ['ovsx_pat', 'open_vsx', 'openvsx'], UUID),
];
