/** How every `hush` command reports a failure: one line, `hush: Code: message`, never a stack trace. */
import { isHushError } from '../shared/errors';
import { escapeField } from './terminalText';

/** Messages quote names from the repository and the store: escaped, so an error stays one line and cannot drive the terminal. */
export function reportError(e: unknown, err: (s: string) => void, exit: number, help = 'hush --help'): number {
  if (isHushError(e)) {
    err(`hush: ${escapeField(e.toString())}\n`);
    return exit;
  }
  // parseArgs throws TypeErrors with a code for unknown or malformed options.
  const code = (e as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    err(`hush: InvalidArgument: ${escapeField((e as Error).message)}. Run '${help}'.\n`);
    return 2;
  }
  err(`hush: Internal: ${escapeField(String((e as Error)?.message ?? e).split('\n')[0])}\n`);
  return exit === 1 ? 1 : 2;
}
