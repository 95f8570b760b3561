import * as assert from 'node:assert/strict';
import { findEnvReferences, lookupPrefixAt } from '../../../shared/move/references';

describe('environment lookups in code', () => {
  const cases: [string, string][] = [
    ['const p = process.env.DB_PASSWORD;', 'DB_PASSWORD'],
    ["const p = process.env['DB_PASSWORD'];", 'DB_PASSWORD'],
    ['p = os.environ["DB_PASSWORD"]', 'DB_PASSWORD'],
    ["p = os.environ.get('DB_PASSWORD', '')", 'DB_PASSWORD'],
    ['p := os.Getenv("DB_PASSWORD")', 'DB_PASSWORD'],
    ['String p = System.getenv("DB_PASSWORD");', 'DB_PASSWORD'],
    ['var p = Environment.GetEnvironmentVariable("DB_PASSWORD");', 'DB_PASSWORD'],
    ['p = ENV["DB_PASSWORD"]', 'DB_PASSWORD'],
    ["$p = getenv('DB_PASSWORD');", 'DB_PASSWORD'],
    ['let p = std::env::var("DB_PASSWORD").unwrap();', 'DB_PASSWORD'],
    ['password: ${DB_PASSWORD}', 'DB_PASSWORD'],
    ['url: ${DB_PASSWORD:-dev}', 'DB_PASSWORD'],
    ['psql "$DB_PASSWORD"', 'DB_PASSWORD'],
    ['$p = $env:DB_PASSWORD', 'DB_PASSWORD'],
  ];
  for (const [line, name] of cases) {
    it(`finds ${name} in: ${line}`, () => {
      const refs = findEnvReferences(line);
      assert.equal(refs.length, 1, JSON.stringify(refs));
      assert.equal(refs[0].name, name);
      assert.equal(line.slice(refs[0].start, refs[0].end), name);
    });
  }

  it('ignores look-alikes', () => {
    assert.deepEqual(findEnvReferences('const env = { DB_PASSWORD: 1 }; price$5; a$b'), []);
  });

  it('knows when the cursor is inside an unfinished lookup', () => {
    assert.equal(lookupPrefixAt('const p = process.env.DB_'), 'DB_');
    assert.equal(lookupPrefixAt('p = os.environ["'), '');
    assert.equal(lookupPrefixAt('password: ${'), '');
    assert.equal(lookupPrefixAt('const p = env.DB_'), undefined);
  });
});
