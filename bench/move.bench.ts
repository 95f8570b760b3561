/**
 * The whole quick fix through the built server and a real LSP client: from
 * the code-action request to the applied edit (the value stored durably in
 * between), and the keystroke-to-diagnostic path beside it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CodeAction, CodeActionRequest, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { MoveCommandArgs, MoveRequest } from '../shared/protocol';
import { LspTestClient } from '../test/support/lspClient';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A fabricated AWS key id per iteration (never a real one), built at run time. */
function fakeKey(i: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let tail = '';
  for (let n = i + 7919, k = 0; k < 16; k++, n = Math.floor(n / 3) + k * 31) tail += alphabet[n % 32];
  return ['AK', 'IA', tail].join('');
}

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-move-'));
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-store-'));
  const { client } = await LspTestClient.start({ rootPath: root, env: { HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') } });
  const diag: number[] = [];
  const actions: number[] = [];
  const moves: number[] = [];
  const N = 40;
  try {
    for (let i = 0; i < N; i++) {
      const uri = `file://${path.join(root, `f${i}.ts`)}`;
      const text = `export const key${i} = "${fakeKey(i)}";\n`;
      const t0 = performance.now();
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const d = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      const t1 = performance.now();
      const list = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: d.diagnostics[0].range,
        context: { diagnostics: d.diagnostics },
      })) as CodeAction[];
      const t2 = performance.now();
      const args = list[0].command!.arguments![0] as MoveCommandArgs;
      const r = await client.connection.sendRequest(MoveRequest, { uri, version: 1, range: args.range, envVar: `KEY_${i}`, secretName: `bench/KEY_${i}` });
      const t3 = performance.now();
      if (!r.applied) throw new Error('edit not applied');
      if (i > 2) {
        diag.push(t1 - t0);
        actions.push(t2 - t1);
        moves.push(t3 - t2);
      }
    }
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(store, { recursive: true, force: true });
  }
  const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;
  console.log(`open → diagnostic (LSP round trip):          ${f(diag)}`);
  console.log(`code action request → actions:                ${f(actions)}`);
  console.log(`hush/move → value stored (2 fsyncs) → edit applied: ${f(moves)}  (${moves.length} moves)`);
  console.log(`whole quick fix (actions + move):             ${f(actions.map((a, i) => a + moves[i]))}`);
}
