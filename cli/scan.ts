/** `hush scan`: the detector over files and folders, for CI and pre-commit. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HushError } from '../shared/errors';
import { describeFinding, scanText } from '../shared/detect/engine';
import { readTextFile, walkFiles } from '../shared/detect/files';
import type { Io } from './cli';

export interface ScanReportEntry {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  title: string;
  masked: string;
  message: string;
}

export function runScan(paths: string[], opts: { json: boolean }, io: Io): number {
  const findings: ScanReportEntry[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let scanned = 0;
  for (const p of paths) {
    const abs = path.resolve(io.cwd, p);
    if (!fs.existsSync(abs)) throw new HushError('NotFound', `no such file or folder: ${p}`);
    for (const file of walkFiles(abs)) {
      const rel = path.relative(io.cwd, file) || path.basename(file);
      const read = readTextFile(file);
      if (read.kind === 'skipped') {
        skipped.push({ file: rel, reason: read.reason });
        continue;
      }
      scanned++;
      for (const f of scanText(read.text)) {
        findings.push({
          file: rel,
          line: f.line + 1,
          column: f.column + 1,
          ruleId: f.ruleId,
          title: f.title,
          masked: f.masked,
          message: describeFinding(f),
        });
      }
    }
  }
  const files = new Set(findings.map((f) => f.file)).size;
  if (opts.json) {
    io.out(JSON.stringify({ findings, scanned, skipped }, null, 2) + '\n');
  } else {
    for (const f of findings) io.out(`${f.file}:${f.line}:${f.column}  ${f.ruleId}  ${f.message}\n`);
    const summary =
      findings.length === 0
        ? `No hardcoded credentials in ${scanned} file(s)`
        : `${findings.length} hardcoded credential(s) in ${files} file(s); ${scanned} file(s) scanned`;
    io.err(`${summary}${skipped.length ? `, ${skipped.length} skipped (binary or too large)` : ''}.\n`);
  }
  return findings.length > 0 ? 1 : 0;
}
