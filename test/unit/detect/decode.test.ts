/** shared/detect/files.ts decodeText: the one decoder the CLI and the server's workspace scan share. */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeText } from '../../../shared/detect/files';

const TEXT = 'const naïve = "x";\n// 鍵 and 🔑\n';

describe('detect: decodeText', () => {
  it('reads UTF-8, UTF-16LE and UTF-16BE by BOM, and drops the BOM as editors do', () => {
    assert.deepEqual(decodeText(Buffer.from(TEXT)), { text: TEXT, encoding: 'utf-8' });
    assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])), { text: TEXT, encoding: 'utf-8' });
    assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])), { text: TEXT, encoding: 'utf-16le' });
    assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, 'utf16le').swap16()])), { text: TEXT, encoding: 'utf-16be' });
  });

  it('reads mostly-ASCII UTF-16 without a BOM by its NUL pattern', () => {
    assert.deepEqual(decodeText(Buffer.from(TEXT, 'utf16le')), { text: TEXT, encoding: 'utf-16le' });
    assert.deepEqual(decodeText(Buffer.from(TEXT, 'utf16le').swap16()), { text: TEXT, encoding: 'utf-16be' });
  });

  it('a stray NUL, an ANSI colour code or a few Latin-1 bytes leave a file text', () => {
    assert.equal(decodeText(Buffer.from(`a\0b\n${TEXT}`))?.text, `a\0b\n${TEXT}`);
    assert.equal(decodeText(Buffer.from('\x1b[31mred\x1b[0m log line\n'))?.encoding, 'utf-8');
    const latin1 = Buffer.from('# caf\xe9 cr\xe8me br\xfbl\xe9e: the menu, in a file saved as Latin-1\nprice = 5\n', 'latin1');
    assert.match(decodeText(latin1)?.text ?? '', /price = 5/);
  });

  it('images, archives, executables and random bytes are binary', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), Buffer.from('/lib64/ld-linux-x86-64.so.2\0'), Buffer.alloc(64)]);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), randomBytes(2000)]);
    for (const [what, bytes] of [['png', png], ['elf', elf], ['zip', zip], ['random', randomBytes(4096)]] as const) {
      assert.equal(decodeText(bytes), undefined, what);
    }
  });

  it('bytes that only look like UTF-16 (odd length, unpaired surrogates) fall back to the UTF-8 judgement', () => {
    const odd = Buffer.concat([Buffer.from('abcdef', 'utf16le'), Buffer.from([0x41])]);
    assert.equal(decodeText(odd), undefined, 'NUL-heavy once read as UTF-8: binary');
    const lone = Buffer.concat([Buffer.from('ab', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('cdefgh', 'utf16le')]);
    assert.equal(decodeText(lone), undefined);
  });
});
