/** Placeholder detector and server-independent throughput; the Detection issue adds its own. */
import { performance } from 'node:perf_hooks';
import { scanText } from '../shared/detect/engine';

export async function run(): Promise<void> {
  const line = 'const value = computeSomething(alpha, beta) + "some ordinary string literal";\n';
  const text = line.repeat(Math.ceil((4 * 1024 * 1024) / line.length));
  scanText(text); // warm up
  const rounds = 5;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) scanText(text);
  const ms = (performance.now() - t0) / rounds;
  console.log(`scanText over ${(text.length / 1048576).toFixed(1)} MiB of code with no keyword hit: ${ms.toFixed(1)} ms (${(text.length / 1048576 / (ms / 1000)).toFixed(0)} MiB/s)`);
}
