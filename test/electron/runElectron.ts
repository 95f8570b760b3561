/**
 * `npm run test:electron`: the extension-host tests in VS Code desktop,
 * downloaded by @vscode/test-electron. That download needs Microsoft's update
 * service, which CI here cannot reach; CI runs the same tests in code-server
 * (test/e2e). Use this on a machine with internet access.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'exthost', 'index.js'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error(`Extension-host tests failed: ${(e as Error).message}`);
    process.exit(1);
  }
}

void main();
