/**
 * Extension start-up (printed, never asserted):
 *  - the language server alone, through a real LSP client: spawn → initialize
 *    answered → first diagnostic of a file opened right after initialize;
 *  - the packaged extension in the real workbench (code-server + Chromium),
 *    when `.cache/workbench` and a `hush-*.vsix` are there (HUSH_REPO_ROOT
 *    picks another build's): a README.md with a key is open when the window
 *    starts (workbench.startupEditor = readme); Hush logs how long activate()
 *    took and when the first diagnostic arrived after activation began; then
 *    config.js is opened through Quick Open and its squiggle timed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { configJs, EXTENSION_ID } from '../test/e2e/fixtures';
import { fakeAwsAccessKeyId } from '../test/support/fakes';
import { findVsix, findWorkbench, parseExtensionHostLog, Workbench } from '../test/e2e/workbench';
import { LspTestClient } from '../test/support/lspClient';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function serverAlone(runs: number): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-act-'));
  const init: number[] = [];
  const first: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const { client } = await LspTestClient.start({ rootPath: root });
      const t1 = performance.now();
      const uri = `file://${path.join(root, `config${i}.js`)}`;
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'javascript', version: 1, text: configJs(fakeAwsAccessKeyId()) },
      });
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      const t2 = performance.now();
      await client.stop();
      init.push(t1 - t0);
      first.push(t2 - t0);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log(`language server alone (${runs} runs, median): spawn → initialize answered ${median(init).toFixed(0)} ms · → first diagnostic ${median(first).toFixed(0)} ms`);
}

async function inWorkbench(): Promise<void> {
  let vsix: string;
  try {
    findWorkbench();
    vsix = findVsix();
  } catch (e) {
    console.log(`workbench part skipped: ${(e as Error).message}`);
    return;
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-act-ws-'));
  fs.writeFileSync(path.join(workspace, 'config.js'), configJs(fakeAwsAccessKeyId()));
  fs.writeFileSync(path.join(workspace, 'README.md'), `# demo\n\nexport AWS_ACCESS_KEY_ID=${fakeAwsAccessKeyId('R5NQ7RTLM2XWK6ZB')}\n`);
  const wb = await Workbench.start({ vsix, workspace, env: { HUSH_PASSPHRASE: 'hush-bench-passphrase' }, settings: { 'workbench.startupEditor': 'readme' } });
  try {
    const ready = Date.now();
    // Hush's own log first: activation and the first diagnostic (for README.md, open since start).
    let log = '';
    for (let i = 0; i < 120 && !/first diagnostic/.test(log); i++) {
      await new Promise((r) => setTimeout(r, 250));
      log = await wb.readOutputChannel('Hush');
    }
    await wb.openFile('config.js');
    const opened = Date.now();
    const squiggle = await wb
      .squiggles()
      .last()
      .waitFor({ timeout: 30_000 })
      .then(() => Date.now(), () => undefined);
    await new Promise((r) => setTimeout(r, 1500)); // the log channel is flushed with a delay
    log = await wb.readOutputChannel('Hush');
    const facts = parseExtensionHostLog(await wb.readExtensionHostLog(), EXTENSION_ID);
    const lines = log.split('\n').filter((l) => /Hush (activated|language server|first diagnostic)|activation:/.test(l));
    console.log(`config.js opened through Quick Open ${opened - ready} ms after the workbench was ready → squiggle ${squiggle ? `${squiggle - opened} ms` : 'not seen within 30 s'}`);
    if (facts.activationStartedAt !== undefined) {
      console.log(`extension host: activation (${facts.activationEvent}) started ${facts.activationStartedAt - ready} ms after the workbench was ready`);
    }
    for (const l of lines) console.log(`  Hush log: ${l.replace(/^\S+ \S+ \[\w+\] /, '')}`);
  } finally {
    await wb.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await serverAlone(5);
  await inWorkbench();
}
