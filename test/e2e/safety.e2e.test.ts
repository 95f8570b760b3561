/**
 * The prompts and the status bar a user meets when a repository asks for
 * secrets, when two findings want one name, when the move is undone, when the
 * language server dies, when a new store needs a passphrase and in Restricted
 * Mode — in the real workbench (the packaged .vsix in code-server, driven by
 * Chromium). Screenshots of each go to out/e2e-artifacts/.
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { artifactsDir, findVsix, findWorkbench, repoRoot, Workbench } from './workbench';

const CLI = path.join(repoRoot(), 'dist', 'cli.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Process ids of the Hush language servers of this workbench (its extensions folder is in their command line). */
function languageServers(extensionsDir: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes(extensionsDir) && cmd.includes('dist/server.js')) out.push(Number(pid));
  }
  return out;
}

function manifestOnDisk(dir: string): Record<string, unknown> | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, '.hush.json'), 'utf8')) as { env: Record<string, unknown> }).env;
  } catch {
    return undefined;
  }
}

describe('Prompts and status in a real workbench', function () {
  this.timeout(240_000);
  let workspace: string;
  let store: string;
  let env: Record<string, string>;
  let wb: Workbench | undefined;
  const shot = (name: string) => wb!.screenshot(path.join(artifactsDir(), `${name}.png`));

  function hush(args: string[], input?: string): string {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hush ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** The modal dialog, once it shows. */
  async function dialog(text: RegExp): Promise<Locator> {
    const box = wb!.page.locator('.monaco-dialog-box').filter({ hasText: text }).first();
    await box.waitFor({ timeout: 30_000 });
    return box;
  }

  /** Ctrl+. on the literal, then the quick fix whose title matches. */
  async function quickFix(literal: string, title: RegExp): Promise<void> {
    const p = wb!.page;
    const action = p.locator('.action-widget').getByText(title).first();
    for (let attempt = 1; ; attempt++) {
      await p.locator('.editor-instance .view-lines').getByText(literal).first().click();
      await p.keyboard.press('Control+.');
      try {
        await action.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await p.keyboard.press('Escape');
      }
    }
    await action.click();
  }

  before(async function () {
    findWorkbench();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cloned-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-e2e-safety-'));
    env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    hush(['secrets', 'create', 'team/TOKEN'], `team-${randomBytes(8).toString('hex')}`);
    fs.writeFileSync(path.join(workspace, '.hush.json'), JSON.stringify({ env: { TEAM_TOKEN: 'team/TOKEN' } }, null, 2) + '\n');
    fs.writeFileSync(path.join(workspace, 'a.py'), `KEY = "${fakeAwsAccessKeyId('A2BQ7RTLM3XWK4ZC')}"\n`);
    fs.writeFileSync(path.join(workspace, 'b.py'), `KEY = "${fakeAwsAccessKeyId('B3CQ7RTLM4XWK5ZD')}"\n`);
    wb = await Workbench.start({ vsix: findVsix(), workspace, env });
    await wb.page.locator('#workbench\\.parts\\.statusbar').getByText(/Hush/).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const name = (this.currentTest.fullTitle() || 'failure').replace(/[^\w.-]+/g, '_').slice(0, 100);
      await wb.screenshot(path.join(artifactsDir(), `${name}.png`)).catch(() => undefined);
      console.log(`      --- Hush output ---\n${(await wb.readOutputChannel('Hush').catch(() => '')).split('\n').slice(-20).join('\n')}`);
    }
  });

  after(async function () {
    await wb?.close();
    for (const d of [workspace, store]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('"Open Terminal with Secrets" on a cloned folder asks in a modal first; the terminal has no root key', async () => {
    const p = wb!.page;
    await wb!.runCommand('Hush: Open Terminal with Secrets');
    const box = await dialog(/asks for a secret from your store for a terminal/);
    assert.match(await box.innerText(), /TEAM_TOKEN ← team\/TOKEN/);
    await shot('consent-modal');
    await box.getByRole('button', { name: 'Allow', exact: true }).click();
    const tab = p.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab').filter({ hasText: /Hush: cloned-/ }).first();
    await tab.waitFor({ timeout: 30_000 }).catch(() => undefined);
    await sleep(1500);
    await p.keyboard.type('echo "root key: ${HUSH_MASTER_KEY:-absent}, token length: ${#TEAM_TOKEN}"');
    await p.keyboard.press('Enter');
    await sleep(1500);
    await shot('terminal-with-secrets');
    const remembered = fs.readFileSync(path.join(wb!.tempDir, 'home', '.config', 'hush', 'allowed-secrets.json'), 'utf8');
    assert.match(remembered, /team\/TOKEN/, 'remembered in the user config folder');
    assert.ok(!fs.readdirSync(workspace).includes('allowed-secrets.json'), 'not in the workspace');
  });

  it('two findings that want one name: the second asks in a modal and moves under a free name', async () => {
    const p = wb!.page;
    const folder = path.basename(workspace);
    await wb!.openFile('a.py');
    await wb!.squiggles().first().waitFor({ timeout: 30_000 });
    await quickFix(fakeAwsAccessKeyId('A2BQ7RTLM3XWK4ZC'), new RegExp(`Move to Secrets Manager as ${folder}/AWS_ACCESS_KEY_ID`));
    await p.locator('.editor-instance .view-lines').filter({ hasText: 'os.environ["AWS_ACCESS_KEY_ID"]' }).first().waitFor({ timeout: 20_000 });
    await wb!.openFile('b.py');
    await wb!.squiggles().first().waitFor({ timeout: 30_000 });
    await quickFix(fakeAwsAccessKeyId('B3CQ7RTLM4XWK5ZD'), new RegExp(`Move to Secrets Manager as ${folder}/AWS_ACCESS_KEY_ID`));
    const box = await dialog(/already holds a different value/);
    await shot('name-conflict-modal');
    await box.getByRole('button', { name: `Use ${folder}/AWS_ACCESS_KEY_ID_2` }).click();
    await p.locator('.editor-instance .view-lines').filter({ hasText: 'os.environ["AWS_ACCESS_KEY_ID_2"]' }).first().waitFor({ timeout: 20_000 });
    assert.strictEqual(hush(['secrets', 'get', `${folder}/AWS_ACCESS_KEY_ID_2`]), fakeAwsAccessKeyId('B3CQ7RTLM4XWK5ZD'));
    const env2 = await until('both in the manifest on disk', () => {
      const e = manifestOnDisk(workspace);
      return e && e.AWS_ACCESS_KEY_ID_2 ? e : undefined;
    });
    assert.deepStrictEqual(env2, { TEAM_TOKEN: 'team/TOKEN', AWS_ACCESS_KEY_ID: `${folder}/AWS_ACCESS_KEY_ID`, AWS_ACCESS_KEY_ID_2: `${folder}/AWS_ACCESS_KEY_ID_2` });
    await shot('name-conflict-done');
  });

  it('Ctrl+Z undoes the move in the code and in .hush.json on disk; Ctrl+Shift+Z redoes both', async () => {
    const p = wb!.page;
    const folder = path.basename(workspace);
    await p.locator('.editor-instance .view-lines').first().click();
    await p.keyboard.press('Control+Z');
    // VS Code may ask whether to undo in every file the move changed.
    const across = p.locator('.monaco-dialog-box').filter({ hasText: /undo/i }).first();
    if (await across.waitFor({ timeout: 4000 }).then(() => true, () => false)) {
      await shot('undo-across-files');
      await across.getByRole('button').filter({ hasText: /Undo in \d+ Files|Undo/ }).first().click();
    }
    await p.locator('.editor-instance .view-lines').filter({ hasText: fakeAwsAccessKeyId('B3CQ7RTLM4XWK5ZD') }).first().waitFor({ timeout: 20_000 });
    await until('the entry gone from .hush.json on disk', () => {
      const e = manifestOnDisk(workspace);
      return e && !('AWS_ACCESS_KEY_ID_2' in e) && e.AWS_ACCESS_KEY_ID === `${folder}/AWS_ACCESS_KEY_ID`;
    });
    await shot('after-undo');
    await p.keyboard.press('Control+Shift+Z');
    const again = p.locator('.monaco-dialog-box').filter({ hasText: /redo/i }).first();
    if (await again.waitFor({ timeout: 4000 }).then(() => true, () => false)) {
      await again.getByRole('button').filter({ hasText: /Redo in \d+ Files|Redo/ }).first().click();
    }
    await p.locator('.editor-instance .view-lines').filter({ hasText: 'os.environ["AWS_ACCESS_KEY_ID_2"]' }).first().waitFor({ timeout: 20_000 });
    await until('the entry back in .hush.json on disk', () => manifestOnDisk(workspace)?.AWS_ACCESS_KEY_ID_2 === `${folder}/AWS_ACCESS_KEY_ID_2`);
  });

  it('a language server that keeps dying: the status bar says so and restarts it on click', async () => {
    const p = wb!.page;
    const status = p.locator('#workbench\\.parts\\.statusbar');
    for (let i = 0; i < 8; i++) {
      if (await status.getByText(/Hush: server stopped/).isVisible()) break;
      const pids = await until('a running language server', () => {
        const found = languageServers(wb!.extensionsDir);
        return found.length ? found : undefined;
      }, 30_000).catch(() => [] as number[]);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await sleep(1500);
    }
    const stopped = status.getByText(/Hush: server stopped/).first();
    await stopped.waitFor({ timeout: 30_000 });
    await shot('status-server-stopped');
    await stopped.click();
    await status.getByText(/Hush: server stopped/).first().waitFor({ state: 'detached', timeout: 30_000 });
    await until('a language server again', () => languageServers(wb!.extensionsDir).length > 0, 30_000);
    await sleep(1000);
    await shot('status-server-restarted');
  });
});

describe('A new store in a real workbench: the passphrase, twice', function () {
  this.timeout(180_000);
  let workspace: string;
  let wb: Workbench | undefined;
  const shot = (name: string) => wb!.screenshot(path.join(artifactsDir(), `${name}.png`));

  before(async () => {
    findWorkbench();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-'));
    fs.writeFileSync(path.join(workspace, 'app.py'), 'print("hello")\n');
    // No key in the environment and no keychain: the first use of the store asks for a passphrase.
    wb = await Workbench.start({
      vsix: findVsix(),
      workspace,
      env: { HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    });
    await wb.page.locator('#workbench\\.parts\\.statusbar').getByText(/Hush/).first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('asks twice, refuses a mismatch, and the status bar says the key was typed', async () => {
    const p = wb!.page;
    await wb!.openViewContainer('Hush'); // the Secrets view lists the store: it gets created
    const input = wb!.quickInput();
    await p.locator('.quick-input-widget').filter({ hasText: /choose a passphrase for the new store \(1\/2\)/ }).waitFor({ timeout: 60_000 });
    await input.fill('a long passphrase for hush');
    await shot('passphrase-new-1');
    await p.keyboard.press('Enter');
    await p.locator('.quick-input-widget').filter({ hasText: /type the new passphrase again \(2\/2\)/ }).waitFor({ timeout: 20_000 });
    await input.fill('a long passphrase for hash');
    await p.locator('.quick-input-widget').getByText('This does not match the first entry.').waitFor({ timeout: 10_000 });
    await shot('passphrase-new-2-mismatch');
    await input.fill('a long passphrase for hush');
    await p.keyboard.press('Enter');
    const item = p.locator('#workbench\\.parts\\.statusbar').getByText(/Hush/).first();
    await until('the store unlocked', async () => {
      await item.hover();
      const tip = await p.locator('.monaco-hover, [role="tooltip"]').filter({ hasText: /Store unlocked/ }).first().innerText().catch(() => '');
      return tip || undefined;
    }, 60_000).then((tip) => assert.match(tip, /Store unlocked \(passphrase typed in this session\)/));
    await shot('status-typed-passphrase');
  });
});

describe('Restricted Mode in a real workbench', function () {
  this.timeout(180_000);
  let workspace: string;
  let store: string;
  let wb: Workbench | undefined;

  before(async () => {
    findWorkbench();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'untrusted-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-e2e-restricted-'));
    fs.writeFileSync(path.join(workspace, 'config.py'), `KEY = "${fakeAwsAccessKeyId('C4DQ7RTLM5XWK6ZE')}"\n`);
    wb = await Workbench.start({ vsix: findVsix(), workspace, workspaceTrust: true, env: { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') } });
  });

  after(async () => {
    await wb?.close();
    for (const d of [workspace, store]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('detects, and the move says it needs trust and stores nothing', async () => {
    const p = wb!.page;
    assert.strictEqual(await wb!.isRestrictedMode(30_000), true);
    await wb!.openFile('config.py');
    await wb!.squiggles().first().waitFor({ timeout: 60_000 });
    const action = p.locator('.action-widget').getByText(/Move to Secrets Manager as /).first();
    for (let attempt = 1; ; attempt++) {
      await p.locator('.editor-instance .view-lines').getByText(fakeAwsAccessKeyId('C4DQ7RTLM5XWK6ZE')).first().click();
      await p.keyboard.press('Control+.');
      try {
        await action.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await p.keyboard.press('Escape');
      }
    }
    await action.click();
    await p.getByText(/only in a trusted workspace/).first().waitFor({ timeout: 20_000 });
    await sleep(800); // the toast slides in
    await wb!.screenshot(path.join(artifactsDir(), 'restricted-move.png'));
    assert.ok(!fs.existsSync(path.join(store, 'store.json')), 'nothing was stored');
    assert.match(await p.locator('.editor-instance .view-lines').first().innerText(), /AKIA/, 'the code is unchanged');
  });
});
