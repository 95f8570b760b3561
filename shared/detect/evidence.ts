/**
 * Explainable findings: every finding carries the rule that made it and the
 * evidence that rule relied on (a prefix, a keyword, the variable's name,
 * entropy against a floor, a checksum, a structure or context check). The
 * evidence never includes the value; the hover and `hush scan --format json`
 * show it as is.
 */
import { shannon } from './entropy';
import type { Evidence, EvidenceKind, Finding } from './finding';
import type { Rule, Validator } from './rule';

/** A validator that says, when it passes, what it checked (`basis` and one phrase). */
export interface ExplainedValidator extends Validator {
  readonly basis?: EvidenceKind;
  readonly explain?: string | ((secret: string, m: RegExpExecArray) => string | undefined);
  /** For rules whose floor lives in the validator (generic assignments): the entropy floor it applied. */
  readonly floor?: (secret: string, m: RegExpExecArray) => number | undefined;
}

/** Attaches an explanation to a validator (the same function, with `basis` and `explain` set on it). */
export function explained<F extends (secret: string, m: RegExpExecArray, ctx: Parameters<Validator>[2]) => boolean>(
  fn: F,
  basis: EvidenceKind,
  explain: ExplainedValidator['explain'],
  floor?: ExplainedValidator['floor'],
): F & ExplainedValidator {
  return Object.assign(fn, { basis, explain, floor });
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The evidence for one accepted match of `rule`. */
export function evidenceOf(
  rule: Rule,
  secret: string,
  m: RegExpExecArray | undefined,
  keyword: string | undefined,
  name: string | undefined,
  extra: { linear?: boolean; known?: boolean } = {},
): Evidence {
  const basis: EvidenceKind[] = [];
  const checks: string[] = [];
  let checksum: Evidence['checksum'];
  let entropyFloor = rule.entropy;
  if (extra.known) basis.push('known-secret');
  if (rule.checksum) {
    checksum = rule.checksum(secret) ? 'valid' : 'invalid';
    if (checksum === 'valid') basis.push('checksum');
  }
  const prefixAt = basis.length;
  for (const v of (rule.validators ?? []) as readonly ExplainedValidator[]) {
    if (!m) break;
    if (v.explain !== undefined) {
      const text = typeof v.explain === 'string' ? v.explain : v.explain(secret, m);
      if (text) checks.push(text);
      if (v.basis && !basis.includes(v.basis)) basis.push(v.basis);
    }
    const f = v.floor?.(secret, m);
    if (f !== undefined) entropyFloor = f;
  }
  // An anchored rule's keyword is a token's literal prefix, unless the rule judges a context (a command's name, a sentence).
  if (rule.anchored && keyword && !basis.includes('context')) basis.splice(prefixAt, 0, 'prefix');
  if (m && rule.validators?.length && !checks.length && !(rule.validators as readonly ExplainedValidator[]).some((v) => v.explain !== undefined)) basis.push('structure');
  if (name && !basis.includes('name')) basis.push('name');
  if (!rule.anchored && keyword && !name && !basis.includes('context') && !basis.includes('structure')) basis.push('keyword');
  if (entropyFloor !== undefined) basis.push('entropy');
  if (extra.linear) basis.push('user-rule');
  if (basis.length === 0) basis.push(keyword ? 'keyword' : 'structure');
  return {
    basis,
    ...(keyword ? { keyword } : {}),
    ...(name ? { name } : {}),
    entropy: round1(shannon(secret)),
    ...(entropyFloor !== undefined ? { entropyFloor } : {}),
    length: secret.length,
    ...(checksum ? { checksum } : {}),
    checks,
  };
}

const BASIS_WORDS: Record<EvidenceKind, (e: Evidence) => string> = {
  prefix: (e) => `token prefix \`${e.keyword ?? ''}\``,
  keyword: (e) => `keyword \`${e.keyword ?? ''}\``,
  name: (e) => `assigned to \`${e.name ?? ''}\``,
  entropy: (e) => `entropy ${e.entropy.toFixed(1)} bits/char${e.entropyFloor !== undefined ? ` (floor ${e.entropyFloor})` : ''}`,
  checksum: () => 'embedded checksum verifies',
  structure: () => 'structure checks',
  context: () => 'context',
  'known-secret': () => 'equal to a stored secret',
  'user-rule': () => 'rule from .hush/rules.json',
};

/** One line: `rule generic-password · assigned to \`dbPassword\` · entropy 3.5 bits/char (floor 2) · …`. */
export function explainFinding(f: Pick<Finding, 'ruleId' | 'evidence' | 'confidence'>): string {
  const e = f.evidence;
  if (!e) return `rule \`${f.ruleId}\``;
  const parts = [`rule \`${f.ruleId}\``, ...e.basis.filter((b) => b !== 'structure' && b !== 'context').map((b) => BASIS_WORDS[b](e))];
  if (e.checksum === 'invalid') parts.push('checksum does not verify (low confidence)');
  parts.push(...e.checks);
  if (f.confidence) parts.push(`${f.confidence} confidence`);
  return parts.join(' · ');
}
