/**
 * Reading a dotenv file exactly, for `hush import` (which moves its values
 * and rewrites the file) and `hush run --env-file-compat` (which loads it).
 *
 * The values are what the `dotenv` package computes (the parser most tools
 * load .env files with: multi-line quoted values, `export` prefixes,
 * comments, single, double and backtick quotes; `\n` expanded in double
 * quotes only). On top of it this module finds where each entry starts and
 * ends, because import must take a whole multi-line value out of the file,
 * and it refuses, naming the line, anything it cannot read exactly:
 *
 * - a line that is not `KEY=value`, a comment or blank;
 * - a quote that never closes;
 * - an entry that reads differently in dotenv and in Node's own
 *   `--env-file` parser (`util.parseEnv`, when this Node has it): text after
 *   a closing quote, escaped quotes, and the like;
 * - any disagreement between the entry read alone and the whole file read
 *   at once.
 *
 * Errors name the file, the line and the key, never the value.
 */
import * as util from 'node:util';
import { parse as dotenvParse } from 'dotenv';
import { HushError } from '../shared/errors';

export interface DotenvEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line where the entry starts, and the line where its value ends (a quoted value may span lines). */
  readonly line: number;
  readonly endLine: number;
}

export interface DotenvFile {
  /** Every entry in file order, duplicates included. */
  readonly entries: readonly DotenvEntry[];
  /** The value each key gets when the file is loaded (the last entry wins, as in dotenv and node). */
  readonly values: Readonly<Record<string, string>>;
  /** Keys set more than once, with the lines that set them. */
  readonly duplicates: readonly { key: string; lines: number[] }[];
  /** The file's lines, each with its own line ending, so a rewrite keeps what it does not change. */
  readonly lines: readonly string[];
}

const ENTRY_START = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*/;
const QUOTES = new Set(['"', "'", '`']);

/** Node's own dotenv parser (Node ≥ 20.12), the second reading every entry must agree with. */
const nodeParseEnv = (util as { parseEnv?: (text: string) => Record<string, string> }).parseEnv;

/** Splits text into lines that keep their endings (`\n`, `\r\n`, or none on the last). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      if (start < text.length) out.push(text.slice(start));
      return out;
    }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

const stripEol = (l: string): string => l.replace(/\r?\n$/, '');

/** Reads a dotenv file's text. `file` names it in errors. */
export function readDotenv(text: string, file: string): DotenvFile {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const lines = splitLines(body);
  const fail = (line: number, what: string): never => {
    throw new HushError('InvalidArgument', `${file} line ${line}: ${what}. Nothing was taken from the file; fix the line and try again.`);
  };
  const entries: DotenvEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = stripEol(lines[i]!);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = ENTRY_START.exec(line);
    if (!m) fail(i + 1, 'not KEY=value, a comment or a blank line');
    const key = m![1]!;
    const rest = line.slice(m![0].length);
    let end = i;
    const q = rest[0];
    if (q !== undefined && QUOTES.has(q)) {
      // The value ends at the first matching quote followed by nothing but blanks or a comment, maybe lines below.
      end = -1;
      let textAfterQuote = false;
      for (let j = i, from = m![0].length + 1; j < lines.length; j++, from = 0) {
        const l = stripEol(lines[j]!);
        let at = l.indexOf(q, from);
        while (at !== -1 && !/^[ \t]*(?:#.*)?$/.test(l.slice(at + 1))) {
          textAfterQuote = true;
          at = l.indexOf(q, at + 1);
        }
        if (at !== -1) {
          end = j;
          break;
        }
      }
      if (end === -1) {
        fail(i + 1, textAfterQuote ? `the value of ${key} has text after its closing ${q} quote` : `the value of ${key} opens a ${q} quote that never closes`);
      }
    }
    const chunk = lines.slice(i, end + 1).join('');
    const value = exactValue(chunk, key, (what) => fail(i + 1, what));
    entries.push({ key, value, line: i + 1, endLine: end + 1 });
    i = end;
  }

  const values: Record<string, string> = {};
  const seen = new Map<string, number[]>();
  for (const e of entries) {
    values[e.key] = e.value;
    seen.set(e.key, [...(seen.get(e.key) ?? []), e.line]);
  }
  // The whole file, read at once by both parsers, must say the same as the entries read one by one.
  const whole = [['dotenv', dotenvParse(body)], ...(nodeParseEnv ? [['node --env-file', nodeParseEnv(body)] as const] : [])] as const;
  for (const [who, parsed] of whole) {
    for (const k of new Set([...Object.keys(parsed), ...Object.keys(values)])) {
      if (parsed[k] !== values[k]) {
        const at = seen.get(k)?.[0] ?? (lines.findIndex((l) => l.includes(k.split('\n')[0]!)) + 1 || 1);
        fail(at, `${seen.has(k) ? `the value of ${k}` : 'this line'} reads differently as part of the file in ${who}`);
      }
    }
  }
  const duplicates = [...seen].filter(([, ls]) => ls.length > 1).map(([key, ls]) => ({ key, lines: ls }));
  return { entries, values, duplicates, lines: bom && lines.length ? ['\uFEFF' + lines[0], ...lines.slice(1)] : lines };
}

/** The value of the one entry in `chunk`, as dotenv reads it, checked against node's reading. */
function exactValue(chunk: string, key: string, fail: (what: string) => never): string {
  const d = dotenvParse(chunk);
  const keys = Object.keys(d);
  if (keys.length !== 1 || keys[0] !== key) fail(`dotenv does not read this line as the single entry ${key}`);
  const value = d[key]!;
  if (nodeParseEnv) {
    const n = nodeParseEnv(chunk);
    if (Object.keys(n).length !== 1 || n[key] !== value) {
      fail(`dotenv and node --env-file read the value of ${key} differently (quotes, escapes or blanks around it); write it so both agree`);
    }
  }
  return value;
}

/** The values a dotenv file sets (last one wins), read exactly or refused with the line. */
export function parseDotenv(text: string, file = '.env'): Record<string, string> {
  return { ...readDotenv(text, file).values };
}
