/**
 * Terminal-safe text: the one place that decides how the CLI prints strings
 * it does not control (file names, secret names, manifest entries, rule ids,
 * descriptions, error messages that quote them). A repository is untrusted
 * input: a file or a `.hush.json` entry named `x\u001b]0;pwned\u0007` would
 * otherwise retitle, clear or rewrite the user's terminal when printed.
 *
 * What is escaped: the C0 controls (U+0000–U+001F) as `\xHH`, like `\x1b`;
 * DEL, the C1 controls (U+0080–U+009F, which some terminals treat as CSI/OSC
 * introducers) and the bidirectional formatting characters (which reorder
 * what is displayed, "Trojan Source") as `\uHHHH`. The `\uHHHH` form is also
 * a JSON escape, so escaping a JSON document changes its bytes but not its
 * meaning: JSON.stringify never leaves a raw C0 control, and the characters
 * it leaves raw come back as the same characters once parsed.
 *
 * Values a user asked for (`hush secrets get`, `hush env`) are not text to
 * escape: they are written as bytes, exactly.
 */

// C0, DEL, C1; ALM; LRM, RLM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One untrusted value inside a line of output: every control character escaped, line breaks too, so it stays on its line. */
export function escapeField(s: string): string {
  return s.replace(CONTROLS, escapeOne);
}

/** Output the CLI composed (one or more lines): every control character escaped except the line feeds that end its lines. */
export function escapeText(s: string): string {
  return s.replace(CONTROLS_BUT_NEWLINE, escapeOne);
}
