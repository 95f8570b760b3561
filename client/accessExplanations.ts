/**
 * *Explain* for an access decision: a read-only virtual document
 * (`hush-access:`) with the decision, every policy statement that matched,
 * and the policy and Sid that decided — what `hush policy simulate` prints.
 * The server computes it (server/explainAccess.ts) each time the document
 * is opened or refreshed, so it always shows the policies as they are now.
 * One instance, on Ctx: the command modules load later, in their own bundle.
 */
import * as vscode from 'vscode';
import type { AccessExplanation, CoreOp, CoreParams, CoreResult } from '../shared/protocol';

export const EXPLAIN_SCHEME = 'hush-access';

type Core = <K extends CoreOp>(op: K, params: CoreParams<K>) => Promise<CoreResult<K>>;

/** A table cell: no pipes or line breaks from names. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

const SOURCE: Record<AccessExplanation['basis'], (e: AccessExplanation) => string> = {
  'team-simulation': (e) =>
    `The team store's policies, attached to ${e.principal} and to their groups, simulated for a request from the editor — ` +
    `the same as \`hush policy simulate --member ${e.principal} --action ${e.action} --resource ${e.resource} --source editor\`.`,
  'own-policies': (e) =>
    `The policies attached to ${e.principal} and to their groups in the team store. ${e.principal} may not read every policy of the team ` +
    `(team:ListPolicies), so this is their own decision, as the core takes it; a team administrator can run ` +
    `\`hush policy simulate --member ${e.principal} --action ${e.action} --resource ${e.resource}\`.`,
  'policy-file': (e) => `The store's policy file ${e.policyFile ? code(e.policyFile) : '.hush/policy.json'}: what it does not allow is denied.`,
  'no-policy-file': (e) =>
    `This single-user store has no policy file (${e.policyFile ? code(e.policyFile) : '.hush/policy.json'}), so everything is allowed. ` +
    `Create one to restrict what this store allows.`,
};

/** The explanation as Markdown. */
export function renderExplanation(e: AccessExplanation): string {
  const verdict = e.effect === 'Allow' ? 'allowed' : 'denied';
  const lines = [
    `# ${e.effect === 'Allow' ? 'Allowed' : 'Denied'}: ${e.action} on ${e.resource}`,
    '',
    `**${e.principal}** ${e.effect === 'Allow' ? 'may' : 'may not'} run **${e.action}** on **${e.resource}**: ${e.reason}.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Member | ${cell(e.principal)} |`,
    `| Action | ${cell(e.action)} |`,
    `| Resource | ${cell(e.resource)} |`,
    `| Matched against | ${e.names.map((n) => cell(n)).join(', ')} |`,
    ...(e.tags ? [`| Tags | ${Object.entries(e.tags).map(([k, v]) => cell(`${k}=${v}`)).join(', ')} |`] : []),
    `| Decision | ${e.effect} |`,
    `| Deciding policy | ${e.decidedBy?.policy ? cell(e.decidedBy.policy) : '—'} |`,
    `| Deciding statement (Sid) | ${e.decidedBy?.sid ? cell(e.decidedBy.sid) : '—'} |`,
    '',
    `## Every statement that matched (${e.matched.length})`,
    '',
  ];
  if (e.matched.length) {
    lines.push('| Policy | Sid | Effect | |', '| --- | --- | --- | --- |');
    for (const m of e.matched) {
      const deciding = m.policy === e.decidedBy?.policy && m.sid === e.decidedBy?.sid;
      lines.push(`| ${cell(m.policy)} | ${cell(m.sid)} | ${m.effect} | ${deciding ? `decided: ${verdict}` : ''} |`);
    }
  } else {
    lines.push(e.effect === 'Deny' ? 'No statement matched: no statement allows it, and what is not allowed is denied.' : 'No statement matched.');
  }
  lines.push(
    '',
    'An explicit Deny wins over any Allow; with no statement matching, a team store (or a store with a policy file) denies.',
    '',
    '## Based on',
    '',
    SOURCE[e.basis](e),
    '',
  );
  return lines.join('\n');
}

export class AccessExplanations {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();

  constructor(subscriptions: vscode.Disposable[], core: Core) {
    subscriptions.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: async (uri) => {
          const q = new URLSearchParams(uri.query);
          const action = q.get('action') ?? '';
          const resource = q.get('resource') ?? '';
          try {
            return renderExplanation(await core('access/explain', { action, resource }));
          } catch (e) {
            return `# ${action} on ${resource}\n\nThe decision could not be explained: ${(e as Error)?.message ?? String(e)}\n`;
          }
        },
      }),
    );
  }

  /** Opens (or refreshes) the explanation of `action` on `resource` beside the current editor. */
  async show(action: string, resource: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({
      scheme: EXPLAIN_SCHEME,
      path: `/Explain ${action} on ${resource.replace(/\//g, '∕')}.md`,
      query: new URLSearchParams({ action, resource }).toString(),
    });
    this.changed.fire(uri); // already open: computed again, with the policies as they are now
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
    return doc;
  }
}
