/** The database rotators' pure parts: the secret's JSON shape, SCRAM verifiers, grant copying, user names, hook paths. */
import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dbCredentialsFromUrl, dbUrlOf, formatDbCredentials, parseDbCredentials, tlsOptions } from '../../../shared/secrets/rotators/dbCredentials';
import { scramSha256Verifier } from '../../../shared/secrets/rotators/scramVerifier';
import { grantForClone, mysqlNativeHash } from '../../../shared/secrets/rotators/mysql';
import { nextUsername } from '../../../shared/secrets/rotators/dbRotation';
import { postgres } from '../../../shared/secrets/rotators/postgres';
import { resolveHook } from '../../../shared/secrets/rotation';

const pwd = ['s3cr', 'et-', 'Value'].join('');

describe('database secret JSON', () => {
  const ok = { engine: 'postgres', host: 'db.internal', port: 5432, username: 'app', password: pwd, dbname: 'orders' };

  it('parses AWS\'s shape, defaults the port, accepts a port written as digits, keeps unknown fields', () => {
    const c = parseDbCredentials(JSON.stringify({ ...ok, port: '6432', proxy: 'x' }), 'secret s');
    assert.equal(c.port, 6432);
    assert.equal(c.proxy, 'x');
    assert.equal(parseDbCredentials(JSON.stringify({ ...ok, engine: 'mariadb', port: undefined }), 'secret s').port, 3306);
    const back = JSON.parse(formatDbCredentials(c));
    assert.deepEqual(Object.keys(back).slice(0, 6), ['engine', 'host', 'port', 'username', 'password', 'dbname']);
  });

  it('refuses what is not credentials, naming the field and never quoting the value', () => {
    const cases: [unknown, RegExp][] = [
      [pwd, /secret s is not JSON\. A database secret is JSON like/],
      [[1], /is not a JSON object/],
      [{ ...ok, engine: 'oracle' }, /"engine": "oracle"; it must be one of postgres, mysql, mariadb/],
      [{ ...ok, engine: undefined }, /has no "engine"/],
      [{ ...ok, host: '' }, /has no "host"/],
      [{ ...ok, password: 12 }, /has no "password"/],
      [{ ...ok, port: 70000 }, /"port" that is not a whole number from 1 to 65535/],
      [{ ...ok, ssl: 'yes' }, /"ssl" that is neither true, false nor an object/],
      [{ ...ok, ssl: { ca: 1 } }, /"ssl.ca" that is not a string/],
    ];
    for (const [v, re] of cases) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      assert.throws(() => parseDbCredentials(text, 'secret s'), (e: Error) => re.test(e.message) && !e.message.includes(pwd), text);
    }
  });

  it('honours TLS options: true verifies, an object passes through', () => {
    assert.equal(tlsOptions(parseDbCredentials(JSON.stringify(ok), 's')), undefined);
    assert.deepEqual(tlsOptions(parseDbCredentials(JSON.stringify({ ...ok, ssl: true }), 's')), { rejectUnauthorized: true });
    assert.deepEqual(tlsOptions(parseDbCredentials(JSON.stringify({ ...ok, ssl: { rejectUnauthorized: false, servername: 'db' } }), 's')), { rejectUnauthorized: false, servername: 'db' });
  });

  it('converts connection URLs both ways, percent-encoding every part', () => {
    const odd = ['p@ss', ':w/rd', '%?#'].join('');
    const c = dbCredentialsFromUrl(`postgresql://app%40corp:${encodeURIComponent(odd)}@db.internal:6543/orders?sslmode=require&application_name=shop`)!;
    assert.deepEqual(
      { ...c },
      { engine: 'postgres', host: 'db.internal', port: 6543, username: 'app@corp', password: odd, dbname: 'orders', params: { sslmode: 'require', application_name: 'shop' }, ssl: { rejectUnauthorized: false } },
    );
    assert.deepEqual(dbCredentialsFromUrl(dbUrlOf(c)), c, 'round trip');
    assert.equal(dbCredentialsFromUrl('mysql://root:pw@[::1]/shop')!.host, '::1');
    assert.equal(dbCredentialsFromUrl('mysql://root:pw@[::1]/shop')!.port, 3306);
    assert.equal(dbCredentialsFromUrl('mariadb://u:p@h/db?ssl-mode=VERIFY_IDENTITY')!.ssl, true);
    assert.equal(dbCredentialsFromUrl('redis://u:p@h/0'), undefined, 'not a database these rotators know');
    assert.equal(dbCredentialsFromUrl('postgres://u@h/db'), undefined, 'no password: nothing to move');
    assert.equal(dbCredentialsFromUrl(['postgres://u:', '%E0%A4%A', '@h/db'].join('')), undefined, 'a malformed escape');
  });
});

describe('SCRAM-SHA-256 verifier', () => {
  // RFC 7677 section 3: user "user", password "pencil", this salt, 4096 iterations, and the exchange's messages.
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
  const clientFirstBare = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const clientFinalNoProof = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalNoProof}`;

  it('matches RFC 7677\'s test vector (server signature and client proof)', () => {
    const v = scramSha256Verifier('pencil', salt, 4096);
    const m = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(v);
    assert.ok(m, v);
    assert.equal(m[1], 'W22ZaJ0SNY7soEsUEjb6gQ==');
    const storedKey = Buffer.from(m[2]!, 'base64');
    const serverKey = Buffer.from(m[3]!, 'base64');
    assert.equal(createHmac('sha256', serverKey).update(authMessage).digest('base64'), '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    // ClientKey = ClientProof XOR ClientSignature, and StoredKey = SHA-256(ClientKey).
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
    assert.deepEqual(createHash('sha256').update(clientKey).digest(), storedKey);
  });

  it('salts every verifier and refuses what would need SASLprep', () => {
    assert.notEqual(scramSha256Verifier(pwd), scramSha256Verifier(pwd));
    assert.ok(!scramSha256Verifier(pwd).includes(pwd));
    assert.throws(() => scramSha256Verifier('pässword'), /printable ASCII/);
  });
});

describe('MySQL/MariaDB helpers', () => {
  it('hashes as mysql_native_password stores it', () => {
    // MariaDB's PASSWORD('password') is this well-known value.
    assert.equal(mysqlNativeHash('password'), '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
  });

  it('copies a grant to the clone, dropping the stored hash MariaDB prints', () => {
    const from = '`app`@`%`';
    const to = '`app_clone`@`%`';
    assert.equal(grantForClone("GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'", from, to), 'GRANT USAGE ON *.* TO `app_clone`@`%`');
    assert.equal(grantForClone('GRANT SELECT, INSERT ON `shop`.* TO `app`@`%` WITH GRANT OPTION', from, to), 'GRANT SELECT, INSERT ON `shop`.* TO `app_clone`@`%` WITH GRANT OPTION');
    assert.equal(grantForClone("GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED VIA ed25519 USING 'abc' REQUIRE SSL", from, to), 'GRANT USAGE ON *.* TO `app_clone`@`%` REQUIRE SSL');
    assert.equal(grantForClone('SET DEFAULT ROLE `reader` FOR `app`@`%`', from, to), 'SET DEFAULT ROLE `reader` FOR `app_clone`@`%`');
    assert.throws(() => grantForClone('GRANT SELECT ON `app`@`%`.* TO `app`@`%`', from, to), /cannot copy a grant/);
  });
});

describe('alternating user names', () => {
  const current = (username: string) => parseDbCredentials(JSON.stringify({ engine: 'postgres', host: 'h', username, password: pwd }), 's');
  it('flips between a user and its _clone, and refuses a name the engine cannot hold', () => {
    assert.equal(nextUsername({ engine: postgres, strategy: 'alternating', current: current('app') }), 'app_clone');
    assert.equal(nextUsername({ engine: postgres, strategy: 'alternating', current: current('app_clone') }), 'app');
    assert.equal(nextUsername({ engine: postgres, strategy: 'single', current: current('app') }), 'app');
    assert.throws(() => nextUsername({ engine: postgres, strategy: 'alternating', current: current('u'.repeat(60)) }), /longer than PostgreSQL's 63 characters/);
  });
});

describe('rotation hooks are fixed at set time (issue 10, item 2)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-hook-'));
    fs.writeFileSync(path.join(dir, 'rotate-db.sh'), '#!/bin/sh\ncat >/dev/null\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'folder'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resolves a relative hook against the folder given, to a real absolute path', () => {
    const real = fs.realpathSync(path.join(dir, 'rotate-db.sh'));
    assert.equal(resolveHook('./rotate-db.sh', dir), real);
    assert.equal(resolveHook(path.join(dir, 'rotate-db.sh'), undefined), real);
    fs.symlinkSync(path.join(dir, 'rotate-db.sh'), path.join(dir, 'link.sh'));
    assert.equal(resolveHook('link.sh', dir), real, 'a link is stored as its target');
  });

  it('refuses a hook that is not a regular executable file, or relative with no folder', () => {
    assert.throws(() => resolveHook('./folder', dir), /is not a regular file/);
    assert.throws(() => resolveHook('./plain.txt', dir), /is not executable; chmod \+x it/);
    assert.throws(() => resolveHook('./missing.sh', dir), /there is no file .*missing\.sh for the rotation hook/);
    assert.throws(() => resolveHook('cat > /tmp/x', dir), /A rotation hook is the path of an executable file/);
    assert.throws(() => resolveHook('./rotate-db.sh', undefined), /relative path and there is no folder to resolve it against/);
  });
});
