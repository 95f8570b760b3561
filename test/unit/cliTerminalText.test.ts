/** cli/terminalText.ts: what is escaped, how, and that an escaped JSON document still means the same. */
import * as assert from 'node:assert/strict';
import { escapeField, escapeText } from '../../cli/terminalText';

/** Every character a terminal or a bidi renderer acts on. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
];
const RAW = new RegExp(`[${CONTROLS.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`);

describe('cli/terminalText', () => {
  it('escapes an OSC title and a clear-screen sequence as \\x1b… text', () => {
    assert.equal(escapeField('x\u001b]0;pwned\u0007\u001b[2J'), 'x\\x1b]0;pwned\\x07\\x1b[2J');
  });

  it('escapes every C0, DEL, C1 and bidi control; leaves other text alone', () => {
    for (const c of CONTROLS) {
      const e = escapeField(`a${c}b`);
      assert.ok(!RAW.test(e), `U+${c.charCodeAt(0).toString(16)} left raw: ${JSON.stringify(e)}`);
      assert.match(e, /^a\\(x[0-9a-f]{2}|u[0-9a-f]{4})b$/);
    }
    const plain = 'src/app.ts:3:12  aws-access-key-id  café ☕ 鍵 — "quoted" \\ back';
    assert.equal(escapeField(plain), plain);
    assert.equal(escapeField('\u202etxt.exe'), '\\u202etxt.exe');
  });

  it('escapeField keeps a name on its line; escapeText keeps the lines the CLI wrote', () => {
    assert.equal(escapeField('a\nb\r\tc'), 'a\\x0ab\\x0d\\x09c');
    assert.equal(escapeText('one\ntwo\x1b[2J\r\n'), 'one\ntwo\\x1b[2J\\x0d\n');
  });

  it('an escaped JSON document parses to the same value and holds no raw control', () => {
    const hostile = { file: `a${CONTROLS.join('')}z`, nested: [CONTROLS.join('|')], backslashes: '\\\u009b\\\\\u202e', n: 1 };
    const json = JSON.stringify(hostile, null, 2);
    const escaped = escapeText(json);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(escaped), 'no raw control left (line feeds of the layout aside)');
    assert.deepEqual(JSON.parse(escaped), hostile);
  });
});
