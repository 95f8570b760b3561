/**
 * Seeded randomness for the evaluation set: every case is generated, so a
 * different seed gives a different set of the same kinds (a check that the
 * detector was built to the kinds, not to one list).
 */
import { prng } from '../../shared/detect/rules/examples';

export const ALPHA = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hex: '0123456789abcdef',
  b62: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  /** Punctuation people put in passwords (no quotes, backslash or whitespace: the contexts add those). */
  punct: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
};

export class Rand {
  private readonly next: () => number;
  constructor(seed: number | string) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  str(alphabet: string, len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

/** Words for identifiers, prose and passphrases (common English, nothing secret). */
export const WORDS = [
  'apple', 'river', 'stone', 'cloud', 'maple', 'tiger', 'ocean', 'pixel', 'amber', 'cedar', 'delta', 'ember', 'frost', 'grove',
  'harbor', 'indigo', 'jasper', 'kernel', 'lunar', 'mango', 'nectar', 'orbit', 'prism', 'quartz', 'raven', 'sierra', 'tundra',
  'umber', 'violet', 'willow', 'xenon', 'yonder', 'zephyr', 'falcon', 'copper', 'summit', 'canyon', 'meadow', 'comet', 'glacier',
  'order', 'invoice', 'account', 'report', 'cache', 'queue', 'worker', 'billing', 'profile', 'session', 'payment', 'search',
  'upload', 'export', 'import', 'metric', 'shipment', 'catalog', 'ticket', 'customer', 'tenant', 'widget', 'module', 'service',
];

export const capital = (w: string): string => w[0].toUpperCase() + w.slice(1);

/** An identifier in one of the usual casings, made of `words`. */
export function identifier(r: Rand, words: string[], style?: 'camel' | 'snake' | 'upper' | 'pascal' | 'kebab' | 'dot'): string {
  const s = style ?? r.pick(['camel', 'snake', 'upper', 'pascal', 'camel', 'snake'] as const);
  switch (s) {
    case 'camel':
      return words[0] + words.slice(1).map(capital).join('');
    case 'pascal':
      return words.map(capital).join('');
    case 'snake':
      return words.join('_');
    case 'upper':
      return words.join('_').toUpperCase();
    case 'kebab':
      return words.join('-');
    case 'dot':
      return words.join('.');
  }
}
