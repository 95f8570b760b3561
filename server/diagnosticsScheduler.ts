/**
 * When a document's diagnostics are computed: at once when it opens (the
 * first squiggle should not wait), and while it is edited, once the
 * keystrokes pause for QUIET_MS, but at least every MAX_WAIT_MS during
 * continuous typing. A burst of a thousand changes costs a handful of scans,
 * and the last scan is always of the final text (it runs after the last
 * change). Per document: typing in one file does not delay another.
 */

/** Pause after the last change before scanning (a typist's inter-key gap is ~100-200 ms). */
export const QUIET_MS = 75;
/** Longest a document waits for its diagnostics while changes keep coming. */
export const MAX_WAIT_MS = 300;

export class DiagnosticsScheduler {
  /** Documents seen since they opened, with the pending scan if any. */
  private readonly docs = new Map<string, { timer?: NodeJS.Timeout; since?: number }>();

  constructor(private readonly run: (uri: string) => void) {}

  /** The document opened (first call) or changed. */
  changed(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) {
      this.docs.set(uri, {});
      this.run(uri);
      return;
    }
    const now = Date.now();
    clearTimeout(entry.timer);
    entry.since ??= now;
    const delay = Math.max(0, Math.min(QUIET_MS, entry.since + MAX_WAIT_MS - now));
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.since = undefined;
      this.run(uri);
    }, delay);
  }

  closed(uri: string): void {
    clearTimeout(this.docs.get(uri)?.timer);
    this.docs.delete(uri);
  }

  dispose(): void {
    for (const e of this.docs.values()) clearTimeout(e.timer);
    this.docs.clear();
  }
}
