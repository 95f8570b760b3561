/**
 * The language server under a fast typist and many open files, through the
 * built server and a real LSP client (printed, never asserted):
 *  - a burst of 1,000 changes sent back to back to one 2,000-line file: how
 *    many publishDiagnostics it causes, whether the last one is for the final
 *    text, and how long after the last change it arrives;
 *  - typing at 25 ms a keystroke for 200 keystrokes: publishes, and the lag
 *    of the final one;
 *  - the server's resident memory (VmRSS) idle, with 200 files of 100 KB
 *    open, and after closing them all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
} from 'vscode-languageserver-protocol/node';
import { fakeAwsAccessKeyId } from '../test/support/fakes';
import { LspTestClient } from '../test/support/lspClient';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A TypeScript file of `lines` lines with one hardcoded key near the top. */
function sourceFile(lines: number, seed: number): string {
  const out = [`export const awsKey = "${fakeAwsAccessKeyId()}";`];
  for (let i = 1; i < lines; i++) out.push(`export function f${seed}_${i}(a: number, b: string): string { return b.repeat(a) + "${i}"; }`);
  return out.join('\n') + '\n';
}

async function burst(client: LspTestClient, dir: string, changes: number, gapMs: number): Promise<string> {
  const uri = `file://${path.join(dir, `burst-${changes}-${gapMs}.ts`)}`;
  const text = sourceFile(2000, changes);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  await client.waitForDiagnostics(uri, (p) => p.version === 1);
  const before = client.published(uri).length;
  const t0 = performance.now();
  let lastSent = t0;
  for (let v = 2; v <= changes + 1; v++) {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }],
    });
    lastSent = performance.now();
    if (gapMs > 0) await sleep(gapMs);
  }
  const final = changes + 1;
  const last = await client.waitForDiagnostics(uri, (p) => p.version === final, 30_000);
  const lag = performance.now() - lastSent;
  await sleep(500); // anything published late would show up here
  const after = client.published(uri).slice(before);
  const newest = after[after.length - 1];
  await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  return (
    `${changes} changes${gapMs ? ` at ${gapMs} ms` : ' back to back'}: ${after.length} publishDiagnostics, ` +
    `last for version ${newest?.version} (final ${final}, ${last.diagnostics.length} finding(s)), ` +
    `${lag.toFixed(0)} ms after the last change (sending took ${(lastSent - t0).toFixed(0)} ms)`
  );
}

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-diag-'));
  const { client } = await LspTestClient.start({ rootPath: root });
  try {
    console.log(await burst(client, root, 1000, 0));
    console.log(await burst(client, root, 200, 25));

    // Memory: idle, with many files open, and after closing them.
    const warm = `file://${path.join(root, 'warm.ts')}`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: warm, languageId: 'typescript', version: 1, text: sourceFile(50, 0) } });
    await client.waitForDiagnostics(warm);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: warm } });
    await sleep(1500);
    const idle = rssMiB(client.pid);
    const N = 200;
    const uris: string[] = [];
    for (let i = 0; i < N; i++) {
      const uri = `file://${path.join(root, `open-${i}.ts`)}`;
      uris.push(uri);
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: sourceFile(1000, i) } });
    }
    for (const uri of uris) await client.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
    const open = rssMiB(client.pid);
    for (const uri of uris) await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    await client.waitForDiagnostics(uris[N - 1], (p) => p.version === undefined && p.diagnostics.length === 0, 60_000);
    const samples: string[] = [];
    let closed = NaN;
    const at = [0, 1000, 3000, 6000, 10_000];
    for (let i = 0; i < at.length; i++) {
      await sleep(at[i] - (i > 0 ? at[i - 1] : 0));
      closed = rssMiB(client.pid);
      samples.push(`${(at[i] / 1000).toFixed(0)} s: ${closed.toFixed(0)}`);
    }
    console.log(
      `server RSS: idle ${idle.toFixed(0)} MiB · ${N} files of ~100 KB open ${open.toFixed(0)} MiB · after closing them (MiB at ${samples.join(', ')}) → ` +
        `${(closed - idle).toFixed(0)} MiB above idle`,
    );
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
