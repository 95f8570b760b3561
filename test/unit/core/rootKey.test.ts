import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../shared/compose/openStore';
import { createRootKey, unlockRootKey } from '../../../shared/crypto/rootKey';
import { masterKey, tempDir } from './helpers';

describe('root keys', () => {
  it('HUSH_MASTER_KEY: must be base64 of 32 bytes; a wrong one is WrongRootKey', async () => {
    await assert.rejects(createRootKey('s', { env: { HUSH_MASTER_KEY: 'c2hvcnQ=' } }), { code: 'InvalidArgument' });
    const k = masterKey();
    const made = await createRootKey('s', { env: { HUSH_MASTER_KEY: k } });
    assert.equal(made.source, 'HUSH_MASTER_KEY');
    assert.equal((await unlockRootKey('s', made.header, { env: { HUSH_MASTER_KEY: k } })).key.toString('base64'), k);
    await assert.rejects(unlockRootKey('s', made.header, { env: { HUSH_MASTER_KEY: masterKey() } }), { code: 'WrongRootKey' });
  });

  it('HUSH_PASSPHRASE: a wrong passphrase is WrongPassphrase, not corruption', async () => {
    const made = await createRootKey('s', { env: { HUSH_PASSPHRASE: 'correct horse' }, scryptN: 1024 });
    assert.equal(made.header.kind, 'passphrase');
    const again = await unlockRootKey('s', made.header, { env: { HUSH_PASSPHRASE: 'correct horse' } });
    assert.deepEqual(again.key, made.key);
    await assert.rejects(unlockRootKey('s', made.header, { env: { HUSH_PASSPHRASE: 'wrong horse' } }), { code: 'WrongPassphrase' });
    await assert.rejects(unlockRootKey('s', made.header, { env: {} }), { code: 'RootKeyUnavailable' });
    // Bound to the store id too.
    await assert.rejects(unlockRootKey('other', made.header, { env: { HUSH_PASSPHRASE: 'correct horse' } }), { code: 'WrongPassphrase' });
  });

  it('a passphrase store reopens across processes and refuses the wrong passphrase', async () => {
    const dir = join(tempDir(), 'store');
    try {
      const a = await openStore({ path: dir, env: { HUSH_PASSPHRASE: 'pass one' }, rootKey: { scryptN: 1024 } });
      await a.manager.createSecret({ name: 'x', value: 'fake-value-x' });
      await a.manager.close();
      await assert.rejects(openStore({ path: dir, env: { HUSH_PASSPHRASE: 'pass two' } }), { code: 'WrongPassphrase' });
      const b = await openStore({ path: dir, env: { HUSH_PASSPHRASE: 'pass one' } });
      assert.equal((await b.manager.getSecretValue('x')).secretString, 'fake-value-x');
      await b.manager.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to create a store when asked not to', async () => {
    await assert.rejects(openStore({ path: join(tempDir(), 'none'), env: { HUSH_MASTER_KEY: masterKey() }, create: false }), { code: 'StoreNotFound' });
  });
});
