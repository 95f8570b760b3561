/** Hand-written examples for observability rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');

export const OBSERVABILITY_EXAMPLES: Record<string, Examples> = {
  'newrelic-license-key': {
    tp: [tp('license_key: ', j(fake('', CHARS.hex, 36, 'nr'), 'NR', 'AL'), '\n', 'newrelic.yml')],
    fp: ['license_key: <%= ENV["NEW_RELIC_LICENSE_KEY"] %>  # NRAL suffix'],
  },
  'sentry-dsn': {
    tp: [tp('Sentry.init({ dsn: "https://', fake('', CHARS.hex, 32, 'sentry'), '@o123456.ingest.sentry.io/4505' + '123" })')],
    fp: ['Sentry.init({ dsn: "https://examplePublicKey@o0.ingest.sentry.io/0" })'],
  },
};
