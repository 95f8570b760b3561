/** Hand-written examples for credentials written in prose (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const pw = (seed: string): string => fake('', CHARS.b62, 10, seed) + '%3';

export const PROSE_EXAMPLES: Record<string, Examples> = {
  'prose-password': {
    tp: [
      tp('The staging admin password is ', pw('p1'), '.', 'README.md'),
      tp('- password is: ', pw('p2'), '\n', 'TICKET-42.md'),
      tp('Use deploy and password ', pw('p3'), ' to sign in.', 'notes.txt'),
    ],
    fp: [
      'The password is required and must be at least 12 characters long.',
      'The password is stored in Vault; ask the on-call engineer.',
      '// the password is hashed with bcrypt before it is stored',
      'The password is ${password}.',
      'Password: ********',
    ],
  },
  'prose-user-password': {
    tp: [
      tp('ID/PW: admin / ', pw('u1'), '\n', 'wiki.md'),
      tp('# db credentials: admin / ', pw('u5'), '\n', 'setup.sh'),
      tp('user backup pwd ', pw('u6'), '', 'notes.txt'),
    ],
    fp: ['ID/PW: see the team vault', 'user: admin pass: <ask ops>', 'Login: admin / Password: admin', 'username: ci, password: (the one from onboarding)'],
  },
};
