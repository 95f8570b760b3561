/**
 * `hush scan --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
 * One run; the rules that fired in `tool.driver.rules`, each with a full
 * description and help (text and Markdown: what the credential is, why it
 * matters, how to move it with Hush); results with stable fingerprints;
 * skipped files as notifications. Artifact URIs are relative to SRCROOT and
 * percent-encoded segment by segment, so `#`, `%`, spaces and non-ASCII in a
 * path come back as the same path.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Category, Rule } from '../shared/detect/rule';
import { VERSION } from '../shared/version';
import type { ScanReportEntry } from './scan';

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub ranks security alerts by `security-severity` (CVSS-like, 0–10): error → high, warning → medium, info → low. */
const SECURITY_SEVERITY: Record<string, string> = { error: '8.0', warning: '6.0', info: '3.0' };
const PRECISION: Record<string, string> = { high: 'high', medium: 'medium', low: 'low' };

/** What someone holding a credential of each category can do: the "why it matters" of the help. */
const REACH: Record<Category, string> = {
  cloud: 'create and delete resources, read stored data and run up charges in the cloud account it belongs to',
  'vcs-ci': 'read private repositories, push code, and read the secrets of CI pipelines',
  registry: 'publish packages under your name, which everyone who installs them then runs',
  payments: 'charge cards, issue refunds and read customer payment data',
  messaging: 'send messages and email in your name and read past conversations',
  ai: 'run paid model requests on your account and read what was sent to it',
  observability: 'read your logs, metrics and traces, and send fake ones',
  database: 'read, change and delete the data in the database it opens',
  'private-key': 'impersonate the server or person it belongs to and decrypt what was encrypted for them',
  auth: 'sign in as the user or service it belongs to',
  saas: 'act in the service as the account it belongs to',
  generic: 'reach whatever it protects, as its owner',
};

/** A path relative to SRCROOT as a URI reference: each segment percent-encoded, `/` between them. */
export function artifactUri(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** The help of one rule, in plain text and Markdown. */
export function ruleHelp(r: Pick<Rule, 'id' | 'title' | 'kind' | 'category' | 'envVar'>): { full: string; text: string; markdown: string } {
  const reach = REACH[r.category] ?? REACH.generic;
  const kind = r.kind.replace(/-/g, ' ');
  const full =
    `A ${r.title} (${kind}) is written into the source. Anyone who can read the repository, a fork, a build artefact or ` +
    `its history can use it to ${reach}.`;
  const why = 'A credential in code is shared with everyone who ever gets a copy of the code, and deleting it later does not remove it from the history.';
  const secret = `myapp/${r.envVar}`;
  /** The fix, with `c` marking code: quotes in text, backticks in Markdown. */
  const steps = (c: (s: string) => string): string[] => [
    `In VS Code, put the cursor on the finding, press Ctrl+. and choose "Move to Secrets Manager": Hush encrypts the value into its store, ` +
      `puts the language's lookup of the environment variable ${c(r.envVar)} where the literal was, and maps it in ${c('.hush.json')}.`,
    `From a terminal: pipe the value into ${c(`hush secrets create ${secret}`)}, read ${c(r.envVar)} from the environment in the code, ` +
      `map it in ${c('.hush.json')} (${c(`{"env": {"${r.envVar}": "${secret}"}}`)}) and start the program with ${c('hush run -- <command>')}. ` +
      `${c('hush import .env')} does this for every value of a dotenv file.`,
    'Rotate the credential with its issuer: the old value stays in the version control history.',
    `Not a real credential (a test value, a documented example)? Add a ${c('hush:ignore')} comment to the line, or accept the finding ` +
      `with ${c('hush scan --baseline-write .hush/baseline.json')}.`,
  ];
  const text = [`What it is: ${full}`, '', `Why it matters: ${why}`, '', 'How to fix it with Hush:', ...steps((s) => `'${s}'`).map((s, i) => `${i + 1}. ${s}`)].join('\n');
  const markdown = [
    `**${r.title}** (${kind})`,
    '',
    full,
    '',
    why,
    '',
    '**How to fix it with Hush**',
    '',
    ...steps((s) => `\`${s}\``).map((s, i) => `${i + 1}. ${s}`),
  ].join('\n');
  return { full, text, markdown };
}

/** SARIF 2.1.0 for the findings of one scan. `rules` resolves rule ids (built-in and user rules). */
export function toSarif(findings: ScanReportEntry[], skipped: { file: string; reason: string }[], cwd: string, rules: readonly Rule[]): object {
  const used = [...new Set(findings.map((f) => f.ruleId))];
  const index = new Map(used.map((id, i) => [id, i]));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const uri = (file: string) => ({ uri: artifactUri(file), uriBaseId: 'SRCROOT' });
  const root = pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hush',
            version: VERSION,
            informationUri: 'https://github.com/hush-dev/hush',
            rules: used.map((id) => {
              const f = findings.find((x) => x.ruleId === id)!;
              const r = byId.get(id) ?? { id, title: f.title, kind: f.kind, category: f.category as Category, envVar: f.suggestedEnvVar, severity: f.severity };
              const help = ruleHelp(r);
              return {
                id,
                name: ruleName(id),
                shortDescription: { text: `${r.title} is hardcoded` },
                fullDescription: { text: help.full },
                help: { text: help.text, markdown: help.markdown },
                defaultConfiguration: { level: SARIF_LEVEL[r.severity] ?? 'warning' },
                properties: {
                  tags: ['security', 'secret', r.category],
                  precision: PRECISION[f.confidence] ?? 'medium',
                  'security-severity': SECURITY_SEVERITY[r.severity] ?? '6.0',
                },
              };
            }),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: root } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: skipped.map((s) => ({
              level: 'note',
              message: { text: `skipped (${s.reason})` },
              locations: [{ physicalLocation: { artifactLocation: uri(s.file) } }],
            })),
          },
        ],
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: SARIF_LEVEL[f.severity] ?? 'warning',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: uri(f.file),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: { 'hushFingerprint/v1': f.fingerprint },
          properties: { confidence: f.confidence, masked: f.masked, suggestedEnvVar: f.suggestedEnvVar },
        })),
      },
    ],
  };
}
