/** cli/dotenv.ts: values as dotenv and node --env-file read them, each entry's lines, and refusals that name the line. */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as util from 'node:util';
import { parse as dotenvParse } from 'dotenv';
import { parseDotenv, readDotenv } from '../../cli/dotenv';
import { fakePrivateKeyPem } from '../support/fakePem';

const parseEnv = (util as { parseEnv?: (s: string) => Record<string, string> }).parseEnv;

/** Every accepted file reads the same in this module, in dotenv, and in node's own parser. */
function agree(text: string): Record<string, string> {
  const values = parseDotenv(text);
  assert.deepEqual(values, { ...dotenvParse(text) }, 'dotenv');
  if (parseEnv) assert.deepEqual(values, { ...parseEnv(text) }, 'node --env-file');
  return values;
}

const refusal = (text: string, line: number, what: RegExp): void => {
  assert.throws(
    () => readDotenv(text, '.env'),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'InvalidArgument');
      assert.match(e.message, new RegExp(`^\\.env line ${line}: `));
      assert.match(e.message, what);
      return true;
    },
  );
};

describe('cli/dotenv', () => {
  it('a quoted multi-line PEM is one entry with its whole value, export prefix and all', () => {
    const pem = fakePrivateKeyPem();
    const text = `# tls\nexport TLS_KEY="${pem}"\nPORT=8080\n`;
    const f = readDotenv(text, '.env');
    assert.deepEqual(f.entries.map((e) => [e.key, e.line, e.endLine]), [['TLS_KEY', 2, 2 + pem.split('\n').length - 1], ['PORT', 2 + pem.split('\n').length, 2 + pem.split('\n').length]]);
    assert.equal(f.values.TLS_KEY, pem);
    assert.deepEqual(agree(text), { TLS_KEY: pem, PORT: '8080' });
  });

  it('comments, inline comments, quotes: single literal, double expands \\n, backticks as node treats them', () => {
    const text = [
      '# a comment',
      '',
      'A=1 # inline',
      'B="x # not a comment"',
      "C='lit\\n'",
      'D="two\\nlines"',
      'E=`it\'s "both"`',
      'F=`multi',
      'line`',
      '  G = spaced  ',
      'H=',
      'I="" # empty',
    ].join('\n');
    assert.deepEqual(agree(text), { A: '1', B: 'x # not a comment', C: 'lit\\n', D: 'two\nlines', E: `it's "both"`, F: 'multi\nline', G: 'spaced', H: '', I: '' });
    assert.deepEqual(readDotenv(text, '.env').entries.find((e) => e.key === 'F'), { key: 'F', value: 'multi\nline', line: 8, endLine: 9 });
  });

  it('duplicate keys: the last wins, and every line is reported', () => {
    const f = readDotenv('A=1\nB=2\nA=3\nA=1\n', '.env');
    assert.equal(f.values.A, '1');
    assert.deepEqual(f.duplicates, [{ key: 'A', lines: [1, 3, 4] }]);
    assert.deepEqual(f.entries.map((e) => e.value), ['1', '2', '3', '1']);
  });

  it('CRLF line endings and a BOM: same values, lines kept byte for byte', () => {
    const lf = 'A="one\ntwo"\nB=2\n';
    const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
    const f = readDotenv(crlf, '.env');
    assert.deepEqual(f.values, { A: 'one\ntwo', B: '2' });
    assert.equal(f.lines.join(''), crlf);
  });

  it('refuses what it cannot read exactly, naming the line and never the value', () => {
    const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
    refusal(`A=1\nB="${secret}\nC=3\n`, 2, /B opens a " quote that never closes/);
    refusal(`A=1\n\nB="${secret}" trailing\n`, 3, /B has text after its closing " quote/);
    refusal(`A=1\nthis is ${secret}\n`, 2, /not KEY=value, a comment or a blank line/);
    refusal(`A: ${secret}\n`, 1, /not KEY=value/);
    refusal(`X=1\nA='${secret}\n`, 2, /opens a ' quote/);
    if (parseEnv) {
      // dotenv keeps the backslash and reads on; node stops at the escaped quote: ambiguous, refused.
      refusal(`A=1\nB="${secret}\\"x"\n`, 2, /dotenv and node --env-file read the value of B differently/);
      refusal(`export  B=${secret}\n`, 1, /read the value of B differently/);
      refusal(`A=1\nTAB=\t${secret}\n`, 2, /read the value of TAB differently/);
    }
    for (const t of [`B="${secret}`, `B="${secret}" x`, `x ${secret}`]) {
      try {
        readDotenv(t, '.env');
        assert.fail('accepted');
      } catch (e) {
        assert.ok(!(e as Error).message.includes(secret), (e as Error).message);
      }
    }
  });
});
