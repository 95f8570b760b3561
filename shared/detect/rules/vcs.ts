/** Source hosting and CI/CD. Examples: vcs.examples.ts. */
import { githubChecksum } from '../validators';
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('vcs-ci');

const gh = (id: string, title: string, prefix: string): Rule =>
  p(id, title, 'token', 'GITHUB_TOKEN', [prefix], alnum(36), { checksum: githubChecksum });

export const VCS_RULES: Rule[] = [
  gh('github-pat', 'GitHub personal access token', 'ghp_'),
  gh('github-oauth-token', 'GitHub OAuth access token', 'gho_'),
  gh('github-app-user-token', 'GitHub App user-to-server token', 'ghu_'),
  gh('github-app-installation-token', 'GitHub App installation token', 'ghs_'),
  gh('github-refresh-token', 'GitHub refresh token', 'ghr_'),
  p('github-fine-grained-pat', 'GitHub fine-grained personal access token', 'token', 'GITHUB_TOKEN', ['github_pat_'], `${alnum(22)}_${alnum(59)}`),
  a('github-oauth-client-secret', 'GitHub OAuth app client secret', 'client-secret', 'GITHUB_CLIENT_SECRET', ['github_client_secret', 'github_secret', 'gh_client_secret', 'github_oauth_secret'], hex(40)),
  p('gitlab-pat', 'GitLab personal access token', 'token', 'GITLAB_TOKEN', ['glpat-'], '[A-Za-z0-9_-]{20}(?:[A-Za-z0-9_-]{7,40}(?:\\.[A-Za-z0-9]{2}\\.[A-Za-z0-9]{7,9})?)?', { entropy: 3.5 }),
  p('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', 'token', 'GITLAB_TRIGGER_TOKEN', ['glptt-'], hex(40)),
  p('gitlab-runner-registration-token', 'GitLab runner registration token', 'token', 'GITLAB_RUNNER_TOKEN', ['GR1348941'], '[A-Za-z0-9_-]{20}'),
  p('gitlab-runner-auth-token', 'GitLab runner authentication token', 'token', 'GITLAB_RUNNER_TOKEN', ['glrt-'], '[A-Za-z0-9_-]{20,40}'),
  p('gitlab-deploy-token', 'GitLab deploy token', 'token', 'GITLAB_DEPLOY_TOKEN', ['gldt-'], '[A-Za-z0-9_-]{20,40}'),
  p('gitlab-feed-token', 'GitLab feed token', 'token', 'GITLAB_FEED_TOKEN', ['glft-'], '[A-Za-z0-9_-]{20}', { severity: 'warning' }),
  p('gitlab-oauth-app-secret', 'GitLab OAuth application secret', 'client-secret', 'GITLAB_OAUTH_SECRET', ['gloas-'], '[A-Za-z0-9_-]{64}'),
  p('gitlab-scim-token', 'GitLab SCIM token', 'token', 'GITLAB_SCIM_TOKEN', ['glsoat-'], '[A-Za-z0-9_-]{20}'),
  p('gitlab-agent-token', 'GitLab Kubernetes agent token', 'token', 'GITLAB_AGENT_TOKEN', ['glagent-'], '[A-Za-z0-9_-]{50}'),
  p('gitlab-incoming-mail-token', 'GitLab incoming mail token', 'token', 'GITLAB_INCOMING_MAIL_TOKEN', ['glimt-'], '[A-Za-z0-9_-]{25}'),
  p('gitlab-feature-flag-token', 'GitLab feature flag client token', 'token', 'GITLAB_FEATURE_FLAG_TOKEN', ['glffct-'], '[A-Za-z0-9_-]{20}', { severity: 'warning' }),
  p('gitlab-cicd-job-token', 'GitLab CI/CD job token', 'token', 'CI_JOB_TOKEN', ['glcbt-'], '[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}'),
  p('bitbucket-app-password', 'Bitbucket app password', 'password', 'BITBUCKET_APP_PASSWORD', ['ATBB'], alnum(32), { entropy: 3.8 }),
  a('bitbucket-client-secret', 'Bitbucket OAuth consumer secret', 'client-secret', 'BITBUCKET_CLIENT_SECRET', ['bitbucket'], alnum(32), { entropy: 3.8 }),
  p('atlassian-api-token', 'Atlassian API token', 'token', 'ATLASSIAN_API_TOKEN', ['ATATT3'], '[A-Za-z0-9_=-]{186}', { entropy: 4 }),
  a('atlassian-legacy-api-token', 'Atlassian (Jira/Confluence) API token', 'token', 'JIRA_API_TOKEN', ['atlassian', 'confluence', 'jira'], alnum(24), { entropy: 3.8 }),
  p('circleci-personal-token', 'CircleCI personal API token', 'token', 'CIRCLECI_TOKEN', ['CCIPAT_'], `${alnum(22)}_${hex(40)}`),
  a('circleci-token', 'CircleCI API token', 'token', 'CIRCLECI_TOKEN', ['circleci', 'circle_token', 'circle-token'], hex(40)),
  a('travis-ci-token', 'Travis CI access token', 'token', 'TRAVIS_TOKEN', ['travis'], alnum(22), { entropy: 3.3 }),
  a('drone-ci-token', 'Drone CI access token', 'token', 'DRONE_TOKEN', ['drone'], alnum(32), { entropy: 3.8 }),
  a('jenkins-api-token', 'Jenkins API token', 'token', 'JENKINS_API_TOKEN', ['jenkins'], `11${hex(32)}`),
  p('buildkite-token', 'Buildkite API access token', 'token', 'BUILDKITE_API_TOKEN', ['bkua_'], hex(40)),
  p('sourcegraph-token', 'Sourcegraph access token', 'token', 'SRC_ACCESS_TOKEN', ['sgp_'], `(?:${hex(16)}|local)_${hex(40)}`),
  a('gitea-token', 'Gitea access token', 'token', 'GITEA_TOKEN', ['gitea', 'forgejo'], hex(40)),
  a('codecov-token', 'Codecov upload token', 'token', 'CODECOV_TOKEN', ['codecov'], UUID, { severity: 'warning' }),
  p('sonarqube-token', 'SonarQube / SonarCloud token', 'token', 'SONAR_TOKEN', ['sqp_', 'squ_', 'sqa_'], hex(40)),
  a('sonar-legacy-token', 'SonarQube token', 'token', 'SONAR_TOKEN', ['sonar'], hex(40)),
  a('snyk-token', 'Snyk API token', 'token', 'SNYK_TOKEN', ['snyk'], UUID),
  p('octopus-deploy-api-key', 'Octopus Deploy API key', 'api-key', 'OCTOPUS_API_KEY', ['API-'], '[A-Z0-9]{26}', { entropy: 3.5, loose: true }),
  p('harness-pat', 'Harness access token', 'token', 'HARNESS_API_KEY', ['pat.', 'sat.'], `[A-Za-z0-9_-]{22}\\.${hex(24)}\\.${alnum(20)}`),
  a('teamcity-token', 'TeamCity access token', 'token', 'TEAMCITY_TOKEN', ['teamcity'], 'eyJ0eXAiOiAiVENWMiJ9\\.[A-Za-z0-9_-]{36}\\.[A-Za-z0-9_-]{48}'),
  r('gitlab-session-cookie', 'GitLab session cookie', 'token', 'GITLAB_SESSION', ['_gitlab_session='], /_gitlab_session=([0-9a-z]{32})(?![A-Za-z0-9])/, { entropy: 3.5 }),
  p('bitbucket-access-token', 'Bitbucket repository / project / workspace access token', 'token', 'BITBUCKET_ACCESS_TOKEN', ['ATCTT3'], '[A-Za-z0-9_=-]{180,200}', { entropy: 4 }),
  a('gogs-access-token', 'Gogs access token', 'token', 'GOGS_TOKEN', ['gogs'], hex(40)),
  a('codeberg-access-token', 'Codeberg access token', 'token', 'CODEBERG_TOKEN', ['codeberg'], hex(40)),
  a('codefresh-api-key', 'Codefresh API key', 'api-key', 'CODEFRESH_API_KEY', ['codefresh', 'cf_api_key'], `${hex(24)}\\.${hex(32)}`),
  a('nx-cloud-access-token', 'Nx Cloud access token', 'token', 'NX_CLOUD_ACCESS_TOKEN', ['nx_cloud_access_token', 'nx_cloud_auth_token'], '[A-Za-z0-9+/=_-]{40,120}', { entropy: 4 }),
  a('appveyor-api-key', 'AppVeyor API key', 'api-key', 'APPVEYOR_API_KEY', ['appveyor'], 'v2\\.[a-z0-9]{20}', { entropy: 3.5 }),
  a('semaphore-api-token', 'Semaphore CI API token', 'token', 'SEMAPHORE_API_TOKEN', ['semaphore_api_token', 'semaphoreci'], '[A-Za-z0-9_-]{20,40}', { entropy: 4 }),
];
