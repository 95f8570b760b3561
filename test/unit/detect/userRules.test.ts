/** User rules and overrides; known-secret matching; test-file opt-out. */
import * as assert from 'node:assert/strict';
import { scanText } from '../../../shared/detect/engine';
import { buildKnownSecretIndex } from '../../../shared/detect/knownSecrets';
import { RULES } from '../../../shared/detect/rules';
import { loadUserRules } from '../../../shared/detect/userRules';
import { CHARS, fake } from '../../../shared/detect/rules/examples';

const ids = new Set(RULES.map((r) => r.id));

describe('detect: user rules and overrides', () => {
  it('adds a rule, disables one, changes a severity', () => {
    const loaded = loadUserRules(
      {
        rules: [{ id: 'acme-api-key', title: 'ACME API key', regex: '(acme_[a-z0-9]{32})', keywords: ['acme_'], severity: 'error', entropy: 3 }],
        disable: ['jwt'],
        severity: { 'generic-password': 'info' },
      },
      ids,
    );
    assert.deepEqual(loaded.errors, []);
    const rules = [...RULES, ...loaded.rules];
    const key = fake('acme_', CHARS.lower + CHARS.digits, 32, 'acme');
    const pw = fake('', CHARS.b62, 12, 'up') + '!';
    const found = scanText(`k = "${key}"\nconst dbPassword = "${pw}";`, { rules, disabledRules: loaded.disabled, severities: loaded.severities, path: 'a.ts' });
    assert.deepEqual(found.map((f) => [f.ruleId, f.severity]), [['acme-api-key', 'error'], ['generic-password', 'info']]);
  });

  it('reports each malformed rule by id with the problem, and keeps the others', () => {
    const loaded = loadUserRules(
      {
        rules: [
          { id: 'bad-regex', regex: '(unclosed', keywords: ['x'] },
          { id: 'lookahead', regex: '(key_[a-z]{8})(?=;)', keywords: ['key_'] },
          { id: 'backref', regex: '(["\'])([a-z]{8})\\1', keywords: ['"'] },
          { id: 'huge', regex: '(' + 'a{1000}'.repeat(5) + ')', keywords: ['a'] },
          { id: 'no-group', regex: 'abc', keywords: ['abc'] },
          { id: 'no-keywords', regex: '(abc)', keywords: [] },
          { id: 'aws-access-key-id', regex: '(abc)', keywords: ['abc'] },
          { regex: '(abc)', keywords: ['abc'] },
          { id: 'good-one', regex: '(good_[0-9]{8})', keywords: ['good_'] },
        ],
        disable: ['no-such-rule'],
        severity: { jwt: 'loud' },
      },
      ids,
    );
    assert.deepEqual(loaded.rules.map((r) => r.id), ['good-one']);
    const text = loaded.errors.join('\n');
    assert.match(text, /rule 'bad-regex': regex does not compile/);
    assert.match(text, /rule 'lookahead': regex uses '\(\?=' \(lookahead\), which a linear-time engine cannot run/);
    assert.match(text, /rule 'backref': regex uses '\\1' \(a backreference\)/);
    assert.match(text, /rule 'huge': regex is too large for the linear-time engine/);
    assert.match(text, /rule 'no-group': regex needs a capture group/);
    assert.match(text, /rule 'no-keywords': "keywords" must be a non-empty list/);
    assert.match(text, /rule 'aws-access-key-id': id is already used/);
    assert.match(text, /rule #8: "id" must be kebab-case/);
    assert.match(text, /"disable": no rule 'no-such-rule'/);
    assert.match(text, /"severity": rule 'jwt': 'loud' is not error, warning or info/);
  });
});

describe('detect: user rules run in linear time (a hostile rules file cannot freeze a scan)', function () {
  // Before the linear-time engine, the first case took V8 about 35 s on one 40-character line.
  this.timeout(20_000);

  it('runs (a|aa)*b(c) on a 40-character line and on 1 MB of the same, and still finds real matches', () => {
    const loaded = loadUserRules({ rules: [{ id: 'hostile', regex: '(a|aa)*b(c)', keywords: ['a'] }] }, ids);
    assert.deepEqual(loaded.errors, []);
    const rules = [...RULES, ...loaded.rules];
    const line = `x = "${'a'.repeat(40)}"\n`;
    assert.deepEqual(scanText(line, { rules, path: 'f.txt' }), []);
    assert.deepEqual(scanText(line.repeat(25_000), { rules, path: 'big.txt' }), []);
    const hit = scanText('v = "aaabc"', { rules, path: 'f.txt' });
    assert.deepEqual(hit.map((f) => [f.ruleId, f.start, f.end]), [['hostile', 7, 8]]);
    assert.deepEqual(hit[0].evidence?.basis, ['keyword', 'user-rule']);
  });

  it('accepts nested quantifiers the linear engine can run ((a+)+b), with correct spans', () => {
    const loaded = loadUserRules({ rules: [{ id: 'nested', regex: '((?:a+)+)b', keywords: ['a'], flags: 'i' }] }, ids);
    assert.deepEqual(loaded.errors, []);
    const text = '😀 "' + 'a'.repeat(30_000) + '" then AAAb';
    const found = scanText(text, { rules: [...RULES, ...loaded.rules], path: 'f.txt' });
    assert.deepEqual(found.map((f) => text.slice(f.start, f.end)), ['AAA']);
  });

  it('supports lookbehind, named groups and flags, and works through String methods', () => {
    const loaded = loadUserRules({ rules: [{ id: 'acme-key', regex: '(?<![A-Za-z0-9])(?<key>acme_[a-z0-9]{24})', keywords: ['acme_'] }] }, ids);
    assert.deepEqual(loaded.errors, []);
    const key = fake('acme_', CHARS.lower + CHARS.digits, 24, 'lin');
    const found = scanText(`a = "${key}"; b = "xacme_${key.slice(5)}"`, { rules: [...RULES, ...loaded.rules], path: 'f.ts' });
    assert.deepEqual(found.map((f) => [f.ruleId, f.start]), [['acme-key', 5]]);
    const re = loaded.rules[0].regex;
    assert.equal(`k ${key} k`.replace(re, 'K'), 'k K k');
    assert.deepEqual([...`${key} ${key}`.matchAll(re)].map((m) => m.index), [0, key.length + 1]);
  });

  it('stops a user rule at the per-text time budget and says which rule was cut short', () => {
    const loaded = loadUserRules({ rules: [{ id: 'slowish', regex: '([a-z]{1,30}q[0-9]{1,30}z)', keywords: ['a'] }] }, ids);
    const text = ('a'.repeat(60) + '\n').repeat(40_000);
    const cut: string[][] = [];
    scanText(text, { rules: [...RULES, ...loaded.rules], path: 'f.txt', userRuleBudgetMs: 0, onBudgetExceeded: (r) => cut.push(r) });
    assert.deepEqual(cut, [['slowish']]);
    const none: string[][] = [];
    scanText('aq1z', { rules: [...RULES, ...loaded.rules], path: 'f.txt', onBudgetExceeded: (r) => none.push(r) });
    assert.deepEqual(none, []);
  });
});

describe('detect: known secrets (keyed fingerprints)', () => {
  it('flags a literal equal to a stored secret, naming the secret, masked', () => {
    const value = 'Winter2024!db';
    const index = buildKnownSecretIndex(Buffer.alloc(32, 1), [{ name: 'db/prod/password', value }]);
    const [f] = scanText(`const conn = { user: "app", pass: "${value}" };`, { knownSecrets: index, path: 'db.ts' });
    assert.equal(f.ruleId, 'known-secret');
    assert.equal(f.suggestedSecretName, 'db/prod/password');
    assert.match(f.title, /db\/prod\/password/);
    assert.ok(!f.masked.includes(value));
    assert.deepEqual(scanText('const other = "Winter2024!dc";', { knownSecrets: index }), []);
    assert.ok(![...index.names.keys()].some((k) => k.includes(value)));
  });
});

describe('detect: test files are scanned unless the user opts out', () => {
  it('skipTestFiles drops findings in tests and fixtures only', () => {
    const text = `k = "${['AK', 'IA'].join('')}${fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 'tst')}"`;
    assert.equal(scanText(text, { path: 'test/fixtures/a.ts' }).length, 1);
    assert.equal(scanText(text, { path: 'test/fixtures/a.ts', skipTestFiles: true }).length, 0);
    assert.equal(scanText(text, { path: 'src/app.test.ts', skipTestFiles: true }).length, 0);
    assert.equal(scanText(text, { path: 'pkg/store_test.go', skipTestFiles: true }).length, 0);
    assert.equal(scanText(text, { path: 'src/contest.ts', skipTestFiles: true }).length, 1);
  });
});
