/** The engine's own behaviour: keyword gating, spans, ignores, overlaps, long lines, masking. */
import * as assert from 'node:assert/strict';
import { describeFinding, envVarFromName, LONG_LINE, scanText } from '../../../shared/detect/engine';
import { KeywordMatcher } from '../../../shared/detect/keywords';
import { isRepetitive, placeholderReason } from '../../../shared/detect/placeholders';
import { isJwt, isPemBody } from '../../../shared/detect/validators';
import { base62, crc32, hasBase62Crc } from '../../../shared/detect/checksums';
import { maskSecret } from '../../../shared/detect/mask';
import { CHARS, fake, prng } from '../../../shared/detect/rules/examples';

const j = (...p: string[]): string => p.join('');
const awsId = (seed: string): string => j('AK', 'IA', fake('', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, seed));
const ghToken = (seed: string): string => {
  const body = fake('', CHARS.b62, 30, seed);
  return j('gh', 'p_', body, base62(crc32(body), 6));
};

describe('detect: keyword matcher', () => {
  it('finds every occurrence a naive search finds, case-insensitively, overlapping ones included', () => {
    const kws = ['akia', 'ghp_', 'key', 'ey', 'password', 'pass', 'sk_live_', '-----begin', 'a'];
    const m = new KeywordMatcher(kws);
    const rnd = prng(7);
    const alphabet = 'aAkKiIyYeEpPsS_-gh wordLIVEbegin\n';
    for (let round = 0; round < 50; round++) {
      let text = '';
      for (let i = 0; i < 400; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      text += ' PassWord KEY sk_LIVE_ -----BEGIN ';
      const got: string[] = [];
      m.scan(text, (id, end) => got.push(`${id}@${end}`));
      const want: string[] = [];
      const lower = text.toLowerCase();
      for (let end = 1; end <= text.length; end++)
        kws.forEach((k, id) => {
          if (end >= k.length && lower.slice(end - k.length, end) === k) want.push(`${id}@${end}`);
        });
      assert.deepEqual(got.sort(), want.sort());
    }
  });
  it('rejects keywords that are not lower-case ASCII', () => {
    assert.throws(() => new KeywordMatcher(['AKIA']));
    assert.throws(() => new KeywordMatcher(['']));
  });
});

describe('detect: engine', () => {
  it('reports exact spans, 0-based line/column, and masked values only', () => {
    const id = awsId('e1');
    const text = `line one\n  key = "${id}"\n`;
    const [f] = scanText(text);
    assert.equal(f.ruleId, 'aws-access-key-id');
    assert.equal(text.slice(f.start, f.end), id);
    assert.deepEqual([f.line, f.column], [1, 9]);
    assert.equal(f.masked, `${id.slice(0, 4)}…${id.slice(-4)}`);
    assert.equal(describeFinding(f), `AWS access key ID (${f.masked}) is hardcoded`);
    assert.equal(f.suggestedEnvVar, 'AWS_ACCESS_KEY_ID');
    assert.ok(!JSON.stringify(f).includes(id));
  });

  it('gives a PEM block its full multi-line span', () => {
    const begin = j('-----BEGIN ', 'RSA PRIVATE KEY-----');
    const end = j('-----END ', 'RSA PRIVATE KEY-----');
    const body = fake('', CHARS.b64, 320, 'pem').match(/.{1,64}/g)!.join('\n');
    const block = `${begin}\n${body}\n${end}`;
    const text = `const a = 1;\nconst KEY = \`${block}\`;\n`;
    const [f] = scanText(text);
    assert.equal(f.ruleId, 'rsa-private-key');
    assert.equal(f.start, text.indexOf(begin));
    assert.equal(f.end, text.indexOf(end) + end.length);
    assert.equal(f.line, 1);
    assert.equal(f.endLine, 7);
    assert.equal(f.masked, `${begin}…`);
  });

  it('honours hush:ignore, gitleaks:allow and pragma: allowlist secret on the line', () => {
    const id = awsId('e2');
    for (const marker of ['// hush:ignore', '# gitleaks:allow', '# pragma: allowlist secret']) {
      assert.deepEqual(scanText(`k = "${id}" ${marker}\n`), []);
    }
    assert.equal(scanText(`k = "${id}"\n// hush:ignore\n`).length, 1, 'a marker on another line does not count');
    assert.equal(scanText(`k = "${id}" // hush:ignore`, { inlineIgnores: false }).length, 1);
  });

  it('lets the specific rule win over the generic one on the same value', () => {
    const f = scanText(`GITHUB_TOKEN = "${ghToken('e3')}"`);
    assert.deepEqual(f.map((x) => x.ruleId), ['github-pat']);
    assert.equal(f[0].confidence, 'high', 'valid CRC-32 checksum');
    const bad = ghToken('e3').slice(0, -1) + 'Z';
    assert.equal(scanText(`t = "${bad === ghToken('e3') ? bad + 'x' : bad}"`)[0]?.confidence, 'low', 'checksum mismatch lowers confidence');
  });

  it('finds a secret in the middle of a very long line, with the exact span', () => {
    const id = awsId('e4');
    const filler = 'var a=1;'.repeat(Math.ceil((LONG_LINE * 64) / 8));
    const text = `${filler}k="${id}";${filler}`;
    const [f] = scanText(text);
    assert.equal(f?.ruleId, 'aws-access-key-id');
    assert.equal(text.slice(f.start, f.end), id);
    assert.equal(f.line, 0);
  });

  it('disables rules and overrides severities by id', () => {
    const text = `k = "${awsId('e5')}"`;
    assert.deepEqual(scanText(text, { disabledRules: new Set(['aws-access-key-id']) }), []);
    assert.equal(scanText(text, { severities: new Map([['aws-access-key-id', 'error']]) })[0].severity, 'error');
  });

  it('names the env var after the variable for generic findings', () => {
    const [f] = scanText(`const dbPassword = "${fake('', CHARS.b62, 12, 'e6')}!9";`, { path: 'db.ts' });
    assert.equal(f.ruleId, 'generic-password');
    assert.equal(f.suggestedEnvVar, 'DB_PASSWORD');
    assert.equal(f.suggestedSecretName, 'db-password');
    assert.ok(/^.….$/.test(f.masked), `password mask shows at most two characters: ${f.masked}`);
  });

  it('is deterministic and findings never overlap', () => {
    const text = [
      `url = "postgres://app:${fake('', CHARS.b62, 16, 'e7')}@db:5432/app"`,
      `GITHUB_TOKEN=${ghToken('e8')}`,
      `password: "${fake('', CHARS.b62, 14, 'e9')}!"`,
    ].join('\n');
    const a = scanText(text);
    assert.deepEqual(a, scanText(text));
    for (let i = 1; i < a.length; i++) assert.ok(a[i].start >= a[i - 1].end);
    assert.deepEqual(a.map((f) => f.ruleId), ['postgres-connection-string', 'github-pat', 'generic-password']);
  });

  it('returns nothing, fast, for text without keywords', () => {
    assert.deepEqual(scanText('the quick brown fox\n'.repeat(10_000)), []);
    assert.deepEqual(scanText(''), []);
  });
});

describe('detect: placeholders, validators, checksums, masks', () => {
  it('recognises placeholders and runs', () => {
    for (const v of ['xxxxxxxxxxxx', '<your-api-key>', '${API_KEY}', '{{ secrets.TOKEN }}', 'changeme', 'YOUR_TOKEN_HERE', 'aaaaaaaaaaaa', 'abcdefghij', '1234567890', '%API_KEY%', 'redacted-value'])
      assert.ok(placeholderReason(v), v);
    for (const v of [fake('', CHARS.b62, 32, 'p1'), 'Tr0ub4dor&3x', fake('', CHARS.hex, 40, 'p2')]) assert.equal(placeholderReason(v), undefined, v);
    assert.ok(isRepetitive('abababababab'));
  });
  it('checks the GitHub/npm CRC-32 format against a known vector', () => {
    assert.equal(base62(crc32('fIkRGaBu5PeKsznMzXQOg3kETH1Sgx'), 6), '2oIfSC');
    assert.ok(hasBase62Crc(ghToken('v1'), 4));
    assert.ok(!hasBase62Crc(ghToken('v1').slice(0, -1) + (ghToken('v1').endsWith('A') ? 'B' : 'A'), 4));
  });
  it('validates JWT and PEM structure', () => {
    const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    assert.ok(isJwt(`${b({ alg: 'RS256' })}.${b({ sub: 'x' })}.${fake('', CHARS.b64url, 40, 'jwt')}`));
    assert.ok(!isJwt(`${b({ alg: 'none' })}.${b({ sub: 'x' })}.${fake('', CHARS.b64url, 40, 'jwt')}`));
    assert.ok(!isJwt(`${b({ typ: 'JWT' })}.${b({ sub: 'x' })}.${fake('', CHARS.b64url, 40, 'jwt')}`));
    assert.ok(isPemBody(fake('', CHARS.b64, 128, 'pb')));
    assert.ok(!isPemBody('...'));
  });
  it('masks PEM blocks by header, passwords to two characters, tokens to 4+4', () => {
    assert.equal(maskSecret(j('-----BEGIN ', 'EC PRIVATE KEY-----\nabc'), 'private-key'), j('-----BEGIN ', 'EC PRIVATE KEY-----…'));
    assert.equal(maskSecret('Tr0ub4dor&3xyz', 'password'), 'T…z');
    assert.equal(maskSecret('short', 'password'), '…');
    assert.equal(maskSecret('abcdefghijklmnopqrst', 'token'), 'abcd…qrst');
  });
  it('derives env var names from variable names', () => {
    assert.equal(envVarFromName('dbPassword'), 'DB_PASSWORD');
    assert.equal(envVarFromName('db.password'), 'DB_PASSWORD');
    assert.equal(envVarFromName('$api_key'), 'API_KEY');
    assert.equal(envVarFromName('X-API-Key'), 'X_API_KEY');
  });
});

describe('detect: generic rules on random values (recall)', () => {
  const contexts: [string, (v: string) => string][] = [
    ['config.yml', (v) => `db:\n  password: ${v}\n`],
    ['settings.py', (v) => `DATABASES = {'default': {'PASSWORD': '${v}'}}\n`],
    ['index.php', (v) => `$db_password = "${v}";\n`],
    ['app.ts', (v) => `const apiKey = "${fake('', CHARS.b62, 16 + v.length, v)}";\n`],
    ['.env', (v) => `AUTH_TOKEN=${fake('', CHARS.b62, 16 + v.length, v)}\n`],
  ];
  for (const [path, ctx] of contexts) {
    it(`finds ≥ 98% of 300 random secrets in ${path}`, () => {
      let found = 0;
      for (let i = 0; i < 300; i++) {
        const v = fake('', CHARS.b62, 8 + (i % 12), `r${i}`) + '!';
        const text = ctx(v);
        const value = /[=:] ?['"]?([^'"\n]+)/.exec(text.slice(text.search(/(?:password|PASSWORD|apiKey|AUTH_TOKEN)/)))![1];
        if (scanText(text, { path }).some((f) => f.category === 'generic' && text.slice(f.start, f.end) === value)) found++;
      }
      assert.ok(found >= 294, `${path}: ${found}/300`);
    });
  }
});
