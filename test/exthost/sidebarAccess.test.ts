/**
 * Access policy in the sidebar, inside the real extension host, with the
 * store's own policy file (`.hush/policy.json` in the store folder): denied
 * commands are flagged on the items (the menus hide them) with the reason in
 * the tooltip; an AccessDenied error offers Explain, which opens the
 * decision with every matching statement; the Audit view shows the denial
 * distinctly and filters by member, action, resource and outcome. The
 * policy file is removed at the end: the store is shared with the other
 * test files.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/extension';
import { EXPLAIN_SCHEME } from '../../client/accessExplanations';
import type { SecretsNode } from '../../client/views/secretsTree';
import { isOffline } from '../../client/views/storeOffline';
import type { AuditRow, KeySummary } from '../../shared/protocol';
import { EXTENSION_ID } from '../e2e/fixtures';

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'NoLockedReads', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:acl-locked/*' },
    { Sid: 'KeysStayOn', Effect: 'Deny', Action: 'kms:DisableKey', Resource: '*' },
  ],
};

/** A tooltip's text without Markdown escapes. */
function plain(md: vscode.MarkdownString): string {
  return md.value.replace(/\\(.)/g, '$1');
}

async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Access policy in the sidebar (extension host)', () => {
  let api: TestApi;
  let policyFile: string;

  const secretNode = async (name: string): Promise<SecretsNode> => {
    api.views.secrets.filter = name;
    const [g] = (await api.views.secrets.getChildren()).filter((n) => n.kind === 'group');
    const node = (await api.views.secrets.getChildren(g)).find((n) => n.kind === 'secret' && n.secretName === name);
    assert.ok(node, name);
    return node;
  };

  before(async () => {
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as TestApi;
    await api.ctx.core('secrets/create', { name: 'acl-locked/one', value: 'locked-value-1' });
    await api.ctx.core('secrets/create', { name: 'acl-open/one', value: 'open-value-1' });
    const store = await until('the store state', () => (api.ctx.store?.state === 'open' ? api.ctx.store : undefined));
    assert.strictEqual(store.kind, 'embedded');
    policyFile = path.join(store.path, '.hush', 'policy.json');
    fs.mkdirSync(path.dirname(policyFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(policyFile, JSON.stringify(POLICY), { mode: 0o600 });
  });

  after(async () => {
    fs.rmSync(policyFile, { force: true });
    api.views.secrets.filter = '';
    api.views.audit.filters = {};
    await api.ctx.core('secrets/delete', { secretName: 'acl-locked/one', force: true }).catch(() => undefined);
    await api.ctx.core('secrets/delete', { secretName: 'acl-open/one', force: true }).catch(() => undefined);
    api.views.refresh();
  });

  it('hides what the member may not run, with the reason in the tooltip', async () => {
    api.views.refresh();
    const locked = await secretNode('acl-locked/one');
    const item = api.views.secrets.getTreeItem(locked);
    assert.strictEqual(item.contextValue, 'secret.ok|no-reveal');
    const tip = plain(item.tooltip as vscode.MarkdownString);
    assert.match(tip, /Not allowed for /);
    assert.match(tip, /Reveal Value, Copy Value: secrets:GetSecretValue on secret:acl-locked\/one — denied by policy '\.hush\/policy\.json', statement NoLockedReads/);
    const [version] = await api.views.secrets.getChildren(locked);
    assert.strictEqual(api.views.secrets.getTreeItem(version!).contextValue, 'version.current|no-reveal');
    const open = await secretNode('acl-open/one');
    assert.strictEqual(api.views.secrets.getTreeItem(open).contextValue, 'secret.ok', 'nothing denied: the menus show everything');
    // Keys: the same decision function.
    const keys = (await api.views.keys.getChildren()).filter((n): n is KeySummary => !isOffline(n));
    const def = keys.find((k) => k.isDefault)!;
    assert.strictEqual(api.views.keys.getTreeItem(def).contextValue, 'key.Enabled.default|no-disable');
    assert.match(plain(api.views.keys.getTreeItem(def).tooltip as vscode.MarkdownString), /Disable Key: kms:DisableKey on key:.*statement KeysStayOn/);
  });

  it('an AccessDenied error offers Explain, which opens the decision with every matching statement', async () => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showErrorMessage;
    const shown: { message: string; actions: string[] }[] = [];
    w.showErrorMessage = async (message: string, ...actions: string[]) => {
      shown.push({ message, actions });
      return 'Explain';
    };
    try {
      await vscode.commands.executeCommand('hush.secret.reveal', 'acl-locked/one');
      await until('the explanation', () => vscode.window.activeTextEditor?.document.uri.scheme === EXPLAIN_SCHEME);
    } finally {
      w.showErrorMessage = saved;
    }
    assert.strictEqual(shown.length, 1);
    assert.match(shown[0]!.message, /^Hush: Could not read acl-locked\/one\. AccessDenied: .+ may not secrets:GetSecretValue on secret:acl-locked\/one: denied by policy '\.hush\/policy\.json', statement NoLockedReads$/);
    assert.deepStrictEqual(shown[0]!.actions, ['Explain', 'Show Output']);
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /^# Denied: secrets:GetSecretValue on secret:acl-locked\/one/);
    assert.match(text, /\| Deciding statement \(Sid\) \| NoLockedReads \|/);
    assert.match(text, /\| \.hush\/policy\.json \| Everything \| Allow \| {2}\|/);
    assert.match(text, /\| \.hush\/policy\.json \| NoLockedReads \| Deny \| decided: denied \|/);
    assert.ok(text.includes(policyFile), 'names the policy file');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('"Explain Access Decision…" from the palette asks for the action and the resource', async () => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = { showQuickPick: w.showQuickPick, showInputBox: w.showInputBox };
    const asked: string[] = [];
    w.showQuickPick = async (items: unknown) => {
      asked.push('pick');
      assert.ok(((await items) as string[]).includes('secrets:PutSecretValue'), 'every action a policy can name');
      return 'secrets:PutSecretValue';
    };
    w.showInputBox = async () => {
      asked.push('input');
      return 'secret:acl-open/one';
    };
    try {
      await vscode.commands.executeCommand('hush.access.explain');
    } finally {
      Object.assign(w, saved);
    }
    assert.deepStrictEqual(asked, ['pick', 'input']);
    await until('the explanation', () => vscode.window.activeTextEditor?.document.uri.scheme === EXPLAIN_SCHEME && vscode.window.activeTextEditor.document.getText().includes('PutSecretValue'));
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^# Allowed: secrets:PutSecretValue on secret:acl-open\/one/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows denials distinctly in the Audit view, with source, host and the deciding statement; filters by outcome, member, action and resource', async () => {
    api.views.audit.filters = { outcome: 'Denied', action: 'secrets:GetSecretValue', resource: 'ACL-LOCKED' };
    const rows = (await api.views.audit.getChildren()).filter((r): r is AuditRow => !isOffline(r));
    assert.ok(rows.length >= 1, 'the denied read');
    assert.ok(rows.every((r) => r.outcome === 'Denied' && r.action === 'secrets:GetSecretValue' && r.resource.secretName === 'acl-locked/one'));
    const item = api.views.audit.getTreeItem(rows[0]!);
    const icon = item.iconPath as vscode.ThemeIcon;
    assert.strictEqual(icon.id, 'circle-slash');
    assert.strictEqual((icon.color as unknown as { id: string } | undefined)?.id, 'list.errorForeground');
    assert.strictEqual(item.contextValue, 'audit.Denied');
    assert.match(String(item.description), /^DENIED · /);
    const tip = plain(item.tooltip as vscode.MarkdownString);
    assert.match(tip, /Decision: denied by policy '\.hush\/policy\.json', statement NoLockedReads/);
    assert.ok(tip.includes(`From: the editor on ${os.hostname()}`), tip);
    // Explain from the record.
    await vscode.commands.executeCommand('hush.access.explain', rows[0]);
    await until('the explanation', () => vscode.window.activeTextEditor?.document.uri.scheme === EXPLAIN_SCHEME);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /NoLockedReads/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // The filter command, one dimension at a time.
    api.views.audit.filters = {};
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w.showQuickPick;
    const answers: ((items: { label: string }[]) => unknown)[] = [
      (items) => items.find((i) => /Member/.test(i.label)),
      (items) => items.find((i) => typeof i === 'string' && i === rows[0]!.principal),
      (items) => items.find((i) => /Outcome/.test(i.label)),
      (items) => items.find((i) => /Failure/.test(i.label)),
    ];
    w.showQuickPick = async (items: unknown) => answers.shift()!((await items) as { label: string }[]);
    try {
      await vscode.commands.executeCommand('hush.audit.filter');
      await vscode.commands.executeCommand('hush.audit.filter');
    } finally {
      w.showQuickPick = saved;
    }
    assert.deepStrictEqual(api.views.audit.filters, { principal: rows[0]!.principal, outcome: 'Failure' });
    await until('the view title to show the filters', () => api.views.auditView.description === `member ${rows[0]!.principal} · Failure`);
    const failures = (await api.views.audit.getChildren()).filter((r): r is AuditRow => !isOffline(r));
    assert.ok(failures.every((r) => r.outcome === 'Failure' && r.principal === rows[0]!.principal));
    if (failures[0]) assert.strictEqual((api.views.audit.getTreeItem(failures[0]).iconPath as vscode.ThemeIcon).id, 'warning', 'a failure is not shown as a denial');
    await vscode.commands.executeCommand('hush.audit.clearFilter');
    assert.deepStrictEqual(api.views.audit.filters, {});
  });
});
