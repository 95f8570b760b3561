/** `hush scan` end to end through runScanCommand: formats, exit codes, baselines, skipped files, --staged. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { runRulesCommand, runScanCommand } from '../../../cli/scan';
import { base62, crc32 } from '../../../shared/detect/checksums';
import { CHARS, fake } from '../../../shared/detect/rules/examples';
import { tree } from './tmpTree';

function run(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runScanCommand(args, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

const body = fake('', CHARS.b62, 30, 'cli');
const TOKEN = ['gh', 'p_', body, base62(crc32(body), 6)].join('');
const PW = fake('', CHARS.b62, 12, 'clipw') + '!2';

/** The parts of the SARIF 2.1.0 schema a consumer (GitHub code scanning) relies on. */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { type: 'object', required: ['text'] },
                        defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        properties: {
                          artifactLocation: { type: 'object', properties: { uri: { type: 'string', format: 'uri-reference' }, uriBaseId: { type: 'string' } } },
                          region: {
                            type: 'object',
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                              endLine: { type: 'integer', minimum: 1 },
                              endColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
};

describe('hush scan (cli/scan.ts)', () => {
  let root: string;
  beforeEach(() => {
    root = tree({
      'src/config.ts': `export const token = "${TOKEN}";\nexport const dbPassword = "${PW}";\n`,
      'src/clean.ts': 'export const answer = 42;\n',
      'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
      'package-lock.json': `{"token": "${TOKEN}"}`,
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('text: file:line:col, rule, masked value; exit 1; never the secret', () => {
    const r = run([], root);
    assert.equal(r.code, 1);
    assert.match(r.out, /^src\/config\.ts:1:23 {2}github-pat {2}GitHub personal access token \(ghp_…\w{4}\) is hardcoded$/m);
    assert.match(r.out, /src\/config\.ts:2:28 {2}generic-password/);
    assert.ok(!r.out.includes(TOKEN) && !r.err.includes(TOKEN) && !r.out.includes(PW));
    assert.match(r.err, /2 hardcoded credential\(s\) in 1 file\(s\); 2 file\(s\) scanned, 2 skipped \((binary 1, lockfile 1|lockfile 1, binary 1)\)/);
  });

  it('exit 0 on a clean tree and with --exit-zero; exit 2 on errors', () => {
    assert.equal(run(['src/clean.ts'], root).code, 0);
    assert.equal(run(['--exit-zero'], root).code, 0);
    assert.equal(run(['missing'], root).code, 2);
    assert.equal(run(['--format', 'xml'], root).code, 2);
    assert.equal(run(['--bogus'], root).code, 2);
    fs.writeFileSync(path.join(root, 'bad.json'), '{');
    const r = run(['--baseline', 'bad.json'], root);
    assert.equal(r.code, 2);
    assert.match(r.err, /not valid JSON/);
  });

  it('json: findings with masked values and fingerprints, skipped files with reasons', () => {
    const r = run(['--json'], root);
    const doc = JSON.parse(r.out) as {
      findings: { ruleId: string; masked: string; fingerprint: string; line: number; evidence: { basis: string[]; checksum?: string; name?: string; entropyFloor?: number }; why: string }[];
      skipped: { file: string; reason: string }[];
      scanned: number;
    };
    assert.deepEqual(doc.findings.map((f) => f.ruleId), ['github-pat', 'generic-password']);
    // Each finding says which rule and which evidence made it.
    assert.deepEqual(doc.findings[0].evidence.basis, ['checksum', 'prefix']);
    assert.equal(doc.findings[0].evidence.checksum, 'valid');
    assert.match(doc.findings[0].why, /^rule `github-pat` · embedded checksum verifies · token prefix `ghp_`/);
    assert.deepEqual(doc.findings[1].evidence.basis, ['name', 'entropy']);
    assert.equal(doc.findings[1].evidence.entropyFloor, 2);
    assert.match(doc.findings[1].why, /assigned to `\w+` · entropy \d\.\d bits\/char \(floor 2\)/);
    assert.deepEqual(doc.skipped.map((s) => [s.file, s.reason]).sort(), [['assets/logo.png', 'binary'], ['package-lock.json', 'lockfile']]);
    assert.equal(doc.scanned, 2);
    assert.ok(!r.out.includes(TOKEN) && !r.out.includes(PW));
  });

  it('sarif: valid against the SARIF 2.1.0 subset consumers rely on', () => {
    const r = run(['--sarif'], root);
    const sarif = JSON.parse(r.out);
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const ok = ajv.validate(SARIF_SUBSET, sarif);
    assert.ok(ok, JSON.stringify(ajv.errors));
    const res = sarif.runs[0].results;
    assert.equal(res.length, 2);
    assert.equal(sarif.runs[0].tool.driver.rules[res[0].ruleIndex].id, res[0].ruleId);
    assert.deepEqual(res[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 23, endLine: 1, endColumn: 23 + TOKEN.length });
    assert.ok(!r.out.includes(TOKEN));
  });

  it('--baseline-write then --baseline: accepted findings are not reported; new ones are', () => {
    const w = run(['--baseline-write', '.hush-baseline.json'], root);
    assert.equal(w.code, 0);
    const text = fs.readFileSync(path.join(root, '.hush-baseline.json'), 'utf8');
    assert.ok(!text.includes(TOKEN) && !text.includes(PW));
    // Move the findings down a few lines: still baselined.
    const cfg = path.join(root, 'src/config.ts');
    fs.writeFileSync(cfg, '// header\n\n' + fs.readFileSync(cfg, 'utf8'));
    const again = run(['--baseline', '.hush-baseline.json'], root);
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.err, /2 in baseline/);
    const other = ['gh', 'p_', fake('', CHARS.b62, 36, 'new')].join('');
    fs.appendFileSync(cfg, `export const t2 = "${other}";\n`);
    const third = run(['--baseline', '.hush-baseline.json', '--json'], root);
    assert.equal(third.code, 1);
    assert.equal(JSON.parse(third.out).findings.length, 1);
  });

  it('--no-gitignore scans what .gitignore hides; .hushignore always applies', () => {
    fs.writeFileSync(path.join(root, '.gitignore'), 'src/\n');
    assert.equal(run([], root).code, 0);
    assert.equal(run(['--no-gitignore'], root).code, 1);
    fs.writeFileSync(path.join(root, '.hushignore'), 'src/config.ts\n');
    assert.equal(run(['--no-gitignore'], root).code, 0);
  });

  it('--staged scans the git index, not the working tree', function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const git = (...a: string[]): void => {
      const r = spawnSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...a], { cwd: root });
      assert.equal(r.status, 0, r.stderr?.toString());
    };
    git('init', '-q');
    git('add', 'src/clean.ts');
    assert.equal(run(['--staged'], root).code, 0);
    git('add', 'src/config.ts');
    const r = run(['--staged', '--json'], root);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.out).findings.map((f: { file: string }) => f.file), ['src/config.ts', 'src/config.ts']);
    // Fix the working tree but not the index: still blocked.
    fs.writeFileSync(path.join(root, 'src/config.ts'), 'export {};\n');
    assert.equal(run(['--staged'], root).code, 1);
  });
});

describe('hush scan: user rules file and hush rules', () => {
  it('loads .hush/rules.json, reports its errors by rule, keeps scanning', () => {
    const key = fake('acme_', CHARS.lower + CHARS.digits, 32, 'acme2');
    const root = tree({
      '.hush/rules.json': JSON.stringify({ rules: [{ id: 'acme-api-key', regex: '(acme_[a-z0-9]{32})', keywords: ['acme_'] }, { id: 'broken', regex: '(', keywords: ['x'] }] }),
      'a.ts': `const k = "${key}";\n`,
    });
    try {
      const r = run(['--json'], root);
      assert.equal(r.code, 1);
      assert.deepEqual(JSON.parse(r.out).findings.map((f: { ruleId: string }) => f.ruleId), ['acme-api-key']);
      assert.match(r.err, /rule 'broken': regex does not compile/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  it('hush rules --json lists every rule', () => {
    let out = '';
    const code = runRulesCommand(['--json'], { out: (s) => (out += s), err: () => undefined, cwd: '.' });
    assert.equal(code, 0);
    assert.ok(JSON.parse(out).rules.length >= 150);
  });
});
