/**
 * The quick fixes that silence a finding, from the narrowest to the widest:
 * a `hush:ignore` comment on the line, the finding added to the folder's
 * baseline (`.hush/baseline.json`, by fingerprint), or the rule disabled for
 * the folder (`.hush/rules.json`). The CLI honours the same files.
 */
import * as path from 'node:path';
import { CodeAction, CodeActionKind, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Baseline, fingerprints } from '../shared/detect/baseline';
import type { Finding } from '../shared/detect/finding';
import { BASELINE_FILE, RULES_FILE, withBaselineEntry, withDisabledRule } from '../shared/detect/workspaceConfig';
import { currentText, replaceFileEdits } from './fileEdits';

const COMMENT: Record<string, string> = {};
for (const id of ['python', 'ruby', 'shellscript', 'yaml', 'dockercompose', 'dotenv', 'properties', 'toml', 'perl', 'r', 'powershell', 'dockerfile', 'makefile', 'ini', 'elixir', 'coffeescript', 'terraform']) {
  COMMENT[id] = '# hush:ignore';
}
for (const id of ['sql', 'lua', 'haskell']) COMMENT[id] = '-- hush:ignore';
for (const id of ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'jsonc', 'go', 'java', 'kotlin', 'scala', 'groovy', 'csharp', 'c', 'cpp', 'rust', 'swift', 'php', 'dart', 'vue', 'svelte']) {
  COMMENT[id] = '// hush:ignore';
}

export interface IgnoreContext {
  documents: TextDocuments<TextDocument>;
  /** The workspace folder of a file, if any. */
  folderOf(file: string): string | undefined;
  /** The folder's current baseline, if it has one. */
  baselineOf(folder: string): Baseline | undefined;
}

export function ignoreActions(ctx: IgnoreContext, doc: TextDocument, f: Finding, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const comment = COMMENT[doc.languageId];
  if (comment) {
    const line = doc.positionAt(f.end).line;
    const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const at = { line, character: lineText.length };
    out.push({
      title: `Ignore this finding (${comment})`,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      edit: { changes: { [doc.uri]: [{ range: { start: at, end: at }, newText: ` ${comment}` }] } },
    });
  }
  const u = URI.parse(doc.uri);
  const folder = u.scheme === 'file' ? ctx.folderOf(u.fsPath) : undefined;
  if (!folder) return out;

  // A new baseline gets its salt now, and the fingerprint is made with it.
  const baseline = ctx.baselineOf(folder) ?? Baseline.fresh();
  const rel = path.relative(folder, u.fsPath).split(path.sep).join('/');
  const [fingerprint] = fingerprints(doc.getText(), rel, [f], baseline.salt);
  const baselineUri = URI.file(path.join(folder, BASELINE_FILE)).toString();
  const baselineText = withBaselineEntry(baseline, {
    fingerprint,
    ruleId: f.ruleId,
    file: rel,
    masked: f.masked,
  });
  out.push({
    title: `Accept this finding in the baseline (${BASELINE_FILE.split(path.sep).join('/')})`,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    edit: { documentChanges: replaceFileEdits(ctx.documents, baselineUri, currentText(ctx.documents, baselineUri), baselineText) },
  });

  const rulesUri = URI.file(path.join(folder, RULES_FILE)).toString();
  const rulesNow = currentText(ctx.documents, rulesUri);
  let rulesNext: string | undefined;
  try {
    rulesNext = withDisabledRule(rulesNow, f.ruleId);
  } catch {
    rulesNext = undefined; // a broken rules file: the warning about it says what to fix
  }
  if (rulesNext !== undefined) {
    out.push({
      title: `Ignore rule '${f.ruleId}' in this workspace`,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      edit: { documentChanges: replaceFileEdits(ctx.documents, rulesUri, rulesNow, rulesNext) },
    });
  }
  return out;
}
