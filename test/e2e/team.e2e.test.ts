/**
 * A team member's sidebar in a real workbench (code-server + Chromium), on a
 * team store on a throwaway PostgreSQL holding 300 secrets, as member bob,
 * whose policy lets him read most of them but not `prod/*`:
 *
 * - the Secrets view shows one page and "Load more…", loads the next page,
 *   and filters on the server;
 * - a secret bob may not read has no Reveal Value in its context menu, and
 *   its tooltip says why;
 * - reading it anyway (from the palette) fails with an AccessDenied that
 *   names the action, the resource and the statement, and Explain opens the
 *   decision with every matching statement;
 * - the Audit view filtered to denials, each shown with its own icon;
 * - the database stopped: every view shows the store offline, naming the
 *   host; started again: the views come back by themselves.
 *
 * Screenshots of each step go to out/e2e-artifacts/team-*.png.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initTeamStore } from '../../shared/compose/teamStore';
import { newIdentity } from '../support/identities';
import { PgServer, startPostgres } from '../support/pgServer';
import { artifactsDir, findVsix, findWorkbench, Workbench } from './workbench';

const BOB_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'UseSecrets', Effect: 'Allow', Action: ['secrets:*', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:List*', 'kms:Describe*', 'audit:List'], Resource: '*' },
    { Sid: 'DenyProdReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:prod/*' },
  ],
};

/** 300 secrets: billing (40), payments (40), shop (219), prod/db. */
function names(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 40; i++) out.push(`billing/KEY_${String(i).padStart(3, '0')}`);
  for (let i = 0; i < 40; i++) out.push(`payments/KEY_${String(i).padStart(3, '0')}`);
  for (let i = 0; i < 219; i++) out.push(`shop/KEY_${String(i).padStart(3, '0')}`);
  out.push('prod/db');
  return out;
}

describe('A team member’s sidebar in a real workbench (team store on PostgreSQL)', function () {
  this.timeout(240_000);
  let pg: PgServer | undefined;
  let wb: Workbench | undefined;
  let workspace: string;

  const bench = (): Workbench => {
    if (!wb) throw new Error('the workbench did not start (see the before hook)');
    return wb;
  };
  const shot = (name: string) => bench().screenshot(path.join(artifactsDir(), `team-${name}.png`));
  const sidebar = () => bench().page.locator('#workbench\\.parts\\.sidebar');
  const secretsPane = () => sidebar().locator('.pane').filter({ has: bench().page.locator('.pane-header', { hasText: /^\s*secrets/i }) }).first();

  before(async function () {
    findWorkbench();
    pg = await startPostgres();
    const alice = newIdentity();
    const bob = newIdentity();
    const t = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    try {
      await t.team.addMember('bob', bob.publicKey);
      await t.team.grantKey('alias/hush/default', 'bob');
      await t.policies.putPolicy('BobPolicy', BOB_POLICY);
      await t.policies.attach('BobPolicy', { member: 'bob' });
      for (const n of names()) await t.manager.createSecret({ name: n, description: n === 'shop/KEY_150' ? 'checkout webhook' : '', value: `value-of-${n}` });
    } finally {
      await t.manager.close();
    }
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-team-ws-'));
    fs.writeFileSync(path.join(workspace, 'README.md'), '# team\n');
    wb = await Workbench.start({ vsix: findVsix(), workspace, env: { HUSH_STORE: pg.url, HUSH_IDENTITY: bob.privateKey.toString('base64') }, viewport: { width: 1400, height: 1000 } });
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

  after(async () => {
    await wb?.close();
    try {
      pg?.resume();
    } catch {
      /* running */
    }
    await pg?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the first page with "Load more…", loads the next one, and filters on the server', async () => {
    const w = bench();
    const p = w.page;
    await w.openViewContainer('Hush');
    // A wider side bar, so the view's title (the store, the filter, "more to load") reads whole.
    await w.widenSideBar();
    // Room for the Secrets view: the Keys and Audit views collapsed.
    for (const title of ['Keys', 'Audit']) {
      const h = sidebar().locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
      if ((await h.getAttribute('aria-expanded')) === 'true') await h.click();
    }
    const tree = secretsPane();
    await tree.getByRole('treeitem', { name: /^Secret billing\/KEY_000/ }).waitFor({ timeout: 30_000 });
    // The first page ends in shop (40 billing, 40 payments, prod/db, 19 shop): Load more… ends the shop group.
    // Billing and payments collapsed, the whole of it fits in the view.
    for (const folder of ['billing', 'payments']) {
      const row = tree.getByRole('treeitem', { name: `Folder ${folder}` });
      await row.click();
      if ((await row.getAttribute('aria-expanded')) === 'true') await p.keyboard.press('ArrowLeft');
    }
    const more = tree.getByRole('treeitem', { name: 'Load more secrets, 100 loaded' });
    await more.waitFor({ timeout: 15_000 });
    await tree.getByRole('treeitem', { name: /^Secret shop\/KEY_018/ }).waitFor({ timeout: 5_000 });
    await sidebar().locator('.pane-header').filter({ hasText: /^\s*secrets/i }).getByText(`team · 127.0.0.1:${pg!.port} · more to load`).waitFor({ timeout: 5_000 });
    assert.strictEqual(await tree.getByRole('treeitem', { name: /^Secret shop\/KEY_019/ }).count(), 0, 'the second page is not loaded yet');
    await p.mouse.move(900, 600); // no tooltip over the tree
    await shot('paged-tree');

    await more.click();
    await tree.getByRole('treeitem', { name: /^Secret shop\/KEY_019/ }).click();
    await p.keyboard.press('End');
    await tree.getByRole('treeitem', { name: 'Load more secrets, 200 loaded' }).waitFor({ timeout: 15_000 });
    await tree.getByRole('treeitem', { name: /^Secret shop\/KEY_118/ }).waitFor({ timeout: 5_000 });
    await p.mouse.move(900, 600);
    await shot('paged-tree-more');

    await w.runCommand('Hush: Filter Secrets…');
    const input = w.quickInput();
    await input.waitFor({ timeout: 10_000 });
    await input.fill('WEBHOOK');
    await p.keyboard.press('Enter');
    await tree.getByRole('treeitem', { name: /^Secret shop\/KEY_150, checkout webhook/ }).waitFor({ timeout: 15_000 });
    assert.strictEqual(await tree.getByRole('treeitem', { name: /^Secret billing/ }).count(), 0, 'only the match');
    await p.mouse.move(900, 600);
    await shot('paged-tree-filter');
    await w.runCommand('Hush: Clear Secrets Filter');
    await tree.getByRole('treeitem', { name: /^Secret billing\/KEY_000/ }).waitFor({ timeout: 15_000 });
  });

  it('hides Reveal Value where the member may not read, and the tooltip says why', async () => {
    const w = bench();
    const p = w.page;
    const tree = secretsPane();
    await w.runCommand('Hush: Filter Secrets…');
    await w.quickInput().fill('prod/');
    await p.keyboard.press('Enter');
    const prod = tree.getByRole('treeitem', { name: /^Secret prod\/db/ });
    await prod.waitFor({ timeout: 15_000 });
    await prod.click({ button: 'right' });
    const menu = p.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const entries = (await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    assert.ok(entries.includes('Describe Secret'), JSON.stringify(entries));
    assert.ok(entries.includes('Put New Value…'), JSON.stringify(entries));
    assert.ok(!entries.includes('Reveal Value') && !entries.includes('Copy Value'), `bob may not read prod/db: ${JSON.stringify(entries)}`);
    await shot('denied-menu');
    await p.keyboard.press('Escape');
    await prod.hover();
    const hover = p.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Not allowed for bob/ }).first();
    await hover.waitFor({ timeout: 10_000 });
    assert.match(await hover.innerText(), /Reveal Value, Copy Value: secrets:GetSecretValue on secret:prod\/db — denied by policy 'BobPolicy', statement DenyProdReads/);
    await shot('denied-tooltip');
    await p.mouse.move(700, 500);
    // A secret he may read: Reveal Value is there.
    await w.runCommand('Hush: Filter Secrets…');
    await w.quickInput().fill('billing/KEY_001');
    await p.keyboard.press('Enter');
    const billing = tree.getByRole('treeitem', { name: /^Secret billing\/KEY_001/ });
    await billing.waitFor({ timeout: 15_000 });
    await billing.click({ button: 'right' });
    await menu.waitFor({ timeout: 10_000 });
    assert.ok((await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).includes('Reveal Value'));
    await p.keyboard.press('Escape');
    await w.runCommand('Hush: Clear Secrets Filter');
  });

  it('an AccessDenied names the action, the resource and the statement, and Explain opens the decision', async () => {
    const w = bench();
    const p = w.page;
    await w.runCommand('Hush: Reveal Value');
    const input = w.quickInput();
    await input.waitFor({ timeout: 10_000 });
    await input.fill('prod/db');
    await p.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'prod/db' }).first().waitFor({ timeout: 15_000 });
    await p.keyboard.press('Enter');
    const toast = p.locator('.notifications-toasts .notification-list-item').filter({ hasText: /AccessDenied/ }).first();
    await toast.waitFor({ timeout: 15_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /bob may not secrets:GetSecretValue on secret:prod\/db: denied by policy 'BobPolicy', statement DenyProdReads/);
    await shot('access-denied');
    await toast.getByRole('button', { name: 'Explain' }).click();
    await w.activeEditorTab('Explain secrets:GetSecretValue').waitFor({ timeout: 15_000 });
    const doc = p.locator('.editor-instance .monaco-editor .view-lines').first();
    await doc.filter({ hasText: 'DenyProdReads' }).waitFor({ timeout: 15_000 });
    const body = (await doc.innerText()).replace(/\u00a0/g, ' ');
    assert.match(body, /# Denied: secrets:GetSecretValue on secret:prod\/db/);
    assert.match(body, /BobPolicy \| UseSecrets \| Allow/);
    assert.match(body, /BobPolicy \| DenyProdReads \| Deny \| decided: denied/);
    await shot('explain');
  });

  it('filters the Audit view to denials, shown with their own icon', async () => {
    const w = bench();
    const p = w.page;
    const auditHeader = sidebar().locator('.pane-header', { hasText: /^\s*audit/i }).first();
    if ((await auditHeader.getAttribute('aria-expanded')) !== 'true') await auditHeader.click();
    await w.runCommand('Hush: Filter Audit…');
    const rows = p.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Outcome…' }).first().click();
    await rows.filter({ hasText: 'Denied' }).first().waitFor({ timeout: 10_000 });
    await rows.filter({ hasText: 'Denied' }).first().click();
    const audit = sidebar().locator('.pane').filter({ has: p.locator('.pane-header', { hasText: /^\s*audit/i }) }).first();
    const denied = audit.getByRole('treeitem', { name: /^secrets:GetSecretValue prod\/db, Denied, denied by policy 'BobPolicy', statement DenyProdReads, by bob from editor on / });
    await denied.first().waitFor({ timeout: 15_000 });
    assert.ok(await audit.locator('.codicon-circle-slash').count() > 0, 'denials have their own icon');
    await auditHeader.getByText('Denied').waitFor({ timeout: 5_000 });
    await denied.first().hover();
    const hover = p.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Decision: denied by policy 'BobPolicy'/ }).first();
    await hover.waitFor({ timeout: 10_000 });
    assert.match(await hover.innerText(), /From: the editor on /);
    await shot('audit-denied');
    await p.mouse.move(700, 500);
  });

  it('shows the store offline, naming the host, and comes back by itself', async () => {
    const w = bench();
    const p = w.page;
    const host = `127.0.0.1:${pg!.port}`;
    pg!.halt();
    const offline = secretsPane().getByRole('treeitem', { name: `Team store at ${host} is offline; retrying` });
    await offline.waitFor({ timeout: 30_000 });
    await secretsPane().getByText(`The team store at ${host} is offline`).first().waitFor({ timeout: 10_000 });
    await shot('offline');
    assert.strictEqual(await p.locator('.notifications-toasts .notification-list-item').filter({ hasText: /StoreUnavailable/ }).count(), 0, 'no error message for the views');
    pg!.resume();
    await secretsPane().getByRole('treeitem', { name: /^Secret billing\/KEY_000/ }).waitFor({ timeout: 40_000 });
    assert.strictEqual(await offline.count(), 0);
    await secretsPane().getByText(`The team store at ${host} is offline`).waitFor({ state: 'detached', timeout: 10_000 });
    await shot('back-online');
  });
});
