/**
 * `hush.rotation.runDueInEditor` through the built server and a real LSP
 * client: off by default, nothing rotates; on, the server rotates a due
 * secret once its store is open and tells the user.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coreRequest } from '../../shared/protocol';
import { setRotationPolicy } from '../../shared/secrets/rotation';
import { openStore } from '../../shared/compose/openStore';
import { LspTestClient } from '../support/lspClient';

describe('due rotations in the language server (hush.rotation.runDueInEditor)', function () {
  this.timeout(30_000);
  let root: string;
  let store: string;
  let env: NodeJS.ProcessEnv;
  const first = `first-${randomBytes(8).toString('hex')}`;

  const current = async (): Promise<string | undefined> => {
    const o = await openStore({ path: store, env, create: false });
    try {
      return (await o.manager.getSecretValue('app/TOKEN')).secretString;
    } finally {
      await o.manager.close();
    }
  };

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-due-ws-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-due-store-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    // A secret made three days ago with a one-day schedule: due now.
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    const o = await openStore({ path: store, env, clock: () => threeDaysAgo });
    await o.manager.createSecret({ name: 'app/TOKEN', value: first });
    await setRotationPolicy(o.manager, 'app/TOKEN', { intervalDays: 1, length: 24, excludePunctuation: true });
    await o.manager.close();
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  });

  for (const on of [false, true]) {
    it(on ? 'on: rotates the due secret once the store is open, and says so' : 'off (the default): a due secret stays as it is', async () => {
      const { client } = await LspTestClient.start({ rootPath: root, env, initializationOptions: { workspaceTrusted: true }, settings: on ? { rotation: { runDueInEditor: true } } : {} });
      try {
        const listed = await client.connection.sendRequest(coreRequest('secrets/list'), {});
        assert.equal(listed[0]?.rotation?.due, true, 'due before');
        const deadline = Date.now() + (on ? 15_000 : 3_000);
        while (Date.now() < deadline && !client.messages.some((m) => m.message.includes('rotated app/TOKEN'))) await new Promise((r) => setTimeout(r, 100));
        if (on) {
          assert.ok(client.messages.some((m) => /Hush: rotated app\/TOKEN \(its rotation was due\)/.test(m.message)), JSON.stringify(client.messages));
          const now = await current();
          assert.notEqual(now, first);
          assert.equal(now?.length, 24);
        } else {
          assert.equal(await current(), first);
          assert.ok(!client.messages.some((m) => m.message.includes('rotated')));
        }
      } finally {
        await client.stop();
      }
    });
  }
});
