/**
 * The language client's protocol trace (`hush.trace.server`), with the
 * payload of every message that carries a value replaced by a note. The
 * client writes its trace here line by line: in the text format a header
 * (`[Trace - …] Received response 'hush/secrets/reveal - (7)' in 3ms.`)
 * followed by the payload (`Result: {…}`); in the JSON format one object per
 * line. The header names the method, and a JSON response is matched to its
 * request by id, so the payload can be dropped before anything is written.
 * Which messages carry values is decided once, in shared/protocol.ts.
 */
import type * as vscode from 'vscode';
import { VALUE_BEARING_METHODS } from '../shared/protocol';

export const REDACTED = '(payload not traced: it carries a secret value, a passphrase or a document text)';

/** `[Trace - 10:01:02 AM] Sending request 'hush/secrets/reveal - (7)'.` → `hush/secrets/reveal` */
const HEADER = /^\[(?:Trace|LSP) +- [^\]]*\] (?:Sending|Received) (?:request|notification|response) '([^']+?)(?: - \([^)]*\))?'/;
const ANY_HEADER = /^\[(?:Trace|LSP|Info|Warn|Error|Debug) +- /;

interface LspTraceObject {
  isLSPMessage?: boolean;
  type?: string;
  message?: { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: unknown };
}

export class RedactingTraceChannel implements vscode.OutputChannel {
  /** After a header for a value-bearing message: the next payload line is dropped. */
  private redactNext = false;
  /** JSON format: request ids by direction, to name the method of their responses. */
  private readonly sent = new Map<number | string, string>();
  private readonly received = new Map<number | string, string>();
  private pending = '';

  constructor(private readonly target: vscode.OutputChannel) {}

  get name(): string {
    return this.target.name;
  }

  append(value: string): void {
    // The JSON format writes its `[LSP - time] ` prefix with append, then the object with appendLine.
    this.pending += value;
  }

  appendLine(value: string): void {
    const line = this.pending + value;
    this.pending = '';
    this.target.appendLine(this.redact(line));
  }

  /** What may be written for one line the client traces. */
  redact(line: string): string {
    const json = /^\[(?:Trace|LSP) +- [^\]]*\] (\{.*)$/s.exec(line);
    if (json) return line.slice(0, line.length - json[1].length) + this.redactObject(json[1]);
    const header = HEADER.exec(line);
    if (header) {
      this.redactNext = VALUE_BEARING_METHODS.has(header[1]);
      return line;
    }
    if (ANY_HEADER.test(line)) {
      this.redactNext = false;
      return line;
    }
    if (this.redactNext) {
      this.redactNext = false;
      return REDACTED;
    }
    return line;
  }

  private redactObject(text: string): string {
    let o: LspTraceObject;
    try {
      o = JSON.parse(text) as LspTraceObject;
    } catch {
      return REDACTED; // not the shape we know: write nothing of it
    }
    const m = o.message;
    if (!m) return text;
    let method = m.method;
    if (m.id !== undefined) {
      if (o.type === 'send-request' && method) this.sent.set(m.id, method);
      if (o.type === 'receive-request' && method) this.received.set(m.id, method);
      if (o.type === 'receive-response') {
        method = this.sent.get(m.id);
        this.sent.delete(m.id);
      }
      if (o.type === 'send-response') {
        method = this.received.get(m.id);
        this.received.delete(m.id);
      }
    }
    if (!method || !VALUE_BEARING_METHODS.has(method)) return text;
    const { params, result, ...rest } = m;
    return JSON.stringify({ ...o, message: { ...rest, ...(params !== undefined ? { params: REDACTED } : {}), ...(result !== undefined ? { result: REDACTED } : {}) } });
  }

  replace(value: string): void {
    this.target.replace(this.redact(value));
  }

  clear(): void {
    this.target.clear();
  }

  show(columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserve === 'boolean' || columnOrPreserve === undefined) this.target.show(columnOrPreserve);
    else this.target.show(columnOrPreserve, preserveFocus);
  }

  hide(): void {
    this.target.hide();
  }

  dispose(): void {
    this.target.dispose();
  }
}
