/**
 * Provider tokens, generated from each built-in rule's documented format
 * (prefix, length, alphabet; checksummed formats get a valid checksum) and
 * placed in varied contexts; look-alikes are the same shapes in non-secret
 * contexts (glued into longer identifiers, filled with one character).
 */
import type { Rule } from '../../shared/detect/rule';
import { RULES } from '../../shared/detect/rules';
import { generate } from '../../shared/detect/rules/examples';
import { base62, crc32 } from '../../shared/detect/checksums';
import { benignCase, type EvalCase, secretCase } from './evalCase';
import { identifier, Rand, WORDS } from './rand';

/** Rules with a provider format and no name keying: the token alone says what it is. */
function tokenRules(): Rule[] {
  return RULES.filter((r) => r.format && !r.names && r.category !== 'generic' && r.category !== 'private-key');
}

/** A value of the rule's format; for checksummed formats, with a valid checksum (as issued). */
function tokenOf(rule: Rule, seed: string): string | undefined {
  let v = generate(rule.format!, seed);
  if (rule.checksum && !rule.checksum(v)) {
    // GitHub/npm style: 30 random base62 + 6 base62 of their CRC-32.
    const u = v.indexOf('_') + 1;
    const body = v.slice(u, u + 30);
    const fixed = v.slice(0, u) + body + base62(crc32(body), 6);
    if (!rule.checksum(fixed)) return undefined;
    v = fixed;
  }
  return v;
}

const CONTEXTS: ((r: Rand, v: string) => [string, string, string | undefined])[] = [
  (r) => [`const ${identifier(r, [r.pick(WORDS), 'client'], 'camel')} = new Client("`, '");', 'client.ts'],
  (r) => [`${identifier(r, [r.pick(WORDS), 'key'], 'upper')}=`, '\n', '.env'],
  (r) => [`  ${r.pick(WORDS)}:\n    credential: "`, '"\n', 'config.yml'],
  () => ['curl -H "X-Auth: ', '" https://api.internal/v1', undefined],
  (r) => [`${r.pick(WORDS)}_client = Client("`, '")', 'app.py'],
  () => ['"', '"', undefined],
  () => ['Here is the key I used: ', ' (please rotate)', 'chat.txt'],
];

export function tokenCases(r: Rand, n: number): EvalCase[] {
  const rules = tokenRules();
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const rule = r.pick(rules);
    const v = tokenOf(rule, `${rule.id}-${r.int(0, 1e9)}`);
    if (!v) continue;
    const [before, after, path] = r.pick(CONTEXTS)(r, v);
    out.push(secretCase(`token:${rule.category}`, `${rule.title} (${rule.id} format)`, before, v, after, path));
  }
  return out;
}

export function tokenLookAlikes(r: Rand, n: number): EvalCase[] {
  const rules = tokenRules();
  const out: EvalCase[] = [];
  for (let i = 0; i < n; i++) {
    const rule = r.pick(rules);
    const v = tokenOf(rule, `${rule.id}-${r.int(0, 1e9)}`);
    if (!v) continue;
    const filler = generate(rule.format!, rule.id, r.pick(['x', 'X', '0']));
    const forms: [string, string][] = [
      [`const label = "${r.pick(WORDS)}${v}";`, 'token shape glued inside a longer identifier'],
      [`placeholder = "${filler}"`, 'the format filled with one character'],
      [`// format: ${rule.format?.slice(0, 60)}`, 'the format itself, in a comment'],
    ];
    const [text, why] = r.pick(forms);
    out.push(benignCase('token-lookalike', 'look-alike', why, text, r.pick([undefined, 'docs.md', 'consts.ts'])));
  }
  return out;
}
