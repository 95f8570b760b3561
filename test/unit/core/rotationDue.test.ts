/** The language server's due rotations (server/dueRotations.ts) on a real store with a movable clock. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RotationResult } from '../../../shared/protocol';
import { setRotationPolicy } from '../../../shared/secrets/rotation';
import { DueRotations } from '../../../server/dueRotations';
import { fakeValue, freshStore, tempDir, TestClock } from './helpers';

describe('due rotations in the editor (hush.rotation.runDueInEditor)', () => {
  it('runs nothing while the setting is off; then rotates what is due, skips hooks when untrusted, tries a failure once', async () => {
    const clock = new TestClock();
    const s = await freshStore({ clock: clock.now });
    const hooks = tempDir('hush-due-hooks-');
    try {
      const m = s.manager;
      for (const name of ['due/plain', 'due/hooked', 'due/failing', 'later']) await m.createSecret({ name, value: fakeValue() });
      const ok = path.join(hooks, 'ok.sh');
      const bad = path.join(hooks, 'bad.sh');
      fs.writeFileSync(ok, '#!/bin/sh\ncat >/dev/null\n', { mode: 0o755 });
      fs.writeFileSync(bad, '#!/bin/sh\ncat >/dev/null; echo refused >&2; exit 3\n', { mode: 0o755 });
      await setRotationPolicy(m, 'due/plain', { intervalDays: 1, length: 20, excludePunctuation: true });
      await setRotationPolicy(m, 'due/hooked', { intervalDays: 1, length: 20, excludePunctuation: true, hook: ok });
      await setRotationPolicy(m, 'due/failing', { intervalDays: 1, length: 20, excludePunctuation: true, hook: bad });
      await setRotationPolicy(m, 'later', { intervalDays: 30, length: 20, excludePunctuation: true });
      clock.advanceDays(2);

      let enabled = false;
      let trusted = false;
      const seen: RotationResult[] = [];
      const due = new DueRotations({ manager: async () => m, enabled: () => enabled, trusted: () => trusted, onStep: () => undefined, onResult: (r) => seen.push(r), now: clock.now });
      assert.deepEqual(await due.runOnce(), [], 'off by default: nothing runs');
      const versions = async (n: string) => (await m.describeSecret(n)).versions.length;
      assert.equal(await versions('due/plain'), 1);

      enabled = true;
      const first = await due.runOnce();
      assert.deepEqual(first.map((r) => [r.secretName, r.ok]), [['due/plain', true]], 'hooks wait for a trusted workspace; later is not due');
      trusted = true;
      const second = await due.runOnce();
      assert.deepEqual(second.map((r) => [r.secretName, r.ok]).sort(), [['due/failing', false], ['due/hooked', true]]);
      assert.match(second.find((r) => !r.ok)!.message!, /failed at setSecret: the hook exited with 3: refused/);
      assert.deepEqual(await due.runOnce(), [], 'a failed rotation is not retried every hour in the same session');
      assert.equal(seen.length, 3);
    } finally {
      fs.rmSync(hooks, { recursive: true, force: true });
      await s.cleanup();
    }
  });
});
