/** Monitoring, logging, error tracking. Examples: observability.examples.ts. */
import { alnum, hex, ruleMakers, UUID, type Rule } from '../rule';

const { p, a, r } = ruleMakers('observability');

export const OBSERVABILITY_RULES: Rule[] = [
  a('datadog-api-key', 'Datadog API key', 'api-key', 'DD_API_KEY', ['datadog', 'dd_api_key', 'dd-api-key', 'ddapikey'], hex(32)),
  a('datadog-app-key', 'Datadog application key', 'api-key', 'DD_APP_KEY', ['datadog', 'dd_app_key', 'dd_application_key', 'dd-application-key'], hex(40)),
  p('newrelic-user-api-key', 'New Relic user API key', 'api-key', 'NEW_RELIC_API_KEY', ['NRAK-'], '[A-Z0-9]{27}'),
  p('newrelic-insert-key', 'New Relic insert key', 'api-key', 'NEW_RELIC_INSERT_KEY', ['NRII-'], '[A-Za-z0-9_-]{32}'),
  p('newrelic-browser-key', 'New Relic browser API token', 'api-key', 'NEW_RELIC_BROWSER_KEY', ['NRJS-'], hex(19), { severity: 'warning' }),
  r('newrelic-license-key', 'New Relic license key', 'api-key', 'NEW_RELIC_LICENSE_KEY', ['nral'],
    /(?<![A-Za-z0-9])([a-fA-F0-9]{36}NRAL)(?![A-Za-z0-9])/),
  r('sentry-dsn', 'Sentry DSN key', 'api-key', 'SENTRY_DSN', ['sentry.io', 'ingest.'],
    /https?:\/\/([a-f0-9]{32})(?::[a-f0-9]{32})?@[a-z0-9.-]{1,100}(?:sentry\.io|ingest\.[a-z0-9.-]{1,60})\/[0-9]{1,20}/, { severity: 'warning' }),
  p('sentry-org-token', 'Sentry organization auth token', 'token', 'SENTRY_AUTH_TOKEN', ['sntrys_eyJ'], '[A-Za-z0-9+/=_-]{80,600}'),
  p('sentry-user-token', 'Sentry user auth token', 'token', 'SENTRY_AUTH_TOKEN', ['sntryu_'], hex(64)),
  p('grafana-api-key', 'Grafana API key', 'api-key', 'GRAFANA_API_KEY', ['eyJrIjoi'], '[A-Za-z0-9]{70,400}={0,2}'),
  p('grafana-cloud-token', 'Grafana Cloud access policy token', 'token', 'GRAFANA_CLOUD_TOKEN', ['glc_'], '[A-Za-z0-9+/]{32,400}={0,2}', { entropy: 4 }),
  p('grafana-service-account-token', 'Grafana service account token', 'token', 'GRAFANA_SERVICE_ACCOUNT_TOKEN', ['glsa_'], `${alnum(32)}_${hex(8)}`),
  p('dynatrace-api-token', 'Dynatrace API token', 'token', 'DT_API_TOKEN', ['dt0c01.'], '[A-Z0-9]{24}\\.[A-Z0-9]{64}'),
  a('honeycomb-api-key', 'Honeycomb API key', 'api-key', 'HONEYCOMB_API_KEY', ['honeycomb'], `hc[a-z]ik_[a-z0-9]{58}|${alnum(22)}|${alnum(32)}`, { entropy: 3.8 }),
  a('splunk-hec-token', 'Splunk HEC token', 'token', 'SPLUNK_HEC_TOKEN', ['splunk'], UUID),
  a('pagerduty-api-key', 'PagerDuty API key', 'api-key', 'PAGERDUTY_TOKEN', ['pagerduty', 'pager_duty'], '[A-Za-z0-9_+-]{20}', { entropy: 3.8 }),
  a('opsgenie-api-key', 'Opsgenie API key', 'api-key', 'OPSGENIE_API_KEY', ['opsgenie'], UUID),
  a('rollbar-access-token', 'Rollbar access token', 'token', 'ROLLBAR_ACCESS_TOKEN', ['rollbar'], hex(32)),
  a('bugsnag-api-key', 'Bugsnag API key', 'api-key', 'BUGSNAG_API_KEY', ['bugsnag'], hex(32), { severity: 'warning' }),
  a('sumologic-access-key', 'Sumo Logic access key', 'access-key', 'SUMO_ACCESS_KEY', ['sumo'], alnum(64), { entropy: 4.5 }),
  a('logzio-token', 'Logz.io shipping token', 'token', 'LOGZIO_TOKEN', ['logz'], alnum(32), { entropy: 4 }),
  a('elastic-cloud-api-key', 'Elastic Cloud API key', 'api-key', 'ELASTIC_API_KEY', ['elastic'], '[A-Za-z0-9_-]{20}:[A-Za-z0-9_-]{22}|essu_[A-Za-z0-9+/=]{60,200}', { entropy: 4 }),
  a('loggly-token', 'Loggly customer token', 'token', 'LOGGLY_TOKEN', ['loggly'], UUID),
  a('lightstep-access-token', 'Lightstep access token', 'token', 'LIGHTSTEP_ACCESS_TOKEN', ['lightstep'], '[A-Za-z0-9+/]{84}', { entropy: 4.5 }),
];
