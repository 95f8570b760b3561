import * as assert from 'node:assert/strict';
import { dueSecrets, redact, rotateSecret, rotationStatus, setRotationPolicy } from '../../../shared/secrets/rotation';
import { fakeValue, freshStore, TestClock } from './helpers';

describe('rotation schedule', () => {
  const day = 86_400_000;
  const created = '2026-01-01T00:00:00.000Z';

  it('has no status without a schedule', () => {
    assert.equal(rotationStatus({ createdAt: created }, new Date(created)), undefined);
  });

  it('is due an interval after creation when never rotated, and an interval after the last rotation', () => {
    const s = { createdAt: created, rotation: { intervalDays: 30 } };
    assert.equal(rotationStatus(s, new Date(Date.parse(created) + 29 * day))?.due, false);
    const at30 = rotationStatus(s, new Date(Date.parse(created) + 30 * day));
    assert.equal(at30?.due, true);
    assert.equal(at30?.nextRotationDate, '2026-01-31T00:00:00.000Z');
    const rotated = { createdAt: created, rotation: { intervalDays: 30, lastRotatedAt: '2026-03-01T00:00:00.000Z' } };
    assert.equal(rotationStatus(rotated, new Date('2026-03-20T00:00:00.000Z'))?.due, false);
    assert.equal(rotationStatus(rotated, new Date('2026-03-31T00:00:00.000Z'))?.due, true);
  });

  it('redacts every occurrence of the new and old values from hook output', () => {
    assert.equal(redact('set p4ssw0rd-new (was p4ssw0rd-old); p4ssw0rd-new ok', ['p4ssw0rd-new', 'p4ssw0rd-old', undefined]), 'set **** (was ****); **** ok');
    assert.equal(redact('short ab stays', ['ab']), 'short ab stays', 'values under 4 characters are not redacted (they would blank the output)');
  });

  it('dueSecrets picks every due secret across pages, and a rotation makes it not due', async () => {
    const clock = new TestClock();
    const s = await freshStore({ clock: clock.now });
    try {
      for (let i = 0; i < 103; i++) await s.manager.createSecret({ name: `bulk/${String(i).padStart(3, '0')}`, value: fakeValue() });
      await s.manager.createSecret({ name: 'daily', value: fakeValue() });
      await s.manager.createSecret({ name: 'monthly', value: fakeValue() });
      await setRotationPolicy(s.manager, 'daily', { intervalDays: 1, length: 16, excludePunctuation: true });
      await setRotationPolicy(s.manager, 'monthly', { intervalDays: 30, length: 16, excludePunctuation: true });
      await setRotationPolicy(s.manager, 'bulk/102', { intervalDays: 1, length: 16, excludePunctuation: true });
      assert.deepEqual(await dueSecrets(s.manager, clock.now()), []);
      clock.advanceDays(2);
      assert.deepEqual((await dueSecrets(s.manager, clock.now())).sort(), ['bulk/102', 'daily'], 'the second page too');
      assert.equal((await rotateSecret(s.manager, 'daily', { allowHooks: false })).ok, true);
      assert.deepEqual(await dueSecrets(s.manager, clock.now()), ['bulk/102']);
    } finally {
      await s.cleanup();
    }
  });
});
