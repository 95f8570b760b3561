import { Finding, Severity } from './finding';
import { LineIndex } from './lineIndex';
import { mask } from './mask';

/**
 * Placeholder detector for the Foundation issue: one real rule (AWS access
 * key IDs). The Detection issue replaces it with the rule-driven engine; the
 * `scanText` signature is what the server and the CLI depend on.
 */
interface Rule {
  id: string;
  title: string;
  severity: Severity;
  keywords: string[];
  /** Group 1 is the secret. Must be global. */
  regex: RegExp;
  envVar: string;
  /** Documented example values and the like: never reported. */
  isPlaceholder(secret: string): boolean;
}

const RULES: Rule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'warning',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    regex: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/g,
    envVar: 'AWS_ACCESS_KEY_ID',
    isPlaceholder: (s) => s.endsWith('EXAMPLE'),
  },
];

/** Inline ignores: Hush's own marker and the ones gitleaks and detect-secrets users already have. */
const IGNORE_MARKERS = /hush:ignore|gitleaks:allow|pragma: allowlist secret/;

function isIgnoredLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd === -1) lineEnd = text.length;
  return IGNORE_MARKERS.test(text.slice(lineStart, lineEnd));
}

export function scanText(text: string): Finding[] {
  const lower = text.toLowerCase();
  const findings: Finding[] = [];
  let index: LineIndex | undefined;
  for (const rule of RULES) {
    if (!rule.keywords.some((k) => lower.includes(k))) continue;
    rule.regex.lastIndex = 0;
    for (const m of text.matchAll(rule.regex)) {
      const secret = m[1];
      if (rule.isPlaceholder(secret)) continue;
      const start = (m.index ?? 0) + m[0].indexOf(secret);
      if (isIgnoredLine(text, start)) continue;
      index ??= new LineIndex(text);
      const { line, column } = index.position(start);
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        start,
        end: start + secret.length,
        line,
        column,
        masked: mask(secret),
        suggestedEnvVar: rule.envVar,
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** The one sentence every surface (diagnostic, CLI, hover) uses for a finding. */
export function describeFinding(f: Finding): string {
  return `${f.title} (${f.masked}) is hardcoded`;
}
