/**
 * A child process for the team-store concurrency test: one member (its
 * identity in HUSH_IDENTITY) putting into one secret. It prints
 * `ACK <versionId>` only after a put returned, i.e. after the transaction
 * committed. A put that fails because the database went away is retried
 * with the same client request token, so a commit that happened anyway is
 * not counted twice. Values are fabricated.
 *
 *   node teamWorker.js put URL SEED COUNT
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../../shared/compose/openStore';
import { isHushError } from '../../../shared/errors';

const [mode, url, seed, countArg] = process.argv.slice(2);
const ack = (s: string) => writeSync(1, `${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { manager } = await openStore({ path: url!, create: false });
  ack(`OPEN ${process.pid}`);
  if (mode !== 'put') throw new Error(`unknown mode ${mode}`);
  for (let k = 0; k < Number(countArg); k++) {
    const value = ['fake', 'team', seed, String(k)].join('-');
    const token = `w${seed}k${k}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await manager.putSecretValue('team/conc', value, { clientRequestToken: token });
        ack(`ACK ${r.versionId}`);
        break;
      } catch (e) {
        if (!isHushError(e) || e.code !== 'StoreUnavailable' || attempt > 200) throw e;
        ack(`RETRY ${token} ${e.message.slice(0, 80)}`);
        await sleep(100);
      }
    }
  }
  await manager.close();
}

main().catch((e) => {
  process.stderr.write(`worker: ${String(e)}\n`);
  process.exit(3);
});
