/**
 * How a hardcoded secret becomes the language's own environment lookup.
 *
 * Given a document, the span of the secret and an environment variable name,
 * `planReplacement` returns the text edits of the Move quick fix: the literal
 * (or, inside a larger string, just the secret part where the language can
 * interpolate or concatenate) replaced by the lookup, plus the import the
 * lookup needs when it is missing. Pure: no I/O, no `vscode`.
 */

export interface TextEdit {
  /** Offsets in the original text, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** How one language reads an environment variable and builds strings. */
interface LanguageStyle {
  /** The lookup, with `NAME` standing for the variable. */
  readonly lookup: string;
  /** Joins string pieces: `+` (most), `.` (PHP); absent when a split is not possible. */
  readonly concat?: string;
  /** Reference syntax for formats that interpolate inside any value (`${NAME}`). */
  readonly inValue?: boolean;
  /** An import the lookup needs. */
  readonly needs?: 'python-os' | 'go-os';
}

const JS: LanguageStyle = { lookup: 'process.env.NAME', concat: '+' };
const CONFIG: LanguageStyle = { lookup: '${NAME}', inValue: true };

/** Built-in defaults by VS Code language id; `hush.replacementTemplates` overrides the lookup. */
export const LANGUAGE_STYLES: Readonly<Record<string, LanguageStyle>> = {
  javascript: JS,
  javascriptreact: JS,
  typescript: JS,
  typescriptreact: JS,
  vue: JS,
  svelte: JS,
  python: { lookup: 'os.environ["NAME"]', concat: '+', needs: 'python-os' },
  go: { lookup: 'os.Getenv("NAME")', concat: '+', needs: 'go-os' },
  java: { lookup: 'System.getenv("NAME")', concat: '+' },
  kotlin: { lookup: 'System.getenv("NAME")', concat: '+' },
  scala: { lookup: 'sys.env("NAME")', concat: '+' },
  groovy: { lookup: 'System.getenv("NAME")', concat: '+' },
  csharp: { lookup: 'Environment.GetEnvironmentVariable("NAME")', concat: '+' },
  ruby: { lookup: 'ENV["NAME"]', concat: '+' },
  php: { lookup: "getenv('NAME')", concat: '.' },
  rust: { lookup: 'std::env::var("NAME").expect("NAME is not set")' },
  swift: { lookup: 'ProcessInfo.processInfo.environment["NAME"]!', concat: '+' },
  c: { lookup: 'getenv("NAME")' },
  cpp: { lookup: 'std::getenv("NAME")' },
  powershell: { lookup: '$env:NAME', concat: '+' },
  shellscript: { lookup: '${NAME}', inValue: true },
  dotenv: CONFIG,
  yaml: CONFIG,
  dockercompose: CONFIG,
  properties: CONFIG,
  'java-properties': CONFIG,
  ini: CONFIG,
  toml: CONFIG,
  json: CONFIG,
  jsonc: CONFIG,
  xml: CONFIG,
  terraform: { lookup: 'var.NAME' },
  plaintext: CONFIG,
};

/** Environment variable names the lookups accept: shell-safe, so every template stays valid. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ReplacementRequest {
  readonly languageId: string;
  readonly text: string;
  /** Span of the secret. */
  readonly start: number;
  readonly end: number;
  readonly envVar: string;
  /** Per-language lookup overrides (`hush.replacementTemplates`), `NAME` as the variable. */
  readonly templates?: Readonly<Record<string, string>>;
}

export interface ReplacementPlan {
  readonly edits: TextEdit[];
  /** What the literal became, for the user's confirmation message. */
  readonly lookup: string;
  /**
   * The span whose text must be stored as the secret value: the secret itself,
   * or the whole string's content when the language cannot splice a lookup
   * into it (then the lookup stands for the whole string).
   */
  readonly valueStart: number;
  readonly valueEnd: number;
}

export function lookupFor(languageId: string, envVar: string, templates: Readonly<Record<string, string>> = {}): string {
  const template = templates[languageId] ?? styleOf(languageId).lookup;
  return template.replace(/NAME/g, envVar);
}

function styleOf(languageId: string): LanguageStyle {
  return LANGUAGE_STYLES[languageId] ?? CONFIG;
}

export function planReplacement(req: ReplacementRequest): ReplacementPlan {
  if (!ENV_VAR_NAME.test(req.envVar)) {
    throw new Error(`'${req.envVar}' is not a valid environment variable name: use letters, digits and _ (not first).`);
  }
  if (req.start < 0 || req.end > req.text.length || req.start >= req.end) {
    throw new Error('The secret span is outside the document; the document changed. Run the quick fix again.');
  }
  const style = styleOf(req.languageId);
  const lookup = lookupFor(req.languageId, req.envVar, req.templates);
  const edits: TextEdit[] = [];
  const literal = enclosingStringLiteral(req.text, req.start, req.end);
  let value = { start: req.start, end: req.end };

  if (style.inValue || req.languageId === 'shellscript') {
    // Config formats and shell: `${NAME}` works inside a value or a double-quoted string.
    if (literal && literal.quote === "'" && req.languageId === 'shellscript') {
      // Single quotes do not expand: close, insert a double-quoted reference, reopen.
      edits.push({ start: req.start, end: req.end, newText: `'"${lookup}"'` });
    } else {
      edits.push({ start: req.start, end: req.end, newText: lookup });
    }
  } else if (!literal) {
    // A bare token (e.g. a number-like value): replace it alone.
    edits.push({ start: req.start, end: req.end, newText: lookup });
  } else if (literal.contentStart === req.start && literal.contentEnd === req.end) {
    // The whole string is the secret: the lookup replaces the literal, quotes and prefix included.
    edits.push({ start: literal.start, end: literal.end, newText: lookup });
  } else {
    const split = splitLiteral(req, literal, style, lookup);
    if (split) edits.push(split);
    else {
      // No safe way to splice into this literal: the lookup stands for the whole string.
      edits.push({ start: literal.start, end: literal.end, newText: lookup });
      value = { start: literal.contentStart, end: literal.contentEnd };
    }
  }

  const importEdit = style.needs ? importFor(style.needs, req.text) : undefined;
  if (importEdit) edits.push(importEdit);
  return { edits: edits.sort((a, b) => a.start - b.start), lookup, valueStart: value.start, valueEnd: value.end };
}

/** The secret sits inside a larger string: keep the rest, put the lookup in the middle. */
function splitLiteral(
  req: ReplacementRequest,
  lit: StringLiteral,
  style: LanguageStyle,
  lookup: string,
): TextEdit | undefined {
  const isJs = style === JS;
  if (isJs && lit.quote === '`') {
    return { start: req.start, end: req.end, newText: `\${${lookup}}` };
  }
  if (req.languageId === 'python' && /f/i.test(lit.prefix)) {
    const inner = lit.quote.startsWith('"') ? lookup.replace(/"/g, "'") : lookup.replace(/'/g, '"');
    return { start: req.start, end: req.end, newText: `{${inner}}` };
  }
  if (req.languageId === 'ruby' && lit.quote === '"') {
    return { start: req.start, end: req.end, newText: `#{${lookup}}` };
  }
  if (style.concat && lit.prefix === '' && lit.quote.length === 1) {
    // "before" + lookup + "after": both halves keep their escapes, since the quote style is unchanged.
    const q = lit.quote;
    const parts: string[] = [];
    if (req.start > lit.contentStart) parts.push(`${q}${req.text.slice(lit.contentStart, req.start)}${q}`);
    parts.push(lookup);
    if (req.end < lit.contentEnd) parts.push(`${q}${req.text.slice(req.end, lit.contentEnd)}${q}`);
    return { start: lit.start, end: lit.end, newText: parts.join(` ${style.concat} `) };
  }
  return undefined;
}

export interface StringLiteral {
  /** Offsets of the literal including prefix and quotes. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the content between the quotes. */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** The opening quote: `"`, `'`, `` ` ``, or a triple quote. */
  readonly quote: string;
  /** Letters before the quote (`f`, `r`, `b`, `@`, `$`…). */
  readonly prefix: string;
}

/**
 * The single-line (or triple-quoted / template) string literal that contains
 * the span, found by tokenising quotes from the start of the span's first
 * line; undefined when the span is not inside one.
 */
export function enclosingStringLiteral(text: string, start: number, end: number): StringLiteral | undefined {
  let i = text.lastIndexOf('\n', start - 1) + 1;
  while (i < start) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') return undefined; // a line comment before the span
    if (c === '#' && i > 0 && /\s/.test(text[i - 1] ?? ' ') && !isQuote(text[i + 1])) {
      // `#` comments (Python, shell, YAML, Ruby); a `#` inside a string is consumed below.
      return undefined;
    }
    if (!isQuote(c)) {
      i++;
      continue;
    }
    const triple = (c === '"' || c === "'") && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    const contentStart = i + triple.length;
    const close = findClose(text, contentStart, triple);
    if (close === -1) return undefined;
    if (contentStart <= start && end <= close) {
      let p = i;
      while (p > 0 && /[A-Za-z@$]/.test(text[p - 1])) p--;
      return { start: p, end: close + triple.length, contentStart, contentEnd: close, quote: triple, prefix: text.slice(p, i) };
    }
    i = close + triple.length;
  }
  return undefined;
}

function isQuote(c: string | undefined): c is string {
  return c === '"' || c === "'" || c === '`';
}

/** Index of the closing quote, honouring backslash escapes; -1 if the string does not close. */
function findClose(text: string, from: number, quote: string): number {
  const multiLine = quote.length === 3 || quote === '`';
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '\n' && !multiLine) return -1;
    if (text.startsWith(quote, j)) return j;
  }
  return -1;
}

/** The import a lookup needs, or undefined when the file has it. */
function importFor(kind: 'python-os' | 'go-os', text: string): TextEdit | undefined {
  if (kind === 'python-os') {
    if (/^\s*import\s+(?:[\w.]+\s*,\s*)*os\b/m.test(text) || /^\s*import\s+os\s+as\s+\w+/m.test(text)) return undefined;
    const at = pythonImportPoint(text);
    return { start: at, end: at, newText: 'import os\n' };
  }
  // Go: add "os" to the import block, or after the package clause.
  if (/^\s*import\s+(?:\(\s*(?:[^)]*\s)?)?"os"/m.test(text)) return undefined;
  const block = /^import\s*\(\s*\n/m.exec(text);
  if (block) {
    const at = block.index + block[0].length;
    return { start: at, end: at, newText: '\t"os"\n' };
  }
  const pkg = /^package\s+\w+[^\n]*\n/m.exec(text);
  const at = pkg ? pkg.index + pkg[0].length : 0;
  return { start: at, end: at, newText: '\nimport "os"\n' };
}

/** After a shebang, encoding line, module docstring and `from __future__` imports. */
function pythonImportPoint(text: string): number {
  let at = 0;
  const skip = (re: RegExp): boolean => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m && m.index === at) {
      at += m[0].length;
      return true;
    }
    return false;
  };
  skip(/#![^\n]*\n/y);
  skip(/#[^\n]*coding[:=][^\n]*\n/y);
  skip(/[ \t]*\n/y);
  skip(/(?:[rRuU]?)("""[\s\S]*?"""|'''[\s\S]*?''')[^\n]*\n/y);
  while (skip(/from\s+__future__\s+import[^\n]*\n/y));
  return at;
}
