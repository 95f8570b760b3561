/**
 * Entry the extension host loads for the vscode-API tests (`extensionTestsPath`).
 * Runs every compiled `*.test.js` beside this file with mocha; the promise rejects when
 * a test fails, which the workbench turns into a non-zero exit code.
 *
 * Run through the real workbench: `npm run test:exthost` (see test/e2e/README.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  // HUSH_EXTHOST_GREP runs only the tests whose full title matches (code-server passes the environment on).
  const grep = process.env.HUSH_EXTHOST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js files in ${__dirname}`));
      return;
    }
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
