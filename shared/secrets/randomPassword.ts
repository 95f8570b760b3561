/** GetRandomPassword: uniform picks from node:crypto, each included class at least once if asked. */
import { randomInt } from 'node:crypto';
import { HushError } from '../errors';

export interface RandomPasswordOptions {
  length?: number; // 1–4096, default 32
  excludeCharacters?: string;
  excludeNumbers?: boolean;
  excludePunctuation?: boolean;
  excludeUppercase?: boolean;
  excludeLowercase?: boolean;
  includeSpace?: boolean;
  requireEachIncludedType?: boolean; // default true
}

const CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  space: ' ',
};

export function randomPassword(o: RandomPasswordOptions = {}): string {
  const length = o.length ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new HushError('InvalidArgument', 'password length must be 1 to 4096');
  const ex = new Set(o.excludeCharacters ?? '');
  const pools = [
    o.excludeLowercase ? '' : CLASSES.lower,
    o.excludeUppercase ? '' : CLASSES.upper,
    o.excludeNumbers ? '' : CLASSES.digits,
    o.excludePunctuation ? '' : CLASSES.punct,
    o.includeSpace ? CLASSES.space : '',
  ]
    .map((p) => [...p].filter((c) => !ex.has(c)).join(''))
    .filter((p) => p.length > 0);
  if (!pools.length) throw new HushError('InvalidArgument', 'every character class is excluded; nothing is left to make a password from');
  const all = pools.join('');
  const require = o.requireEachIncludedType ?? true;
  if (require && length < pools.length) throw new HushError('InvalidArgument', `length ${length} is too short to include each of ${pools.length} character classes`);
  const chars: string[] = [];
  if (require) for (const p of pools) chars.push(p[randomInt(p.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  // Fisher–Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
