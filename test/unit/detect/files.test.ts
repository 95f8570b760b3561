/** Folder walks: .hushignore, .gitignore (nested, negated), skipped directories; binary, lock and minified files. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedKind, readTextFile, walkFiles } from '../../../shared/detect/files';
import { hushIgnoreFor } from '../../../shared/detect/ignores';
import { tree } from './tmpTree';


const rels = (root: string, opts?: { gitignore?: boolean }): string[] =>
  [...walkFiles(root, opts)].map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('detect: files and ignores', () => {
  let root: string;
  before(() => {
    root = tree({
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      '.hushignore': 'fixtures/**\ndocs/*.md\n',
      'src/a.ts': 'x',
      'src/.gitignore': 'generated.ts\n',
      'src/generated.ts': 'x',
      'build/out.js': 'x',
      'app.log': 'x',
      'keep.log': 'x',
      'fixtures/keys/k.pem': 'x',
      'docs/readme.md': 'x',
      'docs/sub/deep.md': 'x',
      'node_modules/p/index.js': 'x',
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('honours .gitignore (nested, negation) and .hushignore', () => {
    assert.deepEqual(rels(root), ['.gitignore', '.hushignore', 'docs/sub/deep.md', 'keep.log', 'src/.gitignore', 'src/a.ts']);
  });
  it('--no-gitignore keeps .hushignore', () => {
    assert.deepEqual(rels(root, { gitignore: false }), [
      '.gitignore', '.hushignore', 'app.log', 'build/out.js', 'docs/sub/deep.md', 'keep.log', 'src/.gitignore', 'src/a.ts', 'src/generated.ts',
    ]);
  });
  it('matches a single path against .hushignore (language server)', () => {
    const ig = hushIgnoreFor(root);
    assert.ok(ig('fixtures/keys/k.pem'));
    assert.ok(!ig('src/a.ts'));
  });
  it('skips binary files, lock files, source maps and minified bundles', () => {
    const r = tree({
      'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      'package-lock.json': '{}',
      'app.js.map': '{}',
      'vendor.min.js': 'x',
      'bundle.js': `!function(){${'var a=1;'.repeat(2000)}}();`,
      'ok.js': 'const a = 1;\n',
    });
    try {
      assert.deepEqual(readTextFile(path.join(r, 'img.png')), { kind: 'skipped', reason: 'binary' });
      assert.equal((readTextFile(path.join(r, 'package-lock.json')) as { reason: string }).reason, 'lockfile');
      assert.equal((readTextFile(path.join(r, 'app.js.map')) as { reason: string }).reason, 'sourcemap');
      assert.equal((readTextFile(path.join(r, 'vendor.min.js')) as { reason: string }).reason, 'minified');
      assert.equal((readTextFile(path.join(r, 'bundle.js')) as { reason: string }).reason, 'minified');
      assert.equal(readTextFile(path.join(r, 'ok.js')).kind, 'text');
      assert.equal(readTextFile(path.join(r, 'package-lock.json'), { includeGenerated: true }).kind, 'text');
      assert.equal(generatedKind('src/app.ts'), undefined);
    } finally {
      fs.rmSync(r, { recursive: true, force: true });
    }
  });
});
