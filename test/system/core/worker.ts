/**
 * A child process for the crash and concurrency tests. It writes to the store
 * and prints `ACK <secret> <versionId> <value>` only after a put returned,
 * i.e. after the write was acknowledged (fsynced). Values are fabricated.
 *
 *   node worker.js crash DIR SEED          puts until killed
 *   node worker.js put DIR SEED COUNT      COUNT puts alternating over conc/a, conc/b
 *   node worker.js cas DIR SEED COUNT      COUNT compare-and-set increments of conc/counter
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../../shared/compose/openStore';
import { isHushError } from '../../../shared/errors';

const [mode, dir, seed, countArg] = process.argv.slice(2);
const ack = (s: string) => writeSync(1, `${s}\n`);

async function main(): Promise<void> {
  const compactBytes = Number(process.env.HUSH_TEST_COMPACT_BYTES ?? 8 * 1024 * 1024);
  const { manager } = await openStore({ path: dir!, principal: `worker-${seed}`, create: false, fileStore: { compactBytes } });
  ack(`OPEN ${process.pid}`);
  if (mode === 'crash') {
    for (let k = 0; ; k++) {
      const secret = `crash/${k % 3}`;
      const big = k % 7 === 3;
      const value = ['fake', 'crash', seed, String(k)].join('-') + (big ? '-' + 'x'.repeat(32 * 1024) : '');
      const r = await manager.putSecretValue(secret, value, { clientRequestToken: `s${seed}k${k}` });
      ack(`ACK ${secret} ${r.versionId} ${big ? `big:${value.length}:${value.slice(0, 40)}` : value}`);
    }
  }
  const count = Number(countArg);
  if (mode === 'put') {
    for (let k = 0; k < count; k++) {
      const secret = k % 2 ? 'conc/b' : 'conc/a';
      const value = ['fake', 'conc', seed, String(k)].join('-');
      const r = await manager.putSecretValue(secret, value);
      ack(`ACK ${secret} ${r.versionId} ${value}`);
    }
  }
  if (mode === 'cas') {
    let conflicts = 0;
    for (let k = 0; k < count; ) {
      const cur = await manager.getSecretValue('conc/counter');
      try {
        await manager.putSecretValue('conc/counter', String(Number(cur.secretString) + 1), { expectCurrentVersionId: cur.versionId });
        k++;
      } catch (e) {
        if (!isHushError(e) || e.code !== 'PreconditionFailed') throw e;
        conflicts++;
      }
    }
    ack(`CONFLICTS ${conflicts}`);
  }
  await manager.close();
}

main().catch((e) => {
  process.stderr.write(`worker: ${String(e)}\n`);
  process.exit(3);
});
