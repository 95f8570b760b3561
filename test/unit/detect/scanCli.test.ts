/** `hush scan` end to end through runScanCommand: formats, exit codes, baselines, skipped files, --staged. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fileURLToPath } from 'node:url';
import { ruleHelp } from '../../../cli/sarif';
import { runRulesCommand, runScanCommand } from '../../../cli/scan';
import { RULES } from '../../../shared/detect/rules';
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

/**
 * The full SARIF 2.1.0 schema Microsoft ships on npm (test/support/sarif/SOURCE.md), checked against its
 * recorded hash, formats included. Returns the errors, or undefined when the document is valid.
 * `unicodeRegExp: false`: the schema's `language` pattern has a stray `]`, valid only outside unicode mode.
 */
function sarifValidator(): (doc: unknown) => string | undefined {
  const file = path.join(__dirname, '..', '..', '..', '..', 'test', 'support', 'sarif', 'sarif-2.1.0-rtm.5.json');
  const bytes = fs.readFileSync(file);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), '2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8', 'the vendored schema changed');
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(bytes.toString('utf8')));
  return (doc) => (validate(doc) ? undefined : JSON.stringify(validate.errors, null, 2));
}

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

  it('sarif: valid against the whole SARIF 2.1.0 schema; every rule has a full description and help', () => {
    const r = run(['--sarif'], root);
    const sarif = JSON.parse(r.out);
    const invalid = sarifValidator();
    assert.equal(invalid(sarif), undefined);
    const res = sarif.runs[0].results;
    assert.equal(res.length, 2);
    assert.equal(sarif.runs[0].tool.driver.rules[res[0].ruleIndex].id, res[0].ruleId);
    assert.deepEqual(res[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 23, endLine: 1, endColumn: 23 + TOKEN.length });
    for (const rule of sarif.runs[0].tool.driver.rules) {
      assert.ok(rule.fullDescription.text.length > 40, rule.id);
      assert.match(rule.help.text, /What it is: .*\n\nWhy it matters: .*\n\nHow to fix it with Hush:\n1\. /s, rule.id);
      assert.match(rule.help.markdown, /\*\*How to fix it with Hush\*\*/);
      assert.match(rule.help.markdown, /`hush secrets create myapp\/[A-Z_]+`/);
      assert.match(rule.help.text, /Move to Secrets Manager/);
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
      assert.ok(rule.properties.tags.includes('security'));
    }
    assert.ok(!r.out.includes(TOKEN));
    // Breaking the document is caught: the validator is the whole schema, not a shape check.
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.match(invalid(broken) ?? '', /startLine/);
  });

  it('sarif: artifact URIs are encoded, so # % space and non-ASCII in a path come back as the same path', () => {
    const name = 'we#ird 100%/ünï #2.ts';
    fs.mkdirSync(path.join(root, 'we#ird 100%'));
    fs.writeFileSync(path.join(root, name), `export const token = "${TOKEN}";\n`);
    fs.writeFileSync(path.join(root, 'we#ird 100%', 'b%41.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0xff, 0xfe]));
    const sarif = JSON.parse(run(['--sarif', 'we#ird 100%'], root).out);
    assert.equal(sarifValidator()(sarif), undefined);
    const uri = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri as string;
    assert.equal(uri, 'we%23ird%20100%25/%C3%BCn%C3%AF%20%232.ts');
    // Resolved against SRCROOT as a consumer does, the URI names the file.
    const base = sarif.runs[0].originalUriBaseIds.SRCROOT.uri as string;
    assert.equal(fileURLToPath(new URL(uri, base)), path.join(fs.realpathSync(root), name));
    const skipped = sarif.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri as string;
    assert.equal(decodeURIComponent(skipped), 'we#ird 100%/b%41.png');
  });

  it('sarif: the help of every built-in rule names the variable and the Hush commands', () => {
    for (const rule of RULES) {
      const h = ruleHelp(rule);
      assert.ok(h.full.includes(rule.title), rule.id);
      assert.ok(h.text.includes(rule.envVar) && h.markdown.includes(`\`${rule.envVar}\``), rule.id);
      assert.ok(h.text.includes("'hush run -- <command>'") && h.markdown.includes('`hush import .env`'), rule.id);
    }
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
