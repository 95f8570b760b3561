/** Hand-written examples for observability rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');

export const OBSERVABILITY_EXAMPLES: Record<string, Examples> = {
  'newrelic-license-key': {
    tp: [tp('license_key: ', j(fake('', CHARS.hex, 36, 'nr'), 'NR', 'AL'), '\n', 'newrelic.yml')],
    fp: ['license_key: <%= ENV["NEW_RELIC_LICENSE_KEY"] %>  # NRAL suffix'],
  },
};
