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
          { id: 'redos', regex: '((?:a+)+)b', keywords: ['a'] },
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
    assert.match(text, /rule 'redos': regex can backtrack catastrophically/);
    assert.match(text, /rule 'no-group': regex needs a capture group/);
    assert.match(text, /rule 'no-keywords': "keywords" must be a non-empty list/);
    assert.match(text, /rule 'aws-access-key-id': id is already used/);
    assert.match(text, /rule #6: "id" must be kebab-case/);
    assert.match(text, /"disable": no rule 'no-such-rule'/);
    assert.match(text, /"severity": rule 'jwt': 'loud' is not error, warning or info/);
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
