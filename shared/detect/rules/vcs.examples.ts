/** Hand-written examples for source hosting and CI rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

export const VCS_EXAMPLES: Record<string, Examples> = {
  'gitlab-session-cookie': {
    tp: [tp('curl -H "Cookie: _gitlab_session=', fake('', CHARS.lower + CHARS.digits, 32, 'gls'), '" https://gitlab.example.org/api/v4/user')],
    fp: ['curl -H "Cookie: _gitlab_session=$SESSION" https://gitlab.example.org', 'cookie_name: _gitlab_session'],
  },
};
