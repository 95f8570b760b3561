/**
 * The core's figures: durable puts/s and gets/s with p50/p99 latency for
 * 32 B and 32 KiB values against the embedded store, and the ESDK envelope
 * alone (encrypt + decrypt, no store, no lock, no fsync) beside them so the
 * overhead of each layer is visible. Every put and get also writes the
 * store's freshness anchor (one more fdatasync); `get, 16 at once` shows
 * group commit (concurrent calls in one process share the syncs). Also the
 * time to open the store, which verifies the whole audit chain. Printed,
 * never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEnvelope, sealEnvelope } from '../shared/crypto/envelope';
import { openStore } from '../shared/compose/openStore';

function stats(samplesNs: number[]): { perSec: number; p50: number; p99: number } {
  const s = [...samplesNs].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]! / 1e6;
  return { perSec: (s.length * 1e9) / total, p50: at(0.5), p99: at(0.99) };
}

async function time(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await f(i);
    out.push(Number(process.hrtime.bigint() - t));
  }
  return out;
}

const fmt = (x: number, d = 2) => x.toFixed(d).padStart(9);

export async function run(): Promise<void> {
  const N_PUT = Number(process.env.HUSH_BENCH_PUTS ?? 200);
  const N_GET = Number(process.env.HUSH_BENCH_GETS ?? 500);
  const N_ENV = Number(process.env.HUSH_BENCH_ENVELOPES ?? 500);
  const root = mkdtempSync(join(tmpdir(), 'hush-bench-'));
  const env = { HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_ANCHOR_DIR: join(root, 'anchors') };
  const { manager } = await openStore({ path: join(root, 'store'), env, principal: 'bench' });
  const rows: string[] = [];
  const row = (what: string, size: string, r: { perSec: number; p50: number; p99: number }) =>
    rows.push(`  ${what.padEnd(34)} ${size.padStart(7)} ${fmt(r.perSec, 0)} /s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms`);
  try {
    for (const [label, bytes] of [
      ['32 B', 32],
      ['32 KiB', 32 * 1024],
    ] as const) {
      const value = 'v'.repeat(bytes);
      const name = `bench/${bytes}`;
      await manager.createSecret({ name, value });
      // Warm up the ESDK and the page cache.
      for (let i = 0; i < 5; i++) await manager.getSecretValue(name);
      row('put (audit + log + anchor fsync)', label, stats(await time(N_PUT, () => manager.putSecretValue(name, value))));
      row('get (decrypt + audit + anchor fsync)', label, stats(await time(N_GET, () => manager.getSecretValue(name))));
      const batches = await time(Math.ceil(N_GET / 16), () => Promise.all(Array.from({ length: 16 }, () => manager.getSecretValue(name))));
      const b = stats(batches);
      row('get, 16 at once (group commit)', label, { perSec: b.perSec * 16, p50: b.p50, p99: b.p99 });
      const material = randomBytes(32);
      const key = { keyId: 'bench', materialVersion: 1, material };
      const ctx = { store: 's', secret: 'x', version: 'y' };
      const pt = Buffer.from(value);
      const ct = await sealEnvelope(key, pt, ctx);
      row('envelope alone: ESDK encrypt', label, stats(await time(N_ENV, () => sealEnvelope(key, pt, ctx))));
      row('envelope alone: ESDK decrypt', label, stats(await time(N_ENV, () => openEnvelope([key], ct, ctx))));
      row('envelope alone: encrypt + decrypt', label, stats(await time(N_ENV, async () => openEnvelope([key], await sealEnvelope(key, pt, ctx), ctx))));
    }
    await manager.close();
    const records = (await import('node:fs')).readFileSync(join(root, 'store', 'audit.log'), 'utf8').split('\n').length - 1;
    const opens = await time(5, async () => (await openStore({ path: join(root, 'store'), env, principal: 'bench', create: false })).manager.close());
    row(`open + close (verifies ${records} audit records)`, '', stats(opens));
  } finally {
    await manager.close().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`core (embedded store, suite 0x0478, one process, node ${process.version}):`);
  for (const r of rows) console.log(r);
}

if (require.main === module) void run();
