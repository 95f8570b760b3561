/**
 * A structural ReDoS check: a quantified group that contains an unbounded
 * quantifier (`(a+)+`, `(x[a-z]*y){2,}`) can backtrack exponentially or
 * polynomially. Built-in rules are tested against it; user rules are
 * refused when they fail it.
 */
export function nestedUnbounded(source: string): string | undefined {
  const s = source.replace(/\\./g, 'e').replace(/\[[^\]]*\]/g, 'c');
  const stack: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') stack.push(i);
    else if (s[i] === ')') {
      const open = stack.pop() ?? 0;
      const inner = s.slice(open + 1, i);
      const after = s.slice(i + 1, i + 12);
      const quantified = /^(?:[*+]|\{\d+,\d*\})/.exec(after);
      if (quantified && /[*+]|\{\d+,\}/.test(inner.replace(/^\?(?:[:=!]|<[=!])/, ''))) {
        const bound = /^\{\d+,(\d+)\}/.exec(after);
        // A bounded repetition of delimited lines (`(?:[^\n]{0,200}\n){1,400}`) is fine:
        // only unbounded inner quantifiers are flagged.
        if (!bound || /[*+]|\{\d+,\}/.test(inner)) return s.slice(open, i + 1 + quantified[0].length);
      }
    }
  }
  return undefined;
}
