#!/usr/bin/env node
/**
 * The `hush` command. Headless twin of the extension: the same detector and
 * the same Secrets Manager. Exit codes: 0 ok / nothing found, 1 findings
 * (scan) or a failed store operation (secrets, keys, audit), 2 usage or
 * input error. Errors are one line, `hush: Code: message`, never a stack.
 */
import { HushError, isHushError } from '../shared/errors';
import { VERSION } from '../shared/version';
import { runRulesCommand, runScanCommand } from './scan';
import { reportError } from './report';
import { runSecrets } from './secrets';
import { runKeys } from './keys';
import { runAudit } from './audit';
import { runRun } from './run';
import { runEnv, runImport } from './env';
import { runMember, runStore } from './team';
import { runGroup, runPolicy } from './policy';
import { runServe } from './serve';
import { processStdin } from './store';
import { escapeText } from './terminalText';

const HELP = `hush ${VERSION} — keep credentials out of source code

Usage:
  hush scan [PATH…] [options]  Find hardcoded credentials in files and folders
                               (default: the current folder). Exit 1 if any.
                               --format text|json|sarif, --baseline, --staged… (hush scan --help)
  hush rules [--json]          List the detection rules
  hush secrets create|get|put|list|describe|versions|label|update|delete|restore|tag|untag|rotate|rotation|random
                               Store, version and label secrets (hush secrets --help)
  hush keys create|list|describe|enable|disable|schedule-deletion|cancel-deletion|rotate|import|alias
                               Customer master keys of the local KMS (hush keys --help)
  hush audit list|verify|repair  The hash-chained audit log (hush audit --help)
  hush store init|migrate|copy|check|recover|passphrase
                               Team stores on PostgreSQL, copies between stores, damage
                               report and recovery, passphrase change (hush store --help)
  hush member whoami|add|list|remove
                               The members of a team store (hush member --help)
  hush policy put|attach|detach|list|show|simulate|check
                               Who may do what: IAM-shaped policies (hush policy --help)
  hush group create|add|remove|list
                               Groups of members, for policies (hush group --help)
  hush serve [--listen H:P]    Serve the store over the AWS Secrets Manager and KMS
                               APIs for AWS SDKs; access keys: hush serve credentials
                               create|list|revoke (hush serve --help)
  hush run [--watch] -- CMD    Run CMD with the secrets .hush.json names in its
                               environment, decrypted in memory (hush run --help)
  hush env [--format F]        Print the manifest's variables and values (stdout only)
  hush import FILE             Move a dotenv file's values into the Secrets Manager
                               and map them in .hush.json (hush import --help)
  hush --version               Print the version.
  hush --help                  Print this help; every command takes --help too.

Findings show masked values only (AKIA…WXYZ). Silence a line with a
hush:ignore comment.

Store commands take --store DIR or a team store's postgres:// URL (or HUSH_STORE;
default $XDG_DATA_HOME/hush) and --json. An embedded store's root key comes from
HUSH_MASTER_KEY (base64, 32 bytes), else HUSH_PASSPHRASE, else the OS keychain; on a
team store you are the member whose identity is in HUSH_IDENTITY or the keychain. Values are read from stdin or
--value-file, and only 'hush secrets get' writes a value to stdout.
`;

export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
  /** For the store commands (secrets, keys, audit); defaults are the real process's. */
  outBytes?(b: Uint8Array): void;
  env?: NodeJS.ProcessEnv;
  readStdin?: () => Promise<Buffer | undefined>;
  stdoutIsTTY?: boolean;
}

const STORE_COMMANDS = { secrets: runSecrets, keys: runKeys, audit: runAudit, store: runStore, member: runMember, policy: runPolicy, group: runGroup, run: runRun, env: runEnv, import: runImport, serve: runServe } as const;
/** Commands without a subcommand: global options go right after the command. */
const FLAT_COMMANDS = new Set(['run', 'env', 'import', 'serve']);

/** Global options may come before the command group: `hush --store D --json secrets list`. */
function hoistGlobals(argv: string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--json') globals.push(a);
    else if (a.startsWith('--store=')) globals.push(a);
    else if (a === '--store' && i + 1 < argv.length) globals.push(a, argv[++i]!);
    else break;
    i++;
  }
  if (!globals.length || i >= argv.length) return argv;
  const [group, sub, ...rest] = argv.slice(i);
  // `hush run` has no subcommand: its globals go before the `--` that starts the command.
  if (FLAT_COMMANDS.has(group!)) return [group!, ...globals, ...argv.slice(i + 1)];
  return sub === undefined ? [group!, ...globals] : [group!, sub, ...globals, ...rest];
}

/** The store commands are async; their failures exit 1, usage errors 2. */
async function runStoreCommand(group: keyof typeof STORE_COMMANDS, args: string[], io: Io): Promise<number> {
  try {
    return await STORE_COMMANDS[group](args, {
      out: (s) => (typeof s === 'string' ? io.out(s) : io.outBytes!(s)),
      err: io.err,
      cwd: io.cwd,
      env: io.env ?? process.env,
      readStdin: io.readStdin ?? processStdin,
      stdoutIsTTY: io.stdoutIsTTY ?? false,
    });
  } catch (e) {
    return reportError(e, io.err, isHushError(e) && e.code !== 'InvalidArgument' ? 1 : 2);
  }
}

/**
 * The Io every command writes through: text (on stdout and stderr) has its
 * control characters escaped (cli/terminalText.ts), so nothing a repository
 * or a store holds can drive the terminal. Bytes (`outBytes`: a secret's
 * value the user asked for) pass as they are.
 */
function terminalSafe(io: Io): Io {
  return {
    ...io,
    out: (s) => io.out(escapeText(s)),
    err: (s) => io.err(escapeText(s)),
    outBytes: io.outBytes ?? ((b) => io.out(Buffer.from(b).toString('utf8'))),
  };
}

/** Every command, the store commands included: what the `hush` binary runs. */
export async function run(argv: string[], rawIo: Io): Promise<number> {
  const io = terminalSafe(rawIo);
  const args = hoistGlobals(argv);
  const [command, ...rest] = args;
  if (command !== undefined && Object.hasOwn(STORE_COMMANDS, command)) return runStoreCommand(command as keyof typeof STORE_COMMANDS, rest, io);
  return main(args, io);
}

/** The synchronous commands (scan, help, version). Store commands go through run(). */
export function main(argv: string[], rawIo: Io): number {
  const io = terminalSafe(rawIo);
  const [command, ...rest] = argv;
  try {
    if (command === 'secrets' || command === 'keys' || command === 'audit') {
      throw new HushError('Internal', `'${command}' is asynchronous: call run() instead of main()`);
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.out(`${VERSION}\n`);
      return 0;
    }
    if (command === 'scan') return runScanCommand(rest, io);
    if (command === 'rules') return runRulesCommand(rest, io);
    throw new HushError('InvalidArgument', `unknown command '${command}'. Run 'hush --help' for the commands.`);
  } catch (e) {
    return reportError(e, io.err, 2);
  }
}

/**
 * Writes to a standard stream. When its reader goes away (`hush rules | head -1`)
 * the rest of the output is dropped quietly, as Unix tools do, and the command
 * still ends with its own exit status; no EPIPE stack trace. Any other write
 * error is one line on stderr.
 */
function writerTo(stream: NodeJS.WriteStream, name: string): (chunk: string | Uint8Array) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (e.code === 'EPIPE' || stream === process.stderr) return;
    process.exitCode = 2;
    process.stderr.write(`hush: Internal: cannot write to ${name}: ${e.code ?? e.message}\n`);
  });
  return (chunk) => {
    if (!closed) stream.write(chunk);
  };
}

if (require.main === module) {
  const stdout = writerTo(process.stdout, 'stdout');
  const stderr = writerTo(process.stderr, 'stderr');
  void run(process.argv.slice(2), {
    out: stdout,
    outBytes: stdout,
    err: stderr,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
  }).then((code) => (process.exitCode = process.exitCode || code));
}
