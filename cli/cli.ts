#!/usr/bin/env node
/**
 * The `hush` command. Headless twin of the extension: the same detector and,
 * later, the same Secrets Manager. Exit codes: 0 ok / nothing found,
 * 1 findings, 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { HushError, isHushError } from '../shared/errors';
import { VERSION } from '../shared/version';
import { runScan } from './scan';

const HELP = `hush ${VERSION} — keep credentials out of source code

Usage:
  hush scan [PATH…] [--json]   Find hardcoded credentials in files and folders
                               (default: the current folder). Exit 1 if any.
  hush --version               Print the version.
  hush --help                  Print this help.

Findings show masked values only (AKIA…WXYZ). Silence a line with a
hush:ignore comment.
`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

export function main(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(`${VERSION}\n`);
      return 0;
    }
    if (command === 'scan') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      });
      if (values.help) {
        io.out(HELP);
        return 0;
      }
      return runScan(positionals.length ? positionals : ['.'], { json: values.json === true }, io);
    }
    throw new HushError('InvalidArgument', `unknown command '${command}'. Run 'hush --help' for the commands.`);
  } catch (e) {
    if (isHushError(e)) {
      io.err(`hush: ${e.toString()}\n`);
      return 2;
    }
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`hush: InvalidArgument: ${(e as Error).message}. Run 'hush --help'.\n`);
      return 2;
    }
    io.err(`hush: Internal: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  });
}
