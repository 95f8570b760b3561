/**
 * The OS keychain provider, for real: keytar against a Secret Service
 * (gnome-keyring under dbus-run-session, which scripts/test.mjs provides).
 * No mock. Skipped, saying why, only when there is no D-Bus session at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../shared/compose/openStore';
import { KEYCHAIN_SERVICE, loadKeytar } from '../../../shared/crypto/rootKey';
import { tempDir } from '../../unit/core/helpers';

const CLI = join(__dirname, '..', '..', '..', 'cli', 'cli.js');

function envWithout(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.HUSH_MASTER_KEY;
  delete env.HUSH_PASSPHRASE;
  delete env.HUSH_STORE;
  return env;
}

describe('root key in the OS keychain (keytar, real Secret Service)', function () {
  this.timeout(60_000);
  before(function () {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      console.log('      (no D-Bus session: run through scripts/test.mjs, which starts one with gnome-keyring)');
      this.skip();
    }
  });

  it('creates the root key on first use; the CLI in another process finds it', async () => {
    const dir = join(tempDir('hush-keychain-'), 'store');
    const env = envWithout();
    const a = await openStore({ path: dir, env, principal: 'test' });
    assert.equal(a.rootKeySource, 'keychain');
    const storeId = a.manager.storeId;
    try {
      const stored = await loadKeytar().getPassword(KEYCHAIN_SERVICE, storeId);
      assert.ok(stored && Buffer.from(stored, 'base64').length === 32, 'a 256-bit root key is in the keychain under service hush, account = store id');
      const logBefore = readFileSync(join(dir, 'store.log'));
      await a.manager.createSecret({ name: 'kc', value: 'fake-keychain-value' });
      await a.manager.close();
      const anchor = await loadKeytar().getPassword(KEYCHAIN_SERVICE, `${storeId}.anchor`);
      assert.ok(anchor && JSON.parse(anchor).head.n >= 2, 'the freshness anchor is kept beside the root key, in the keychain');
      // store.log rolled back to before the secret existed: refused, naming the file and the keychain.
      const logNow = readFileSync(join(dir, 'store.log'));
      writeFileSync(join(dir, 'store.log'), logBefore);
      const back = spawnSync(process.execPath, [CLI, 'secrets', 'list', '--store', dir], { env, encoding: 'utf8' });
      assert.equal(back.status, 1);
      assert.match(back.stderr, /^hush: StoreRolledBack: .*store\.log is behind its freshness anchor by \d+ transaction\(s\).*keychain/);
      writeFileSync(join(dir, 'store.log'), logNow);

      const r = spawnSync(process.execPath, [CLI, 'secrets', 'get', 'kc', '--store', dir], { env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'fake-keychain-value');

      // A master key that is not this store's is refused, not silently used.
      const wrong = spawnSync(process.execPath, [CLI, 'secrets', 'list', '--store', dir], {
        env: { ...env, HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') },
        encoding: 'utf8',
      });
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /^hush: WrongRootKey: /);
    } finally {
      await loadKeytar().deletePassword(KEYCHAIN_SERVICE, storeId);
      await loadKeytar().deletePassword(KEYCHAIN_SERVICE, `${storeId}.anchor`);
    }
    const gone = spawnSync(process.execPath, [CLI, 'secrets', 'list', '--store', dir], { env, encoding: 'utf8' });
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /^hush: RootKeyUnavailable: .*keychain/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unreachable Secret Service gives a clear error suggesting HUSH_PASSPHRASE', () => {
    const dir = join(tempDir('hush-keychain-'), 'store');
    const r = spawnSync(process.execPath, [CLI, 'secrets', 'create', 'x', '--store', dir], {
      env: { ...envWithout(), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      encoding: 'utf8',
      input: '',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hush: KeychainUnavailable: .*HUSH_PASSPHRASE/);
    assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  });
});

describe('root key provider when keytar cannot load', function () {
  this.timeout(30_000);
  it('says so in one line and suggests HUSH_PASSPHRASE (new store) or HUSH_MASTER_KEY (existing store)', async () => {
    const { writeFileSync } = await import('node:fs');
    const root = tempDir('hush-nokeytar-');
    // Preloaded into the CLI process: makes require('keytar') fail as a missing native build would.
    const preload = join(root, 'no-keytar.js');
    writeFileSync(
      preload,
      "const M = require('module'); const load = M._load; M._load = function (r, ...a) { if (r === 'keytar') throw new Error('keytar.node: cannot open shared object file'); return load.call(this, r, ...a); };\n",
    );
    const dir = join(root, 'store');
    const r = spawnSync(process.execPath, ['-r', preload, CLI, 'secrets', 'create', 'x', '--store', dir], { env: envWithout(), encoding: 'utf8', input: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hush: KeychainUnavailable: the OS keychain could not be used \(keytar failed to load: .*\); set HUSH_PASSPHRASE/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    // With a passphrase it works without the keychain at all.
    const ok = spawnSync(process.execPath, ['-r', preload, CLI, 'secrets', 'create', 'x', '--store', dir], {
      env: { ...envWithout(), HUSH_PASSPHRASE: 'a passphrase for tests' },
      encoding: 'utf8',
      input: 'fake-value-x',
    });
    assert.equal(ok.status, 0, ok.stderr);
    rmSync(root, { recursive: true, force: true });
  });
});
