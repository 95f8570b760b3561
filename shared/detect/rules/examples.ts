/**
 * Test-only support for rule examples. NEVER import this (or any
 * `*.examples.ts`) from code that ships: the examples are fabricated
 * credentials, built at run time from each rule's documented format so that
 * no whole credential-shaped literal sits in the repository or a bundle.
 */
import type { Rule } from '../rule';

/** A true positive: the text, and the exact span of the secret in it. */
export interface Positive {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Optional file path the example pretends to come from. */
  readonly path?: string;
}

export interface Examples {
  readonly tp: Positive[];
  /** Texts in which this rule must report nothing. */
  readonly fp: (string | { text: string; path?: string })[];
}

/** `before` + secret + `after`, remembering where the secret is. */
export function tp(before: string, secret: string, after = '', path?: string): Positive {
  return { text: before + secret + after, start: before.length, end: before.length + secret.length, path };
}

/** Deterministic PRNG (mulberry32) so examples are stable across runs. */
export function prng(seed: number | string): () => number {
  let a = typeof seed === 'number' ? seed : [...seed].reduce((h, c) => (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0), 2166136261);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CHARS = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  hex: '0123456789abcdef',
  b62: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};

/** `prefix` + `len` characters of `charset`, deterministic per seed. */
export function fake(prefix: string, charset: string, len: number, seed: number | string = prefix): string {
  const rnd = prng(seed);
  let s = prefix;
  for (let i = 0; i < len; i++) s += charset[Math.floor(rnd() * charset.length)];
  return s;
}

// ---- a tiny generator for the regex subset rule formats use ----

type Node =
  | { t: 'alt'; options: Node[][] }
  | { t: 'class'; chars: string }
  | { t: 'lit'; ch: string }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'group'; alt: Node }
  | { t: 'skip' };

const CLASS_ESC: Record<string, string> = { d: CHARS.digits, w: CHARS.b62 + '_', s: ' ' };

function parse(src: string): Node {
  let i = 0;
  function parseAlt(): Node {
    const options: Node[][] = [[]];
    while (i < src.length && src[i] !== ')') {
      if (src[i] === '|') {
        i++;
        options.push([]);
        continue;
      }
      let atom = parseAtom();
      atom = parseQuant(atom);
      options[options.length - 1].push(atom);
    }
    return { t: 'alt', options };
  }
  function parseAtom(): Node {
    const c = src[i];
    if (c === '(') {
      i++;
      let skip = false;
      if (src[i] === '?') {
        if (src.startsWith('?:', i)) i += 2;
        else if (src.startsWith('?<!', i) || src.startsWith('?<=', i)) {
          i += 3;
          skip = true;
        } else if (src.startsWith('?!', i) || src.startsWith('?=', i)) {
          i += 2;
          skip = true;
        }
        else if (src.startsWith('?<', i)) i = src.indexOf('>', i) + 1;
      }
      const alt = parseAlt();
      i++; // ')'
      return skip ? { t: 'skip' } : { t: 'group', alt };
    }
    if (c === '[') {
      i++;
      let neg = false;
      if (src[i] === '^') {
        neg = true;
        i++;
      }
      let chars = '';
      while (src[i] !== ']') {
        let ch = src[i++];
        if (ch === '\\') {
          const e = src[i++];
          if (CLASS_ESC[e]) {
            chars += CLASS_ESC[e];
            continue;
          }
          ch = e;
        }
        if (src[i] === '-' && src[i + 1] !== ']') {
          i++;
          let to = src[i++];
          if (to === '\\') to = src[i++];
          for (let k = ch.charCodeAt(0); k <= to.charCodeAt(0); k++) chars += String.fromCharCode(k);
        } else chars += ch;
      }
      i++;
      if (neg) chars = [...CHARS.b62].filter((x) => !chars.includes(x)).join('');
      return { t: 'class', chars };
    }
    if (c === '\\') {
      const e = src[i + 1];
      i += 2;
      if (CLASS_ESC[e]) return { t: 'class', chars: CLASS_ESC[e] };
      if (e === 'b') return { t: 'skip' };
      return { t: 'lit', ch: e };
    }
    if (c === '.') {
      i++;
      return { t: 'class', chars: CHARS.b62 };
    }
    if (c === '^' || c === '$') {
      i++;
      return { t: 'skip' };
    }
    i++;
    return { t: 'lit', ch: c };
  }
  function parseQuant(node: Node): Node {
    const c = src[i];
    if (c === '?') return i++, { t: 'rep', node, min: 0, max: 1 };
    if (c === '*') return i++, { t: 'rep', node, min: 0, max: 3 };
    if (c === '+') return i++, { t: 'rep', node, min: 1, max: 4 };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? min + 8 : Number(m[3]);
        return { t: 'rep', node, min, max };
      }
    }
    return node;
  }
  const n = parseAlt();
  return n;
}

/** A string matching `pattern` (the subset rules use), deterministic per seed; `fill` replaces every random character. */
export function generate(pattern: string, seed: number | string, fill?: string): string {
  const rnd = prng(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  function gen(n: Node): string {
    switch (n.t) {
      case 'alt': {
        const opt = n.options[pick(n.options.length)];
        return opt.map(gen).join('');
      }
      case 'group':
        return gen(n.alt);
      case 'class':
        if (fill !== undefined) return n.chars.includes(fill) ? fill : n.chars[0];
        return n.chars[pick(n.chars.length)];
      case 'lit':
        return n.ch;
      case 'rep': {
        const span = Math.min(n.max - n.min, 12);
        const count = n.min + (fill !== undefined ? 0 : pick(span + 1));
        let s = '';
        for (let k = 0; k < count; k++) s += gen(n.node);
        return s;
      }
      case 'skip':
        return '';
    }
  }
  return gen(parse(pattern));
}

/** Variable name for a name-keyed rule's examples: `heroku` → `HEROKU_API_KEY`. */
function varName(rule: Rule): string {
  const n = rule.names![0].replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toUpperCase();
  return /KEY|TOKEN|SECRET|PASS/.test(n) ? n : `${n}_API_KEY`;
}

/**
 * Examples every rule with a `format` gets for free: the value in a typical
 * assignment (tp); the same shape filled with a placeholder character, and
 * glued to a longer identifier or stripped of its name (fp).
 */
export function defaultExamples(rule: Rule): Examples {
  if (!rule.format) return { tp: [], fp: [] };
  const value = generate(rule.format, rule.id);
  const filler = generate(rule.format, rule.id, 'x');
  if (rule.names) {
    const v = varName(rule);
    return {
      tp: [tp(`${v}=`, value, '\n', '.env'), tp(`  "${v.toLowerCase()}": "`, value, '",')],
      fp: [`const value = "${value}";`, `${v}="${filler}"`, `${v}=\${${v}}`],
    };
  }
  return {
    tp: [tp('const token = "', value, '";'), tp('auth:\n  token: ', value, '\n', 'config.yml')],
    fp: [`const label = "x${value}";`, `const label = "${filler}";`],
  };
}
