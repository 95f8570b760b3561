/**
 * Crash test: a writer process is killed with SIGKILL at random moments, over
 * and over, against one store (small compaction threshold, so kills also land
 * in compactions and in recoveries of the previous kill's torn tail). After
 * each kill: the store opens and every acknowledged write is there with its
 * value. HUSH_CRASH_ITERATIONS sets the count (default 200).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../../shared/compose/openStore';
import { tempDir } from '../../unit/core/helpers';

const WORKER = join(__dirname, 'worker.js');
const ITERATIONS = Number(process.env.HUSH_CRASH_ITERATIONS ?? 200);

interface Ack {
  secret: string;
  versionId: string;
  value: string;
}

/**
 * `at.sinceStart`: kill that long after spawning (lands in startup or in the
 * recovery of the previous kill); `at.sinceOpen`: that long after the store
 * reported open (lands in the write loop, fsyncs and compactions).
 */
function runAndKill(dir: string, env: NodeJS.ProcessEnv, seed: number, at: { sinceStart?: number; sinceOpen?: number }): Promise<{ acks: Ack[]; opened: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, 'crash', dir, String(seed)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (at.sinceOpen !== undefined && timer === undefined && out.includes('OPEN ')) timer = setTimeout(kill, at.sinceOpen);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    if (at.sinceStart !== undefined) timer = setTimeout(kill, at.sinceStart);
    const guard = setTimeout(kill, 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      if (signal !== 'SIGKILL') return reject(new Error(`worker exited on its own (code ${code}): ${err}`));
      const lines = out.split('\n');
      lines.pop(); // a line cut by the kill is not an acknowledgement
      const acks = lines
        .filter((l) => l.startsWith('ACK '))
        .map((l) => {
          const [, secret, versionId, ...rest] = l.split(' ');
          return { secret: secret!, versionId: versionId!, value: rest.join(' ') };
        });
      resolve({ acks, opened: lines.some((l) => l.startsWith('OPEN ')) });
    });
  });
}

describe('crash safety (SIGKILL at random moments)', function () {
  this.timeout(15 * 60_000);

  it(`loses no acknowledged write over ${ITERATIONS} kills`, async () => {
    const dir = join(tempDir('hush-crash-'), 'store');
    const env = { ...process.env, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_TEST_COMPACT_BYTES: String(256 * 1024) };
    const setup = await openStore({ path: dir, env, principal: 'setup' });
    for (let i = 0; i < 3; i++) await setup.manager.createSecret({ name: `crash/${i}`, value: `fake-initial-${i}` });
    await setup.manager.close();

    let acked = 0;
    let lost = 0;
    let killedBeforeOpen = 0;
    const started = Date.now();
    for (let i = 0; i < ITERATIONS; i++) {
      // One kill in five lands anywhere in startup/open (recovery included);
      // the rest land in the write loop, up to 300 ms in.
      const at = Math.random() < 0.2 ? { sinceStart: Math.floor(Math.random() * 350) } : { sinceOpen: Math.floor(Math.random() * 300) };
      const { acks, opened } = await runAndKill(dir, env, i, at);
      if (!opened) killedBeforeOpen++;
      acked += acks.length;
      const o = await openStore({ path: dir, env, principal: 'checker', create: false });
      try {
        for (const a of acks) {
          try {
            const got = await o.manager.getSecretValue(a.secret, { versionId: a.versionId });
            const v = got.secretString!;
            const seen = a.value.startsWith('big:') ? `big:${v.length}:${v.slice(0, 40)}` : v;
            if (seen !== a.value) lost++;
          } catch {
            lost++;
          }
        }
        if (i % 25 === 24 || i === ITERATIONS - 1) {
          const verdict = await o.manager.verifyAudit();
          assert.ok(verdict.ok, `audit after iteration ${i}: ${JSON.stringify(verdict)}`);
        }
        for (let s = 0; s < 3; s++) {
          const vs = await o.manager.listSecretVersionIds(`crash/${s}`);
          assert.equal(vs.filter((v) => v.versionStages.includes('CURRENT')).length, 1);
        }
      } finally {
        await o.manager.close();
      }
    }
    const secs = (Date.now() - started) / 1000;
    console.log(`      crash: ${ITERATIONS} kills, ${acked} acknowledged writes, ${lost} lost, ${killedBeforeOpen} kills before the store was open, ${secs.toFixed(1)} s`);
    assert.equal(lost, 0);
    assert.ok(acked > ITERATIONS, 'the writer got to write');
    rmSync(dir, { recursive: true, force: true });
  });
});
