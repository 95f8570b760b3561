/** Hand-written examples for AI/API rules (test-only; fabricated; built at run time). */
import { CHARS, Examples, fake, tp } from './examples';

const j = (...parts: string[]): string => parts.join('');

export const AI_EXAMPLES: Record<string, Examples> = {
  'openai-api-key': {
    tp: [
      tp('OPENAI_API_KEY=', j('sk-', fake('', CHARS.b62, 20, 'oa1'), 'T3Blbk', 'FJ', fake('', CHARS.b62, 20, 'oa2')), '\n'),
      tp('client = OpenAI(api_key="', j('sk-proj-', fake('', CHARS.b64url, 74, 'oa3'), 'T3Blbk', 'FJ', fake('', CHARS.b64url, 74, 'oa4')), '")'),
    ],
    fp: ['OPENAI_API_KEY=sk-...T3BlbkFJ...', 'const marker = "T3BlbkFJ"; // base64 of OpenAI'],
  },
  'salesforce-access-token': {
    tp: [tp('SF_TOKEN=', j('00D', fake('', CHARS.b62, 12, 'sf1'), '!', fake('', CHARS.b62 + '.', 96, 'sf2')), '\n')],
    fp: ['org_id = "00D000000000001"'],
  },
  '1password-secret-key': {
    tp: [tp('OP_SECRET_KEY=', j('A3-', fake('', CHARS.upper + CHARS.digits, 6, 'op1'), '-', fake('', CHARS.upper + CHARS.digits, 11, 'op2'), '-', fake('', CHARS.upper + CHARS.digits, 5, 'op3'), '-', fake('', CHARS.upper + CHARS.digits, 5, 'op4'), '-', fake('', CHARS.upper + CHARS.digits, 5, 'op5')), '\n')],
    fp: ['paper size A3-landscape'],
  },
};
