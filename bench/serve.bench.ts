/**
 * `hush serve` under load: 50 concurrent clients of the AWS SDK for
 * JavaScript v3, each its own SecretsManagerClient, doing GetSecretValue of
 * one 32-byte secret for 30 s against `hush serve` (the CLI, in its own
 * process, on the embedded store, loopback); beside it the same 50-way load
 * on the Secrets Manager in-process (no HTTP, no SigV4, no JSON). Prints
 * requests/s, p50/p99 latency, errors, and the server's RSS after warm-up,
 * half-way and after the load. Every request is a full operation: SigV4 check, decrypt, audit
 * record with fdatasync (group commit shares the syncs). Never asserted.
 *
 *   HUSH_BENCH_SERVE_SECONDS (default 30), HUSH_BENCH_SERVE_CLIENTS (default 50)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { openStore } from '../shared/compose/openStore';

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Load {
  ok: number;
  errors: number;
  seconds: number;
  samplesMs: number[];
}

/** `clients` loops calling `f` until `seconds` pass. */
async function load(clients: number, seconds: number, f: (i: number) => Promise<unknown>): Promise<Load> {
  const until = Date.now() + seconds * 1000;
  const samplesMs: number[] = [];
  let errors = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (Date.now() < until) {
        const t = process.hrtime.bigint();
        try {
          await f(i);
          samplesMs.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { ok: samplesMs.length, errors, seconds: Number(process.hrtime.bigint() - t0) / 1e9, samplesMs };
}

function line(what: string, l: Load): string {
  const s = [...l.samplesMs].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN);
  return `  ${what.padEnd(40)} ${(l.ok / l.seconds).toFixed(0).padStart(7)} req/s  p50 ${at(0.5).toFixed(2).padStart(7)} ms  p99 ${at(0.99).toFixed(2).padStart(7)} ms  ${l.ok} ok, ${l.errors} errors`;
}

export async function run(): Promise<void> {
  const seconds = Number(process.env.HUSH_BENCH_SERVE_SECONDS ?? 30);
  const clients = Number(process.env.HUSH_BENCH_SERVE_CLIENTS ?? 50);
  const root = mkdtempSync(join(tmpdir(), 'hush-bench-serve-'));
  const env = { ...process.env, HUSH_STORE: join(root, 'store'), HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors') };
  const value = randomBytes(16).toString('hex');
  try {
    // The store, the secret and an access key, made in this process and closed again.
    const setup = await openStore({ path: env.HUSH_STORE, env });
    await setup.manager.createSecret({ name: 'bench/db-password', value });
    const key = await setup.credentials.create('bench');

    const inProcess = await load(clients, seconds, () => setup.manager.getSecretValue('bench/db-password'));
    await setup.manager.close();

    const cli = resolve(__dirname, '../cli/cli.js');
    const server = spawn(process.execPath, [cli, 'serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const [first] = (await once(server.stdout!, 'data')) as [Buffer];
    const url = first.toString().trim().split('\n')[0]!;
    try {
      const sdk = Array.from({ length: clients }, () => new SecretsManagerClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, maxAttempts: 1 }));
      const get = (i: number) =>
        sdk[i]!.send(new GetSecretValueCommand({ SecretId: 'bench/db-password' })).then((r) => {
          if (r.SecretString !== value) throw new Error('wrong value');
        });
      // Warm up: every client connects and the server opens the key once.
      await Promise.all(sdk.map((_, i) => get(i)));
      // The load in two halves, RSS after each: growth that stops after the first half is the heap settling, not a leak.
      const before = rssMiB(server.pid!);
      const h1 = await load(clients, seconds / 2, get);
      const half = rssMiB(server.pid!);
      const h2 = await load(clients, seconds / 2, get);
      const after = rssMiB(server.pid!);
      const served: Load = { ok: h1.ok + h2.ok, errors: h1.errors + h2.errors, seconds: h1.seconds + h2.seconds, samplesMs: [...h1.samplesMs, ...h2.samplesMs] };
      for (const c of sdk) c.destroy();
      console.log(`  ${clients} concurrent clients, ${seconds} s each, one 32-byte secret, embedded store (every read decrypted and audited with fdatasync)`);
      console.log(line('GetSecretValue in-process (SecretsManager)', inProcess));
      console.log(line('GetSecretValue via hush serve (AWS SDK v3)', served));
      console.log(`  hush serve RSS: ${before.toFixed(1)} MiB after warm-up, ${half.toFixed(1)} MiB half-way, ${after.toFixed(1)} MiB after the load`);
    } finally {
      server.kill('SIGTERM');
      await once(server, 'close');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
