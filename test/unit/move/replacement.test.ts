import * as assert from 'node:assert/strict';
import { enclosingStringLiteral, planReplacement, TextEdit } from '../../../shared/move/replacement';

// A made-up secret; the shape does not matter to the planner.
const S = 'Zq9xW2vP7kL4mN8r';

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function move(languageId: string, text: string, envVar = 'DB_PASSWORD', templates?: Record<string, string>): string {
  const start = text.indexOf(S);
  assert.ok(start >= 0, 'fixture holds the secret');
  const plan = planReplacement({ languageId, text, start, end: start + S.length, envVar, templates });
  return apply(text, plan.edits);
}

describe('moving a literal: the replacement planner', () => {
  it('replaces a whole string literal with the lookup, per language', () => {
    assert.equal(move('typescript', `const p = "${S}";`), 'const p = process.env.DB_PASSWORD;');
    assert.equal(move('javascript', `const p = '${S}';`), 'const p = process.env.DB_PASSWORD;');
    assert.equal(move('java', `String p = "${S}";`), 'String p = System.getenv("DB_PASSWORD");');
    assert.equal(move('csharp', `var p = @"${S}";`), 'var p = Environment.GetEnvironmentVariable("DB_PASSWORD");');
    assert.equal(move('ruby', `p = '${S}'`), 'p = ENV["DB_PASSWORD"]');
    assert.equal(move('php', `$p = "${S}";`), "$p = getenv('DB_PASSWORD');");
    assert.equal(move('rust', `let p = "${S}";`), 'let p = std::env::var("DB_PASSWORD").expect("DB_PASSWORD is not set");');
  });

  it('adds `import os` in Python when missing, after docstring and __future__ imports', () => {
    const src = `"""Settings."""\nfrom __future__ import annotations\nPASSWORD = "${S}"\n`;
    assert.equal(
      move('python', src),
      `"""Settings."""\nfrom __future__ import annotations\nimport os\nPASSWORD = os.environ["DB_PASSWORD"]\n`,
    );
    assert.equal(move('python', `import sys, os\nP = '${S}'\n`), `import sys, os\nP = os.environ["DB_PASSWORD"]\n`);
  });

  it('adds "os" to Go imports when missing', () => {
    assert.equal(
      move('go', `package main\n\nimport (\n\t"fmt"\n)\n\nvar p = "${S}"\n`),
      `package main\n\nimport (\n\t"os"\n\t"fmt"\n)\n\nvar p = os.Getenv("DB_PASSWORD")\n`,
    );
    assert.equal(move('go', `package main\nvar p = "${S}"\n`), `package main\n\nimport "os"\nvar p = os.Getenv("DB_PASSWORD")\n`);
    assert.equal(move('go', `package main\nimport "os"\nvar p = "${S}"\n`), `package main\nimport "os"\nvar p = os.Getenv("DB_PASSWORD")\n`);
  });

  it('splices the lookup into a larger string where the language can', () => {
    const url = (q: string) => `${q}postgres://app:${S}@db/prod${q}`;
    assert.equal(move('typescript', `const u = ${url('"')};`), `const u = "postgres://app:" + process.env.DB_PASSWORD + "@db/prod";`);
    assert.equal(move('typescript', `const u = ${url('`')};`), 'const u = `postgres://app:${process.env.DB_PASSWORD}@db/prod`;');
    assert.equal(move('python', `import os\nu = f${url('"')}\n`), `import os\nu = f"postgres://app:{os.environ['DB_PASSWORD']}@db/prod"\n`);
    assert.equal(move('ruby', `u = ${url('"')}`), 'u = "postgres://app:#{ENV["DB_PASSWORD"]}@db/prod"');
    assert.equal(move('php', `$u = ${url("'")};`), "$u = 'postgres://app:' . getenv('DB_PASSWORD') . '@db/prod';");
  });

  it('replaces the whole string when it cannot splice, and says the whole string is the value', () => {
    const text = `let u = "postgres://app:${S}@db";`;
    const start = text.indexOf(S);
    const plan = planReplacement({ languageId: 'rust', text, start, end: start + S.length, envVar: 'DATABASE_URL' });
    assert.equal(apply(text, plan.edits), 'let u = std::env::var("DATABASE_URL").expect("DATABASE_URL is not set");');
    assert.equal(text.slice(plan.valueStart, plan.valueEnd), `postgres://app:${S}@db`);
  });

  it('uses ${NAME} in config formats and keeps quoting valid', () => {
    assert.equal(move('dotenv', `DB_PASSWORD=${S}\n`), 'DB_PASSWORD=${DB_PASSWORD}\n');
    assert.equal(move('yaml', `password: "${S}"\n`), 'password: "${DB_PASSWORD}"\n');
    assert.equal(move('json', `{"password": "${S}"}`), '{"password": "${DB_PASSWORD}"}');
    assert.equal(move('shellscript', `export P="${S}"`), 'export P="${DB_PASSWORD}"');
    assert.equal(move('shellscript', `curl -u 'me:${S}' x`), `curl -u 'me:'"\${DB_PASSWORD}"'' x`);
  });

  it('honours per-language templates from settings', () => {
    assert.equal(
      move('typescript', `const p = "${S}";`, 'API_KEY', { typescript: 'config.require("NAME")' }),
      'const p = config.require("API_KEY");',
    );
  });

  it('refuses a bad variable name and a stale span with a clear error', () => {
    assert.throws(() => planReplacement({ languageId: 'go', text: 'x', start: 0, end: 1, envVar: '1BAD' }), /not a valid environment variable name/);
    assert.throws(() => planReplacement({ languageId: 'go', text: 'x', start: 0, end: 9, envVar: 'OK' }), /document changed/);
  });

  it('finds the enclosing literal past escaped quotes and earlier strings', () => {
    const text = `call("a\\"b", "x${S}y")`;
    const lit = enclosingStringLiteral(text, text.indexOf(S), text.indexOf(S) + S.length);
    assert.ok(lit);
    assert.equal(text.slice(lit.contentStart, lit.contentEnd), `x${S}y`);
    assert.equal(enclosingStringLiteral(`p = ${S}`, 4, 4 + S.length), undefined);
  });
});
