/**
 * Runs the vscode-API tests (out/test/exthost/index.js) inside code-server's real
 * extension host, with this repository as the development extension. The extension host
 * prints mocha's report; this test fails when it exits non-zero.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newIdentity } from '../support/identities';
import { configJs, fakeAwsAccessKeyId } from './fixtures';
import { findWorkbench, repoRoot, runExtensionHostTests } from './workbench';

describe('Hush extension-host tests (real workbench)', function () {
  this.timeout(180_000);

  it('pass inside code-server', async () => {
    findWorkbench();
    const root = repoRoot();
    const entry = path.join(root, 'out', 'test', 'exthost', 'index.js');
    if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: compile the tests first (npm run compile-tests)`);
    const main = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main?: string }).main;
    if (main && !fs.existsSync(path.resolve(root, main)) && !fs.existsSync(path.resolve(root, `${main}.js`))) {
      throw new Error(`the extension's main ${main} is missing: build it first (npm run build)`);
    }
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-exthost-ws-'));
    fs.writeFileSync(path.join(workspace, 'config.js'), configJs(fakeAwsAccessKeyId()));
    try {
      const r = await runExtensionHostTests({
        extensionDevelopmentPath: root,
        extensionTestsPath: entry,
        workspace,
        // A member identity for the team-store tests (test/exthost/teamStore.test.ts); the embedded store ignores it.
        env: { HUSH_PASSPHRASE: 'hush-e2e-passphrase', HUSH_IDENTITY: newIdentity().privateKey.toString('base64') },
        timeoutMs: 150_000,
        onOutput: (l) => console.log(`      | ${l}`),
      });
      console.log(`      timings: ${JSON.stringify(r.timings)}`);
      if (r.exitCode !== 0) {
        const errors = r.extensionHostLog.split('\n').filter((l) => /\[error\]/.test(l));
        console.log(`      --- extension host log errors ---\n${errors.slice(-30).join('\n')}`);
      }
      assert.strictEqual(r.exitCode, 0, 'the extension-host tests failed: see the mocha report above');
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
