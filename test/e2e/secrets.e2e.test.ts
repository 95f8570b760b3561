/**
 * The main flow and the sidebar in a real workbench: a hardcoded key moved to
 * the Secrets Manager with Ctrl+., the secret in the Secrets view with its
 * CURRENT version, and a rotation from the command palette, through the
 * PostgreSQL rotator against a real server, leaving a new CURRENT that the
 * database accepts and the old version PREVIOUS. Screenshots go to
 * out/e2e-artifacts/.
 *
 * The whole flow runs twice: on an embedded store (a folder), then on a
 * team store on PostgreSQL (a throwaway server, the store initialised for
 * the test member, whose identity the workbench gets from HUSH_IDENTITY).
 */
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { fakeAwsAccessKeyId } from '../support/fakes';
import { newIdentity } from '../support/identities';
import { PgServer, startPostgres } from '../support/pgServer';
import { artifactsDir, findVsix, findWorkbench, repoRoot, Workbench } from './workbench';

const CLI = path.join(repoRoot(), 'dist', 'cli.js');

for (const kind of ['embedded', 'team'] as const)
describe(`Moving a secret and the sidebar in a real workbench (${kind} store)`, function () {
  this.timeout(180_000);
  const key = fakeAwsAccessKeyId();
  let workspace: string;
  let store: string;
  let env: Record<string, string>;
  let wb: Workbench | undefined;
  let pg: PgServer | undefined;
  /** The team store's database (team only). */
  let storePg: PgServer | undefined;
  const dbPassword = `E2e-${randomBytes(12).toString('base64url')}`;

  /** Logs in to the test database over TCP (password checked) as shop_app. */
  async function logsIn(password: string): Promise<boolean> {
    const c = new Client({ host: pg!.host, port: pg!.port, user: 'shop_app', password, database: pg!.database });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  function hush(args: string[], input?: string): string {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hush ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  function bench(): Workbench {
    if (!wb) throw new Error('the workbench did not start (see the before hook)');
    return wb;
  }

  const shot = (name: string) => bench().screenshot(path.join(artifactsDir(), `${name}${kind === 'team' ? '-team' : ''}.png`));

  before(async function () {
    findWorkbench();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-'));
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-e2e-store-'));
    if (kind === 'embedded') {
      env = { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
    } else {
      storePg = await startPostgres();
      env = { HUSH_STORE: storePg.url, HUSH_IDENTITY: newIdentity().privateKey.toString('base64') };
      hush(['store', 'init', storePg.url, '--member', 'e2e']);
    }
    // Python: no built-in language server competes for the code-action menu (TypeScript's can take
    // seconds to start on a loaded machine), so the menu is Hush's alone.
    fs.writeFileSync(path.join(workspace, 'settings.py'), `AWS_KEY = "${key}"\nREGION = "eu-west-1"\n`);
    fs.mkdirSync(path.join(workspace, 'deploy'));
    fs.writeFileSync(path.join(workspace, 'deploy', 'prod.env'), `AWS_ACCESS_KEY_ID=${fakeAwsAccessKeyId('P5NQ7RTLM2XWK6ZB')}\n`);
    hush(['secrets', 'create', 'billing/STRIPE_KEY', '--description', 'Stripe API key'], `sk-e2e-${randomBytes(8).toString('hex')}`);
    // A database secret with the PostgreSQL rotator, against a real server.
    pg = await startPostgres();
    const admin = new Client({ host: pg.host, port: pg.port, user: pg.adminUser, password: pg.adminPassword, database: pg.database });
    await admin.connect();
    await admin.query(`CREATE ROLE shop_app LOGIN PASSWORD ${admin.escapeLiteral(dbPassword)}`);
    await admin.end();
    const creds = { engine: 'postgres', host: pg.host, port: pg.port, username: 'shop_app', password: dbPassword, dbname: pg.database };
    hush(['secrets', 'create', 'shop/DATABASE', '--description', 'orders database'], JSON.stringify(creds));
    hush(['secrets', 'rotation', 'set', 'shop/DATABASE', '--every', '30', '--rotator', 'postgres']);
    wb = await Workbench.start({ vsix: findVsix(), workspace, env });
    // Hush is active once its status bar item shows (activation is onStartupFinished).
    await wb.page.locator('#workbench\\.parts\\.statusbar').getByText(/Hush/).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const name = (this.currentTest.fullTitle() || 'failure').replace(/[^\w.-]+/g, '_').slice(0, 100);
      await wb.screenshot(path.join(artifactsDir(), `${name}.png`)).catch(() => undefined);
      const log = await wb.readExtensionHostLog().catch(() => '');
      console.log(`      --- extension host log (last 30 lines) ---\n${log.split('\n').slice(-30).join('\n')}`);
    }
  });

  after(async function () {
    await wb?.close();
    await pg?.stop();
    await storePg?.stop();
    for (const d of [workspace, store]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('"Scan Workspace for Secrets" reports a key in a file that is not open', async () => {
    const w = bench();
    await w.runCommand('Hush: Scan Workspace for Secrets');
    const deadline = Date.now() + 20_000;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await w.problems().catch(() => []);
      if (rows.some((r) => r.includes('prod.env'))) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(rows.some((r) => r.includes('prod.env')), `Problems: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /AWS access key ID \(AKIA…\w{4}\) is hardcoded/.test(r)), JSON.stringify(rows));
    assert.ok(!rows.some((r) => r.includes(key)), 'never the whole key');
    await shot('workspace-scan');
  });

  it('moves the key with Ctrl+. → "Move to Secrets Manager as …": lookup in the code, value in the store', async () => {
    const w = bench();
    const p = w.page;
    await w.openFile('settings.py');
    await w.squiggles().first().waitFor({ timeout: 30_000 });
    const folder = path.basename(workspace);
    const action = p.getByText(`Move to Secrets Manager as ${folder}/AWS_ACCESS_KEY_ID`).first();
    // Put the cursor inside the key (the squiggle overlay itself does not take clicks) and ask for
    // quick fixes; ask again if the menu did not come (a busy machine can swallow the first request).
    for (let attempt = 1; ; attempt++) {
      await p.locator('.editor-instance .view-lines').getByText(key).first().click();
      await p.keyboard.press('Control+.');
      try {
        await action.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await p.keyboard.press('Escape');
      }
    }
    await shot('move-quickfix');
    await action.click();

    const lines = p.locator('.editor-instance .monaco-editor .view-lines');
    await lines.filter({ hasText: 'os.environ["AWS_ACCESS_KEY_ID"]' }).first().waitFor({ timeout: 20_000 });
    const text = (await lines.first().innerText()).replace(/\u00a0/g, ' ');
    assert.ok(text.includes('import os'), text);
    assert.ok(text.includes('AWS_KEY = os.environ["AWS_ACCESS_KEY_ID"]'), text);
    assert.ok(!text.includes(key), 'the literal is gone');
    await w.squiggles().first().waitFor({ state: 'detached', timeout: 15_000 });
    // The after-move message: as a toast, or in the notification center when toasts are collapsed.
    const moved = p.getByText(/Hush: Moved to the Secrets Manager as/).first();
    try {
      await moved.waitFor({ timeout: 5_000 });
    } catch {
      await w.runCommand('Notifications: Show Notifications');
      await moved.waitFor({ timeout: 10_000 });
    }
    await shot('move-done');

    assert.equal(hush(['secrets', 'get', `${folder}/AWS_ACCESS_KEY_ID`]), key, 'the store holds the value');
    const manifest = path.join(workspace, '.hush.json');
    const deadline = Date.now() + 10_000;
    while (!(fs.existsSync(manifest) && fs.readFileSync(manifest, 'utf8').includes('AWS_ACCESS_KEY_ID')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(JSON.parse(fs.readFileSync(manifest, 'utf8')), { env: { AWS_ACCESS_KEY_ID: `${folder}/AWS_ACCESS_KEY_ID` } });
    await p.keyboard.press('Escape');
  });

  it('shows the secrets grouped by path in the Secrets view, with CURRENT on the version', async () => {
    const w = bench();
    const p = w.page;
    const panes = await w.openViewContainer('Hush');
    assert.deepEqual(panes.slice(0, 3).map((s) => s.toUpperCase()), ['SECRETS', 'KEYS', 'AUDIT']);
    const sidebar = p.locator('#workbench\\.parts\\.sidebar');
    const stripe = sidebar.getByRole('treeitem', { name: /^Secret billing\/STRIPE_KEY/ });
    await stripe.waitFor({ timeout: 15_000 });
    await sidebar.getByRole('treeitem', { name: new RegExp(`^Secret ${path.basename(workspace)}/AWS_ACCESS_KEY_ID`) }).waitFor({ timeout: 15_000 });
    await stripe.click();
    if ((await stripe.getAttribute('aria-expanded')) !== 'true') await p.keyboard.press('ArrowRight');
    await sidebar.getByRole('treeitem', { name: /^Version \w{8}, labels CURRENT/ }).first().waitFor({ timeout: 15_000 });
    await sidebar.getByRole('treeitem', { name: /^Key alias\/hush\/default, Enabled, default key/ }).waitFor({ timeout: 15_000 });
    if (kind === 'team') {
      // The Secrets view's title names the team store by its host.
      const header = sidebar.locator('.pane-header').filter({ hasText: /secrets/i }).first();
      await header.getByText(`team · 127.0.0.1:${storePg!.port}`).waitFor({ timeout: 15_000 });
      await w.widenSideBar(); // for the screenshot: the title whole
      await p.mouse.move(900, 600);
    }
    await shot('sidebar');
  });

  it('rotates from the palette with the PostgreSQL rotator: the database takes the new password, the old one PREVIOUS', async () => {
    const w = bench();
    const p = w.page;
    const before = JSON.parse(hush(['secrets', 'get', 'shop/DATABASE'])) as { password: string };
    assert.equal(before.password, dbPassword);
    assert.equal(await logsIn(dbPassword), true, 'the database takes the first password');
    await w.runCommand('Hush: Rotate Secret…');
    const input = w.quickInput();
    await input.waitFor({ timeout: 10_000 });
    await input.fill('shop/DATABASE');
    await p.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'shop/DATABASE' }).first().waitFor({ timeout: 10_000 });
    await p.keyboard.press('Enter');
    await p.getByText(/rotated shop\/DATABASE/).first().waitFor({ timeout: 60_000 });
    const sidebar = p.locator('#workbench\\.parts\\.sidebar');
    const secret = sidebar.getByRole('treeitem', { name: /^Secret shop\/DATABASE/ });
    await secret.waitFor({ timeout: 15_000 });
    await secret.click();
    if ((await secret.getAttribute('aria-expanded')) !== 'true') await p.keyboard.press('ArrowRight');
    await sidebar.getByRole('treeitem', { name: /^Version \w{8}, labels PREVIOUS/ }).first().waitFor({ timeout: 15_000 });
    await sidebar.getByRole('treeitem', { name: /^Version \w{8}, labels CURRENT/ }).first().waitFor({ timeout: 15_000 });
    await shot('sidebar-rotated');
    const after = JSON.parse(hush(['secrets', 'get', 'shop/DATABASE'])) as { username: string; password: string };
    assert.equal(after.username, 'shop_app');
    assert.notEqual(after.password, before.password, 'CURRENT holds a new password');
    assert.equal(await logsIn(after.password), true, 'the database accepts the new password');
    assert.equal(await logsIn(before.password), false, 'and no longer the old one');
    assert.deepEqual(JSON.parse(hush(['secrets', 'get', 'shop/DATABASE', '--stage', 'PREVIOUS'])), before);
  });
});
