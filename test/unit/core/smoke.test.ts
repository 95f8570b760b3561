import assert from 'node:assert/strict';
import { freshStore, fakeValue } from './helpers';

describe('core smoke', () => {
  it('creates, puts and gets a secret', async () => {
    const s = await freshStore();
    try {
      const v = fakeValue();
      await s.manager.createSecret({ name: 'db/password', value: v });
      const got = await s.manager.getSecretValue('db/password');
      assert.equal(got.secretString, v);
      assert.deepEqual(got.versionStages, ['CURRENT']);
      const v2 = fakeValue('2');
      await s.manager.putSecretValue('db/password', v2);
      assert.equal((await s.manager.getSecretValue('db/password')).secretString, v2);
      assert.equal((await s.manager.getSecretValue('db/password', { versionStage: 'PREVIOUS' })).secretString, v);
      const verdict = await s.manager.verifyAudit();
      assert.ok(verdict.ok, JSON.stringify(verdict));
    } finally {
      await s.cleanup();
    }
  });
});
