/**
 * User-supplied regexes (`.hush/rules.json`, settings) run on a linear-time
 * engine, never on V8's backtracking one: a rule file from a cloned
 * repository must not be able to freeze the language server or a CI scan
 * (`(a|aa)*b(c)` takes V8 tens of seconds on a 40-character line).
 *
 * The engine is re2js (npm `re2js`): a pure-JavaScript port of RE2 — no
 * native module, no WASM, so it loads in Node 20, Node 24 and Electron
 * alike. It matches in time linear in the input for every pattern it
 * accepts, and refuses what RE2 cannot do in linear time (backreferences,
 * lookahead); captureless lookbehind is supported in linear time.
 *
 * `LinearRegExp` is a `RegExp` whose `exec` (and so `test`, `match`,
 * `matchAll`, `replace`, `split`, which all go through `exec`) runs on
 * re2js. The native pattern is only compiled, never run, so the source must
 * be valid in both syntaxes; built-in rules keep V8's engine.
 */
import { RE2JS } from 're2js';

/** Longest user pattern accepted: the work per character grows with the pattern's size. */
export const MAX_PATTERN_LENGTH = 2000;
/** Largest compiled program accepted (RE2's own measure of a pattern's cost). */
const MAX_PROGRAM_SIZE = 5000;

export class LinearRegExp extends RegExp {
  private readonly re2: RE2JS;

  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    const f = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    super(source, f);
    this.re2 = compileLinear(source, f);
  }

  /** Number of capture groups. */
  get groupCount(): number {
    return this.re2.groupCount();
  }

  static override get [Symbol.species](): RegExpConstructor {
    return LinearRegExp as unknown as RegExpConstructor;
  }

  override exec(input: string): RegExpExecArray | null {
    const s = String(input);
    const global = this.global || this.sticky;
    const from = global ? this.lastIndex : 0;
    if (from > s.length) {
      this.lastIndex = 0;
      return null;
    }
    const m = this.re2.matcher(s);
    if (!m.find(from) || (this.sticky && m.start(0) !== from)) {
      if (global) this.lastIndex = 0;
      return null;
    }
    const n = m.groupCount();
    const out: string[] = [];
    const indices: ([number, number] | undefined)[] = [];
    for (let g = 0; g <= n; g++) {
      const st = m.start(g);
      if (st < 0) {
        out.push(undefined as unknown as string);
        indices.push(undefined);
      } else {
        const en = m.end(g);
        out.push(s.slice(st, en));
        indices.push([st, en]);
      }
    }
    const result = out as unknown as RegExpExecArray & { indices: RegExpIndicesArray };
    result.index = m.start(0);
    result.input = s;
    result.indices = indices as unknown as RegExpIndicesArray;
    if (global) this.lastIndex = m.end(0);
    return result;
  }
}

/**
 * Compiles `source` (JavaScript syntax) for re2js, or throws an Error whose
 * message says what is not supported and how to write it instead.
 */
export function compileLinear(source: string, flags: string): RE2JS {
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`is ${source.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
  const bad = /\\[1-9]|\\k<|\(\?[=!]/.exec(source);
  if (bad)
    throw new Error(
      `uses '${bad[0]}' (${bad[0].startsWith('(') ? 'lookahead' : 'a backreference'}), which a linear-time engine cannot run; ` +
        'match the surrounding text instead, or check it with "entropy"',
    );
  let f = RE2JS.LOOKBEHINDS;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), f);
  } catch (e) {
    throw new Error(`is not supported by the linear-time engine (RE2 syntax): ${(e as Error).message}`);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) throw new Error(`is too large for the linear-time engine (${re.programSize()} instructions; the limit is ${MAX_PROGRAM_SIZE}); use fewer or smaller repetitions`);
  return re;
}
