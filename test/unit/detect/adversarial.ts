/**
 * Adversarial inputs for a rule's regex: its keywords, fragments of its
 * format and of its examples, and the characters that delimit matches,
 * repeated without ever completing a match — the inputs that make a
 * backtracking regex go quadratic or worse. Shared by the ReDoS test and the
 * bench.
 */
import { performance } from 'node:perf_hooks';
import type { Rule } from '../../../shared/detect/rule';
import { examplesFor } from '../../../shared/detect/rules/allExamples';
import { generate } from '../../../shared/detect/rules/examples';

/** A few differently shaped adversarial strings of about `size` characters. */
export function adversarialInputs(rule: Rule, size: number): string[] {
  const pieces: string[] = [];
  for (const k of rule.keywords) pieces.push(k, k.toUpperCase());
  const ex = examplesFor(rule);
  for (const t of ex.tp.slice(0, 3)) {
    const secret = t.text.slice(t.start, t.end);
    pieces.push(t.text.slice(0, t.start), secret.slice(0, Math.max(1, secret.length - 2)));
  }
  if (rule.format) pieces.push(generate(rule.format, 'adv').slice(0, -1));
  const out: string[] = [];
  // 1. keyword + almost-a-secret, glued together, no line breaks.
  out.push(fill(pieces.join(''), size));
  // 2. a keyword followed by one huge run of the secret's alphabet.
  const body = pieces.length > 2 ? pieces[pieces.length - 1].replace(/[^A-Za-z0-9+/=_-]/g, '') || 'a' : 'a';
  out.push(rule.keywords[0] + ' = "' + fill(body, size));
  // 3. delimiters and keywords interleaved, with line breaks (multi-line rules).
  out.push(fill(pieces.map((p) => p + ' :="\n\t').join(''), size));
  // 4. the keyword alone, repeated.
  out.push(fill(rule.keywords[0] + ' ', size));
  return out;
}

function fill(unit: string, size: number): string {
  if (!unit) unit = 'a';
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Milliseconds to run the rule's regex (as the engine compiles it) over the whole text; best of `runs`. */
export function timeRegex(rule: Rule, text: string, runs = 3): number {
  const re = new RegExp(rule.regex.source, rule.regex.flags.replace(/[gyd]/g, '') + 'gd');
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    re.lastIndex = 0;
    const t0 = performance.now();
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) if (m[0].length === 0) re.lastIndex++;
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
