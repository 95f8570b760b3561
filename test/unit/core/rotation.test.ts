import * as assert from 'node:assert/strict';
import { redact, rotationStatus } from '../../../shared/secrets/rotation';

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
});
