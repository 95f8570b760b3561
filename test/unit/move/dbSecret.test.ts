/** Moving a connection URL as database credentials (shared/move/dbSecret.ts) and reading it back through the manifest. */
import * as assert from 'node:assert/strict';
import { connectionUrlAround, dbLookupValue, dbSecretFromUrl } from '../../../shared/move/dbSecret';
import { parseManifest, withEntry } from '../../../shared/move/manifest';

const pw = ['Zq8', 'vLm2', 'Rt'].join('');
const url = ['postgres://app:', pw, '@db.internal:5432/shop'].join('');

describe('a connection URL moved as database credentials', () => {
  it('finds the whole URL around the password, quoted or bare, and only when the span is its password', () => {
    for (const text of [`DB = "${url}"\n`, `DATABASE_URL=${url}\nPORT=1\n`, `url: '${url}?sslmode=require' # prod\n`]) {
      const start = text.indexOf(pw);
      const found = connectionUrlAround(text, start, start + pw.length);
      assert.ok(found, text);
      assert.ok(found.url.startsWith('postgres://app:') && !/["'\s]/.test(found.url), found.url);
      assert.equal(text.slice(found.start, found.end), found.url);
    }
    const text = `DB = "${url}"`;
    const start = text.indexOf(pw);
    assert.equal(connectionUrlAround(text, start, start + 3), undefined, 'a span that is not the password');
    const redis = `R = "redis://app:${pw}@cache/0"`;
    assert.equal(connectionUrlAround(redis, redis.indexOf(pw), redis.indexOf(pw) + pw.length), undefined);
  });

  it('stores AWS-shaped JSON and reads it back as the URL or one field', () => {
    const json = dbSecretFromUrl(url);
    assert.deepEqual(JSON.parse(json), { engine: 'postgres', host: 'db.internal', port: 5432, username: 'app', password: pw, dbname: 'shop' });
    assert.equal(dbLookupValue(json, { format: 'url' }, 'X'), url);
    assert.equal(dbLookupValue(json, { field: 'password' }, 'X'), pw);
    assert.equal(dbLookupValue(json, { field: 'port' }, 'X'), '5432');
    assert.throws(() => dbLookupValue(json, { field: 'pass' }, 'X (secret s)'), (e: Error) => /X \(secret s\) has no field "pass"/.test(e.message) && !e.message.includes(pw));
    assert.throws(() => dbSecretFromUrl('postgres://nobody@h/db'), /not a postgres:\/\/ or mysql:\/\/ URL with a user and password/);
  });

  it('the manifest takes "format": "url" or a "field", not both, and writes them in the object form', () => {
    const m = parseManifest('{"env": {"DATABASE_URL": {"secret": "s", "format": "url"}, "DB_HOST": {"secret": "s", "field": "host"}}}');
    assert.equal(m.env.DATABASE_URL!.format, 'url');
    assert.equal(m.env.DB_HOST!.field, 'host');
    assert.throws(() => parseManifest('{"env": {"X": {"secret": "s", "format": "jdbc"}}}'), /env\.X\.format can only be "url"/);
    assert.throws(() => parseManifest('{"env": {"X": {"secret": "s", "field": ""}}}'), /env\.X\.field must name a field/);
    assert.throws(() => parseManifest('{"env": {"X": {"secret": "s", "field": "host", "format": "url"}}}'), /both a format and a field/);
    assert.deepEqual(JSON.parse(withEntry(undefined, 'DATABASE_URL', { secret: 's', format: 'url' })), { env: { DATABASE_URL: { secret: 's', format: 'url' } } });
  });
});
