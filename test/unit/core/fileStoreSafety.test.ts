/**
 * The embedded store's safety rules, each through the public path (openStore,
 * the Secrets Manager, the CLI in process): folder and file permissions and
 * symlinks, clear messages for bad store paths, read-only stores, names that
 * look like ids, a damaged header reported as damage, the passphrase KDF and
 * its upgrade, audit repair, store check and recover.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { run } from '../../../cli/cli';
import { openStore } from '../../../shared/compose/openStore';
import { fakeValue, freshStore, masterKey, tempDir, testEnv } from './helpers';

const CLI = join(__dirname, '..', '..', '..', 'cli', 'cli.js');

async function hush(args: string[], env: NodeJS.ProcessEnv, stdin?: string) {
  let out = '';
  let err = '';
  const code = await run(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    cwd: tempDir(),
    env,
    readStdin: async () => (stdin === undefined ? undefined : Buffer.from(stdin)),
    stdoutIsTTY: false,
  });
  return { code, out, err };
}

const reopen = (dir: string, key: string) => openStore({ path: dir, env: testEnv(key), principal: 'test@host', create: false });

describe('freshness anchor', () => {
  it('a crash between the log write and the anchor write leaves the anchor behind: the store opens and the anchor catches up', async () => {
    const s = await freshStore();
    await s.manager.createSecret({ name: 'k', value: 'fake-1' });
    const anchorPath = join(testEnv('').HUSH_ANCHOR_DIR!, `${s.manager.storeId}.anchor`);
    const before = readFileSync(anchorPath);
    await s.manager.putSecretValue('k', 'fake-2');
    await s.manager.close();
    writeFileSync(anchorPath, before); // as if power went before the anchor write reached the disk
    const o = await reopen(s.dir, s.key);
    assert.equal((await o.manager.getSecretValue('k')).secretString, 'fake-2');
    await o.manager.close();
    assert.ok(!readFileSync(anchorPath).equals(before), 'the anchor moved up to the store');
    await s.cleanup();
  });
});

describe('store folder: permissions, links and paths', () => {
  it('refuses a folder others can write, naming it and the fix; creates its own 0700', async () => {
    const dir = join(tempDir(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    await assert.rejects(freshStore({ path: dir }), (e: Error & { code?: string }) => e.code === 'InsecureStore' && e.message.includes(dir) && e.message.includes(`chmod 700 ${dir}`));
    chmodSync(dir, 0o755);
    const s = await freshStore({ path: dir });
    await s.manager.close();
    const made = await freshStore();
    assert.equal(statSync(made.dir).mode & 0o777, 0o700);
    for (const f of ['store.json', 'store.log', 'audit.log']) assert.equal(statSync(join(made.dir, f)).mode & 0o777, 0o600, f);
    await made.cleanup();
  });

  it('refuses a store file others can write', async () => {
    const s = await freshStore();
    await s.manager.close();
    chmodSync(join(s.dir, 'audit.log'), 0o666);
    await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'InsecureStore' && /chmod 600 .*audit\.log/.test(e.message));
    await s.cleanup();
  });

  it('refuses a symlink in place of a store file and never writes through it', async () => {
    const s = await freshStore();
    await s.manager.createSecret({ name: 'x', value: fakeValue() });
    await s.manager.close();
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'do not touch\n');
    for (const f of ['audit.log', 'store.log', 'store.json']) {
      const p = join(s.dir, f);
      const saved = readFileSync(p);
      rmSync(p);
      symlinkSync(victim, p);
      await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'InsecureStore' && e.message.includes(p) && /symbolic link/.test(e.message), f);
      assert.equal(readFileSync(victim, 'utf8'), 'do not touch\n');
      rmSync(p);
      writeFileSync(p, saved, { mode: 0o600 });
    }
    const link = join(tempDir(), 'link');
    symlinkSync(s.dir, link);
    await assert.rejects(reopen(link, s.key), (e: Error) => /symbolic link/.test(e.message) && e.message.includes('realpath'));
    await s.cleanup();
  });

  it("--store '' is an error, --store FILE says it is a file", async () => {
    const env = testEnv(masterKey());
    const empty = await hush(['secrets', 'list', '--store', ''], env);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /^hush: InvalidArgument: the store path is empty/);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const f = await hush(['secrets', 'list', '--store', file], env);
    assert.equal(f.code, 2);
    assert.match(f.err, /is a file, not a store folder/);
    assert.ok(!/EEXIST|Internal/.test(f.err));
  });
});

describe('read-only store', () => {
  it('opens read-only: reads work, writes say the store is read-only', async function () {
    const s = await freshStore();
    const v = fakeValue();
    await s.manager.createSecret({ name: 'ro', value: v });
    await s.manager.close();
    if (process.getuid?.() === 0) {
      // root can write anything: read it as another user, as a real read-only share would be.
      const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
      if (!Number.isInteger(nobody)) this.skip();
      const base = tempDir('hush-ro-');
      chmodSync(base, 0o755);
      const store = join(base, 'store');
      mkdirSync(store, { mode: 0o755 });
      for (const f of readdirSync(s.dir)) copyFileSync(join(s.dir, f), join(store, f));
      for (const f of readdirSync(store)) chmodSync(join(store, f), 0o644);
      const anchors = join(base, 'anchors');
      mkdirSync(anchors, { mode: 0o700 });
      for (const f of readdirSync(testEnv('').HUSH_ANCHOR_DIR!)) if (f.includes(s.manager.storeId)) copyFileSync(join(testEnv('').HUSH_ANCHOR_DIR!, f), join(anchors, f));
      chownSync(anchors, nobody, nobody);
      for (const f of readdirSync(anchors)) chownSync(join(anchors, f), nobody, nobody);
      for (let p = join(__dirname, '..'); p !== '/'; p = join(p, '..')) if (!(statSync(p).mode & 0o001)) this.skip(); // the CLI must be reachable
      const env = { PATH: process.env.PATH, HOME: base, HUSH_MASTER_KEY: s.key, HUSH_ANCHOR_DIR: anchors };
      const get = spawnSync(process.execPath, [CLI, 'secrets', 'get', 'ro', '--store', store], { env, uid: nobody, gid: nobody, encoding: 'utf8' });
      assert.equal(get.status, 0, get.stderr);
      assert.equal(get.stdout, v);
      assert.match(get.stderr, /^hush: note: the store in .* is read-only for this user: reads work but are not recorded/);
      const put = spawnSync(process.execPath, [CLI, 'secrets', 'put', 'ro', '--store', store], { env, uid: nobody, gid: nobody, encoding: 'utf8', input: 'fake-new' });
      assert.equal(put.status, 1);
      assert.match(put.stderr, /^hush: StoreReadOnly: the store in .* is read-only/m);
      rmSync(base, { recursive: true, force: true });
    } else {
      chmodSync(s.dir, 0o555);
      for (const f of readdirSync(s.dir)) chmodSync(join(s.dir, f), 0o444);
      const o = await reopen(s.dir, s.key);
      assert.equal(o.store.readOnly, true);
      assert.equal((await o.manager.getSecretValue('ro')).secretString, v);
      await assert.rejects(o.manager.putSecretValue('ro', fakeValue()), { code: 'StoreReadOnly' });
      await o.manager.close();
      chmodSync(s.dir, 0o700);
    }
    await s.cleanup();
  });
});

describe('names are not ids', () => {
  it('a name shaped like an id is refused, in either case', async () => {
    const s = await freshStore();
    for (const name of [randomUUID(), randomUUID().toUpperCase()]) {
      await assert.rejects(s.manager.createSecret({ name, value: fakeValue() }), (e: Error & { code?: string }) => e.code === 'InvalidArgument' && /shape of a secret id/.test(e.message));
    }
    // Names that merely contain one are fine.
    await s.manager.createSecret({ name: `app/${randomUUID()}`, value: fakeValue() });
    await s.cleanup();
  });

  it('an id finds its own secret even where an older store has a secret named like it', async () => {
    const s = await freshStore();
    const b = await s.manager.createSecret({ name: 'b', value: 'fake-b' });
    const a = await s.manager.createSecret({ name: 'a', value: 'fake-a' });
    // A store made before the rule: secret 'a' renamed to b's id, behind the manager's back.
    await s.store.transact(async (tx) => tx.putSecret({ ...(await tx.getSecret(a.id))!, name: b.id }));
    assert.equal((await s.manager.getSecretValue(b.id)).secretString, 'fake-b', 'the id wins over a name');
    assert.equal((await s.manager.getSecretValue(a.id)).secretString, 'fake-a');
    assert.equal((await s.manager.getSecretValue('b')).secretString, 'fake-b', 'a plain name is only a name');
    await s.cleanup();
  });
});

describe('store.json damage is damage, not a wrong key', () => {
  it('with its digest, and in a header made before digests (the anchor tells)', async () => {
    const s = await freshStore();
    await s.manager.close();
    const p = join(s.dir, 'store.json');
    const good = readFileSync(p, 'utf8');
    const h = JSON.parse(good);
    const flip = (c: string) => (c[5] === 'A' ? c.slice(0, 5) + 'B' + c.slice(6) : c.slice(0, 5) + 'A' + c.slice(6));
    writeFileSync(p, JSON.stringify({ ...h, rootKey: { ...h.rootKey, check: flip(h.rootKey.check) } }, null, 2));
    await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'CorruptStore' && /store\.json is damaged: its content does not match its digest/.test(e.message));
    writeFileSync(p, JSON.stringify({ ...h, digest: undefined, rootKey: { ...h.rootKey, check: flip(h.rootKey.check) } }, null, 2));
    await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'CorruptStore' && /verifies the store's freshness anchor/.test(e.message));
    // The wrong key is still WrongRootKey.
    writeFileSync(p, good);
    await assert.rejects(reopen(s.dir, masterKey()), { code: 'WrongRootKey' });
    writeFileSync(p, good.slice(0, 40));
    await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'CorruptStore' && e.message.includes('store.json'));
    await s.cleanup();
  });
});

describe('passphrase KDF', () => {
  it('new stores use scrypt N=2^17, r=8, p=1', async () => {
    const dir = join(tempDir(), 'store');
    const o = await openStore({ path: dir, env: { HUSH_PASSPHRASE: 'a passphrase', HUSH_ANCHOR_DIR: testEnv('').HUSH_ANCHOR_DIR! } });
    await o.manager.close();
    const kdf = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')).rootKey.kdf;
    assert.deepEqual([kdf.N, kdf.r, kdf.p], [2 ** 17, 8, 1]);
  });

  it('an older, cheaper store opens; hush store passphrase upgrades it; the old header cannot be put back', async () => {
    const dir = join(tempDir(), 'store');
    const anchors = testEnv('').HUSH_ANCHOR_DIR!;
    const old = { HUSH_PASSPHRASE: 'old passphrase', HUSH_ANCHOR_DIR: anchors };
    const o = await openStore({ path: dir, env: old, rootKey: { scryptN: 1024 } });
    await o.manager.createSecret({ name: 'p', value: 'fake-p' });
    await o.manager.close();
    const oldHeader = readFileSync(join(dir, 'store.json'));
    const r = await hush(['store', 'passphrase', '--store', dir], old, 'new passphrase\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /scrypt N=2\^10 → N=2\^17/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')).rootKey.kdf.N, 2 ** 17);
    const fresh = { HUSH_PASSPHRASE: 'new passphrase', HUSH_ANCHOR_DIR: anchors };
    assert.equal((await hush(['secrets', 'get', 'p', '--store', dir], fresh)).out, 'fake-p');
    assert.match((await hush(['secrets', 'get', 'p', '--store', dir], old)).err, /WrongPassphrase/);
    const audit = await hush(['audit', 'list', '--action', 'store:ChangePassphrase', '--store', dir], fresh);
    assert.match(audit.out, /store:ChangePassphrase\s+Success/);
    // Someone who knows the old passphrase puts the old header back: refused.
    writeFileSync(join(dir, 'store.json'), oldHeader);
    const back = await hush(['secrets', 'get', 'p', '--store', dir], old);
    assert.equal(back.code, 1);
    assert.match(back.err, /StoreRolledBack: .*store\.json is not the header its freshness anchor/);
  });
});

describe('audit repair', () => {
  it('a broken audit stops every operation until an audited repair; verify reports the gap forever', async () => {
    const s = await freshStore();
    await s.manager.createSecret({ name: 'one', value: 'fake-1' });
    await s.manager.getSecretValue('one');
    await s.manager.getSecretValue('one');
    await s.manager.close();
    const p = join(s.dir, 'audit.log');
    const lines = readFileSync(p, 'utf8').trimEnd().split('\n');
    writeFileSync(p, lines.slice(0, -2).join('\n') + '\n'); // the last two reads' records deleted
    const env = testEnv(s.key);
    const get = await hush(['secrets', 'get', 'one', '--store', s.dir], env);
    assert.equal(get.code, 1);
    assert.match(get.err, /^hush: AuditBroken: .*audit\.log: record \d+ is missing.*'hush audit repair'/);
    const put = await hush(['secrets', 'put', 'one', '--store', s.dir], env, 'fake-2');
    assert.match(put.err, /AuditBroken/);
    const verify = await hush(['audit', 'verify', '--store', s.dir], env);
    assert.equal(verify.code, 1);
    const repair = await hush(['audit', 'repair', '--store', s.dir], env);
    assert.equal(repair.code, 0, repair.err);
    assert.match(repair.out, new RegExp(`records ${lines.length - 1}–${lines.length} are recorded as lost`));
    assert.ok(readdirSync(s.dir).some((f) => f.startsWith('audit.log.damaged-')), 'the damaged file is kept');
    assert.equal((await hush(['secrets', 'put', 'one', '--store', s.dir], env, 'fake-2')).code, 0);
    for (let i = 0; i < 2; i++) {
      const v = await hush(['audit', 'verify', '--store', s.dir], env);
      assert.equal(v.code, 0, v.err);
      assert.match(v.out, /NOT intact: .*1 repaired gap/);
      assert.match(v.out, new RegExp(`records ${lines.length - 1}–${lines.length} lost; recorded as record ${lines.length + 1} by test@host|records ${lines.length - 1}–${lines.length} lost; recorded as record ${lines.length + 1} by `));
      assert.ok(!/intact: \d+ records, chain/.test(v.out.replace('NOT intact', '')));
    }
    const again = await hush(['audit', 'repair', '--store', s.dir], env);
    assert.equal(again.code, 2);
    assert.match(again.err, /nothing to repair/);
    // Deleting the repair record itself is damage again.
    const now = readFileSync(p, 'utf8').trimEnd().split('\n');
    writeFileSync(p, now.filter((l) => !l.includes('audit:Repair')).join('\n') + '\n');
    assert.match((await hush(['secrets', 'get', 'one', '--store', s.dir], env)).err, /AuditBroken/);
    await s.cleanup();
  });
});

describe('store check and recover', () => {
  it('check lists every damaged record and changes nothing; recover saves the rest, re-anchored', async () => {
    const s = await freshStore();
    for (const n of ['a', 'b', 'c']) await s.manager.createSecret({ name: n, value: `fake-${n}-1` });
    await s.manager.putSecretValue('b', 'fake-b-2');
    await s.manager.putSecretValue('c', 'fake-c-2');
    await s.manager.close();
    const log = join(s.dir, 'store.log');
    const bytes = readFileSync(log);
    // Damage the record of b's second version (the 5th frame of 7: default key, 3 creates, put b, put c).
    const frames: number[] = [];
    for (let pos = bytes.indexOf(0x0a) + 1; pos < bytes.length; pos += 40 + bytes.readUInt32BE(pos)) frames.push(pos);
    const target = frames[frames.length - 2]!;
    bytes[target + 60]! ^= 0x01;
    writeFileSync(log, bytes);
    const before = readFileSync(log);
    const env = testEnv(s.key);
    assert.equal((await hush(['secrets', 'get', 'a', '--store', s.dir], env)).code, 1);
    const check = await hush(['store', 'check', '--store', s.dir], env);
    assert.equal(check.code, 1);
    assert.match(check.out, new RegExp(`store\\.log byte ${target} \\(\\d+ bytes\\): fails its integrity check`));
    assert.match(check.out, /held: .*version .* of secret b/);
    assert.ok(readFileSync(log).equals(before), 'check changed nothing');
    const to = join(tempDir(), 'recovered');
    const rec = await hush(['store', 'recover', '--store', s.dir, '--to', to], env);
    assert.equal(rec.code, 0, rec.err);
    assert.match(rec.out, /recovered 3 secret\(s\)/);
    assert.match(rec.out, /lost \(1\):\n.*fails its integrity check .*— held .*version .* of secret b/);
    assert.equal((await hush(['secrets', 'get', 'a', '--store', to], env)).out, 'fake-a-1');
    assert.equal((await hush(['secrets', 'get', 'b', '--store', to], env)).out, 'fake-b-1');
    assert.equal((await hush(['secrets', 'get', 'c', '--store', to], env)).out, 'fake-c-2');
    assert.equal((await hush(['audit', 'verify', '--store', to], env)).code, 0);
    // The damaged store is now behind the anchor that names the recovered one.
    assert.match((await hush(['secrets', 'list', '--store', s.dir], env)).err, /CorruptStore|StoreRolledBack/);
    assert.ok(existsSync(log));
    await s.cleanup();
  });
});
