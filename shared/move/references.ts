/**
 * Environment lookups in code and config: the places a moved secret is read
 * (`process.env.DB_PASSWORD`, `os.environ["DB_PASSWORD"]`, `${DB_PASSWORD}`…).
 * The server uses them for hovers, completion and missing-secret warnings.
 */

export interface EnvReference {
  readonly name: string;
  /** Offsets of the variable name itself. */
  readonly start: number;
  readonly end: number;
}

const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const Q = `["'\`]`;

/** One alternation per language family; the name is always the first group that matched. */
const LOOKUPS = new RegExp(
  [
    `process\\.env\\.${NAME}`, // JS/TS
    `process\\.env\\[\\s*${Q}${NAME}${Q}\\s*\\]`,
    `import\\.meta\\.env\\.${NAME}`,
    `os\\.environ\\[\\s*${Q}${NAME}${Q}\\s*\\]`, // Python
    `os\\.environ\\.get\\(\\s*${Q}${NAME}${Q}`,
    `os\\.getenv\\(\\s*${Q}${NAME}${Q}`,
    `os\\.Getenv\\(\\s*"${NAME}"`, // Go
    `os\\.LookupEnv\\(\\s*"${NAME}"`,
    `System\\.getenv\\(\\s*"${NAME}"`, // Java, Kotlin
    `sys\\.env\\(\\s*"${NAME}"`, // Scala
    `Environment\\.GetEnvironmentVariable\\(\\s*"${NAME}"`, // C#
    `ENV\\[\\s*${Q}${NAME}${Q}\\s*\\]`, // Ruby
    `ENV\\.fetch\\(\\s*${Q}${NAME}${Q}`,
    `getenv\\(\\s*${Q}${NAME}${Q}`, // PHP, C
    `env::var\\(\\s*"${NAME}"`, // Rust
    `\\$env:${NAME}`, // PowerShell
    `\\$\\{${NAME}(?::?[-?=+][^}]*)?\\}`, // shell, compose, config: ${NAME}, ${NAME:-x}
    `(?<![\\w$])\\$([A-Z_][A-Z0-9_]*)\\b`, // shell: $NAME (upper case: PHP and PowerShell variables are not env reads)
  ].join('|'),
  'g',
);

export function findEnvReferences(text: string): EnvReference[] {
  const out: EnvReference[] = [];
  for (const m of text.matchAll(LOOKUPS)) {
    const gi = m.findIndex((g, i) => i > 0 && g !== undefined);
    if (gi < 1) continue;
    const name = m[gi];
    const start = (m.index ?? 0) + m[0].lastIndexOf(name);
    out.push({ name, start, end: start + name.length });
  }
  return out;
}

/**
 * Whether the text before the cursor is an unfinished lookup, so that
 * completion should offer variable names: `process.env.`, `os.environ["`,
 * `${`, `getenv('`…; returns the partial name typed so far.
 */
export function lookupPrefixAt(lineBefore: string): string | undefined {
  const m =
    /(?:process\.env\.|import\.meta\.env\.|\$\{|\$env:|(?:process\.env|os\.environ|ENV)\[\s*["'`]|(?:os\.environ\.get|os\.getenv|os\.Getenv|os\.LookupEnv|System\.getenv|sys\.env|Environment\.GetEnvironmentVariable|ENV\.fetch|getenv|env::var)\(\s*["'`])([A-Za-z0-9_]*)$/.exec(
      lineBefore,
    );
  return m ? m[1] : undefined;
}
