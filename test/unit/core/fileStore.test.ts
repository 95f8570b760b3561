import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../shared/compose/openStore';
import { acquireLock } from '../../../shared/store/lockFile';
import { fakeValue, freshStore, tempDir, testEnv } from './helpers';

describe('embedded file store', () => {
  it('compacts (snapshot + rename) and keeps every value; other instances follow', async () => {
    const s = await freshStore({ fileStore: { compactBytes: 16 * 1024 } });
    const other = await openStore({ path: s.dir, env: testEnv(s.key), principal: 't', create: false });
    try {
      const want = new Map<string, string>();
      for (let i = 0; i < 40; i++) {
        const name = `c${i % 5}`;
        const v = fakeValue(String(i));
        if (i < 5) await s.manager.createSecret({ name, value: v });
        else await (i % 2 ? s.manager : other.manager).putSecretValue(name, v);
        want.set(name, v);
      }
      assert.ok(statSync(join(s.dir, 'store.log')).size < 64 * 1024, 'the log was compacted');
      for (const [name, v] of want) {
        assert.equal((await other.manager.getSecretValue(name)).secretString, v);
        assert.equal((await s.manager.getSecretValue(name)).secretString, v);
      }
      assert.ok((await s.manager.verifyAudit()).ok);
      assert.ok(!readdirSync(s.dir).some((f) => f.endsWith('.tmp')));
    } finally {
      await other.manager.close();
      await s.cleanup();
    }
  });

  it('two instances in one process see each other\'s writes and keep CURRENT unique', async () => {
    const s = await freshStore();
    const other = await openStore({ path: s.dir, env: testEnv(s.key), principal: 't', create: false });
    try {
      await s.manager.createSecret({ name: 'shared', value: 'fake-0' });
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s.manager : other.manager).putSecretValue('shared', `fake-${i + 1}`)));
      const vs = await s.manager.listSecretVersionIds('shared');
      assert.equal(vs.length, 21);
      assert.equal(vs.filter((v) => v.versionStages.includes('CURRENT')).length, 1);
    } finally {
      await other.manager.close();
      await s.cleanup();
    }
  });

  it('breaks the lock of a dead process, not of a live one', async () => {
    const dir = tempDir();
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, `999999 ${require('node:os').hostname()} 0 dead`);
    const release = await acquireLock(lock, 2000);
    assert.match(readFileSync(lock, 'utf8'), new RegExp(`^${process.pid} `));
    await assert.rejects(acquireLock(lock, 200), { code: 'StoreLocked' });
    release();
    (await acquireLock(lock, 200))();
    // A lock taken before the last boot (power loss) is stale even if its pid is alive now.
    writeFileSync(lock, `${process.pid} ${require('node:os').hostname()} 0 old 00000000-0000-0000-0000-000000000000`);
    if (existsSync('/proc/sys/kernel/random/boot_id')) (await acquireLock(lock, 2000))();
  });

  it('files are private to the user', async () => {
    const s = await freshStore();
    try {
      for (const f of ['store.json', 'store.log', 'audit.log']) assert.equal(statSync(join(s.dir, f)).mode & 0o077, 0, f);
      assert.equal(statSync(s.dir).mode & 0o077, 0);
    } finally {
      await s.cleanup();
    }
  });
});
