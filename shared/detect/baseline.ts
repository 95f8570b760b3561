/**
 * Baselines: findings someone has accepted, so a scan reports only new ones.
 * Keyed by fingerprint, never by line number, so edits above a finding do
 * not resurrect it.
 *
 * A fingerprint must not let anyone who reads the baseline (it is committed)
 * recover the secret. Two kinds:
 *
 *  - `s1:` for high-entropy secrets (≥ 100 bits by length × Shannon entropy,
 *    and not a password): HMAC-SHA256 over rule id + secret under the
 *    baseline's random salt. Inverting it means guessing ≥ 2^100 values; the
 *    salt stops correlating fingerprints across repositories and precomputed
 *    tables. It survives moves and renames: the same key anywhere is the
 *    same accepted finding.
 *  - `c1:` for low-entropy secrets (passwords, short keys), where any
 *    function of the secret alone could be brute-forced from a word list:
 *    HMAC over rule id + file path + the line with the secret cut out + the
 *    occurrence index. It reveals nothing about the value; the price is that
 *    changing the value on that line keeps it baselined (a changed *context*
 *    does not), which we accept: the line was already reviewed as "a
 *    password lives here".
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { HushError } from '../errors';
import { totalBits } from './entropy';
import type { Finding } from './finding';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  /** Informational only (matching uses the fingerprint): where and what it was when accepted. */
  readonly ruleId: string;
  readonly file: string;
  readonly masked: string;
}

export interface BaselineFile {
  readonly version: number;
  /** base64, 16 random bytes: the HMAC key of this baseline's fingerprints. */
  readonly salt: string;
  readonly findings: BaselineEntry[];
}

/** Bits of a secret above which a secret-keyed fingerprint is safe to publish. */
export const STRONG_BITS = 100;

export function isStrongSecret(secret: string, kind: string | undefined): boolean {
  return kind !== 'password' && totalBits(secret) >= STRONG_BITS;
}

function hmac(salt: Buffer, parts: string[]): string {
  return createHmac('sha256', salt).update(parts.join('\0')).digest('base64url').slice(0, 32);
}

/**
 * Fingerprints every finding of one file. `text` is the file's content (the
 * secret is read from it here and goes nowhere else); `file` its path
 * relative to the scan root, with forward slashes.
 */
export function fingerprints(text: string, file: string, findings: readonly Finding[], salt: Buffer): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const secret = text.slice(f.start, f.end);
    if (isStrongSecret(secret, f.kind)) return `s1:${hmac(salt, [f.ruleId, secret])}`;
    const ls = text.lastIndexOf('\n', f.start - 1) + 1;
    let le = text.indexOf('\n', f.start);
    if (le === -1) le = text.length;
    const context = (text.slice(ls, f.start) + '\u0000' + text.slice(Math.min(f.end, le), le)).trim();
    const key = `${f.ruleId}\0${context}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `c1:${hmac(salt, [f.ruleId, file, context, String(n)])}`;
  });
}

export class Baseline {
  private readonly set: Set<string>;

  constructor(readonly file: BaselineFile) {
    this.set = new Set(file.findings.map((e) => e.fingerprint));
  }

  get salt(): Buffer {
    return Buffer.from(this.file.salt, 'base64');
  }

  has(fingerprint: string): boolean {
    return this.set.has(fingerprint);
  }

  static fresh(): Baseline {
    return new Baseline({ version: BASELINE_VERSION, salt: randomBytes(16).toString('base64'), findings: [] });
  }

  /** Reads and checks a baseline file; errors name the file and the problem. */
  static load(path: string): Baseline {
    let raw: string;
    try {
      raw = fs.readFileSync(path, 'utf8');
    } catch (e) {
      throw new HushError('NotFound', `cannot read baseline ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      throw new HushError('InvalidArgument', `baseline ${path} is not valid JSON: ${(e as Error).message}`);
    }
    const d = data as Partial<BaselineFile>;
    if (typeof d !== 'object' || d === null || d.version !== BASELINE_VERSION)
      throw new HushError('InvalidArgument', `baseline ${path}: expected "version": ${BASELINE_VERSION}`);
    if (typeof d.salt !== 'string' || Buffer.from(d.salt, 'base64').length < 16)
      throw new HushError('InvalidArgument', `baseline ${path}: "salt" must be base64 of at least 16 bytes`);
    if (!Array.isArray(d.findings) || d.findings.some((e) => typeof e?.fingerprint !== 'string'))
      throw new HushError('InvalidArgument', `baseline ${path}: "findings" must be a list of objects with a "fingerprint"`);
    return new Baseline(d as BaselineFile);
  }

  /** A new baseline with these entries and this baseline's salt. */
  withEntries(entries: BaselineEntry[]): Baseline {
    const sorted = [...entries].sort((a, b) => a.file.localeCompare(b.file) || a.fingerprint.localeCompare(b.fingerprint));
    return new Baseline({ version: BASELINE_VERSION, salt: this.file.salt, findings: sorted });
  }

  write(path: string): void {
    fs.writeFileSync(path, JSON.stringify(this.file, null, 2) + '\n');
  }
}
