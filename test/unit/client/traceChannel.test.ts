/**
 * The protocol trace never holds a value: a real vscode-jsonrpc connection
 * pair traces verbosely (text and JSON formats, as vscode-languageclient
 * writes them) into the redacting channel; the payloads of value-bearing
 * messages are gone, everything else stays.
 */
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter, Trace, TraceFormat, Tracer } from 'vscode-jsonrpc/node';
import type * as vscode from 'vscode';
import { RedactingTraceChannel, REDACTED } from '../../../client/traceChannel';

const SECRET = ['s3cr3t', 'VALUE', '9f8e7d'].join('-');
const PASSPHRASE = ['correct', 'horse', 'battery', 'staple'].join(' ');
const DOC_KEY = ['AK', 'IA', 'Q3EGRKXH4MBZ7T2N'].join('');

function channel(lines: string[]): vscode.OutputChannel {
  return {
    name: 'test',
    append: (v: string) => lines.push(`<append>${v}`),
    appendLine: (v: string) => lines.push(v),
    replace: (v: string) => lines.push(v),
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

/** Writes what vscode-languageclient's logTrace / logObjectTrace write, into `out`. */
function clientTracer(out: vscode.OutputChannel): Tracer {
  const time = () => new Date().toLocaleTimeString();
  return {
    log(messageOrData: string | unknown, data?: string) {
      if (typeof messageOrData === 'string') {
        out.appendLine(`[Trace - ${time()}] ${messageOrData}`);
        if (data) out.appendLine(data);
      } else {
        out.append(`[LSP   - ${time()}] `);
        out.appendLine(JSON.stringify(messageOrData));
      }
    },
  } as Tracer;
}

async function session(format: TraceFormat): Promise<string[]> {
  const lines: string[] = [];
  const redacting = new RedactingTraceChannel(channel(lines));
  const up = new PassThrough();
  const down = new PassThrough();
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const server: MessageConnection = createMessageConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  server.onRequest('hush/secrets/reveal', () => ({ value: SECRET, versionId: 'v1', versionStages: ['CURRENT'] }));
  server.onRequest('hush/secrets/list', () => [{ name: 'app/DB_PASSWORD', description: 'orders db' }]);
  server.onRequest('hush/manifest/env', () => ({ env: { DB_PASSWORD: SECRET } }));
  server.onNotification('textDocument/didOpen', () => undefined);
  client.onRequest('hush/askPassphrase', () => ({ passphrase: PASSPHRASE, source: 'typed' }));
  server.listen();
  client.listen();
  await client.trace(Trace.Verbose, clientTracer(redacting), { sendNotification: false, traceFormat: format });
  await client.sendRequest('hush/secrets/list', {});
  await client.sendRequest('hush/secrets/reveal', { secretName: 'app/DB_PASSWORD' });
  await client.sendRequest('hush/secrets/put', { secretName: 'app/DB_PASSWORD', value: SECRET }).catch(() => undefined);
  await client.sendRequest('hush/manifest/env', { folder: '/w' });
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///w/a.js', languageId: 'javascript', version: 1, text: `k = "${DOC_KEY}"` } });
  await server.sendRequest('hush/askPassphrase', { storePath: '/s', wrong: false, creating: false });
  await new Promise((r) => setTimeout(r, 50));
  client.dispose();
  server.dispose();
  return lines;
}

describe('protocol trace redaction', () => {
  for (const [name, format] of [['text', TraceFormat.Text], ['JSON', TraceFormat.JSON]] as const) {
    it(`${name} format: no value, passphrase or document text; methods and other payloads stay`, async () => {
      const lines = await session(format);
      const all = lines.join('\n');
      assert.ok(!all.includes(SECRET), 'no secret value');
      assert.ok(!all.includes(PASSPHRASE), 'no passphrase');
      assert.ok(!all.includes(DOC_KEY), 'no document text');
      for (const m of ['hush/secrets/reveal', 'hush/secrets/put', 'hush/manifest/env', 'hush/askPassphrase', 'textDocument/didOpen']) assert.ok(all.includes(m), `${m} is traced`);
      assert.ok(all.includes('orders db'), 'payloads without values stay readable');
      assert.ok(all.includes(REDACTED));
    });
  }

  it('the same trace without the redacting channel would hold them (the test can fail)', async () => {
    const lines: string[] = [];
    const plain = channel(lines);
    const up = new PassThrough();
    const down = new PassThrough();
    const client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const server = createMessageConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    server.onRequest('hush/secrets/reveal', () => ({ value: SECRET }));
    server.listen();
    client.listen();
    await client.trace(Trace.Verbose, clientTracer(plain), { sendNotification: false, traceFormat: TraceFormat.Text });
    await client.sendRequest('hush/secrets/reveal', { secretName: 'x' });
    client.dispose();
    server.dispose();
    assert.ok(lines.join('\n').includes(SECRET));
  });
});
