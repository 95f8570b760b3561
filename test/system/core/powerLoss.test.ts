/**
 * Power loss, not only SIGKILL: SIGKILL keeps everything the kernel was
 * given, so it cannot show a missing fsync. Here every write and fsync of the
 * store and of its freshness anchor goes through a recording Disk while a
 * workload runs (creates, puts, reads, compactions); then, for a few hundred
 * cut points, the disk is rebuilt as power loss would leave it:
 *   - synced: only what an fsync had made durable (file data by fsync or
 *     fdatasync, names by an fsync of their folder);
 *   - synced + prefix: that, plus an arbitrary prefix of the changes not yet
 *     synced, the last possibly torn (a disk may write part of its cache).
 * Each image must open (StoreNotFound only before the first acknowledged
 * write), and every write acknowledged before the cut must be there with its
 * value. The cut points include every one between a log sync and the anchor
 * write that follows it (the anchor must never end up ahead of the store).
 * HUSH_POWERLOSS_CUTS sets the number of cut points (default 300).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../../shared/compose/openStore';
import { isHushError } from '../../../shared/errors';
import { RecordingDisk } from './recordingDisk';

const CUTS = Number(process.env.HUSH_POWERLOSS_CUTS ?? 300);
/** Fast scratch space when there is one: durability of the replay folders does not matter. */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

interface Ack {
  at: number;
  secret: string;
  versionId: string;
  value: string;
}

describe('power loss (recorded writes and fsyncs, replayed to a cut)', function () {
  this.timeout(15 * 60_000);
  const root = mkdtempSync(join(SCRATCH, 'hush-powerloss-'));
  const key = randomBytes(32).toString('base64');
  const envFor = (base: string) => ({ HUSH_MASTER_KEY: key, HUSH_ANCHOR_DIR: join(base, 'anchors') });
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`every acknowledged write survives ${CUTS} cut points, synced only and synced + an unsynced prefix`, async () => {
    const rec = join(root, 'rec');
    require('node:fs').mkdirSync(rec, { mode: 0o700 });
    const disk = new RecordingDisk(rec);
    const acks: Ack[] = [];
    const o = await openStore({ path: join(rec, 'store'), env: envFor(rec), principal: 'writer', fileStore: { disk, compactBytes: 6 * 1024 } });
    const names = ['pl/a', 'pl/b', 'pl/c'];
    for (const [i, name] of names.entries()) {
      const value = `fake-pl-${i}-0-${randomBytes(4).toString('hex')}`;
      const r = await o.manager.createSecret({ name, value });
      acks.push({ at: disk.log.length, secret: name, versionId: r.versionId!, value });
    }
    for (let k = 1; k <= 30; k++) {
      const name = names[k % 3]!;
      const value = `fake-pl-${k % 3}-${k}-${randomBytes(4).toString('hex')}`;
      const r = await o.manager.putSecretValue(name, value);
      acks.push({ at: disk.log.length, secret: name, versionId: r.versionId, value });
      if (k % 4 === 0) await o.manager.getSecretValue(names[(k + 1) % 3]!);
    }
    await o.manager.close();
    const total = disk.log.length;

    // Cut points: every point right after a data-log sync (the window before the
    // anchor write), the rest spread evenly, up to CUTS in all.
    const logSyncs: number[] = [];
    const named = new Map<string, number>();
    disk.log.forEach((c, i) => {
      if (c.op === 'create') named.set(c.path, c.id);
      if (c.op === 'rename') {
        const id = named.get(c.from);
        named.delete(c.from);
        if (id !== undefined) named.set(c.to, id);
      }
      if (c.op === 'sync' && named.get(join(rec, 'store', 'store.log')) === c.id) logSyncs.push(i + 1);
    });
    const cuts = new Set<number>(logSyncs.slice(0, Math.floor(CUTS / 3)));
    for (let i = 0; cuts.size < Math.min(CUTS, total + 1) && i < 10 * CUTS; i++) cuts.add(Math.floor(((i + 0.5) * (total + 1)) / CUTS) % (total + 1));
    let rnd = 0x9e3779b9;
    const rand = () => ((rnd = (rnd * 1103515245 + 12345) >>> 0) / 2 ** 32);

    let checked = 0;
    let lost = 0;
    let failedToOpen = 0;
    let images = 0;
    const problems: string[] = [];
    for (const k of [...cuts].sort((a, b) => a - b)) {
      for (const mode of ['synced', 'prefix'] as const) {
        const img = join(root, `img-${k}-${mode}`);
        const pending = disk.imageAt(k, img).unsyncedCount;
        if (mode === 'prefix') {
          rmSync(img, { recursive: true, force: true });
          const m = Math.floor(rand() * (pending + 1));
          disk.imageAt(k, img, m, rand() < 0.5 ? Math.floor(rand() * 200) : undefined);
        }
        images++;
        const due = acks.filter((a) => a.at <= k);
        try {
          const s = await openStore({ path: join(img, 'store'), env: envFor(img), principal: 'checker', create: false });
          try {
            for (const name of names) {
              const mine = due.filter((a) => a.secret === name);
              if (!mine.length) continue;
              const have = new Set((await s.manager.listSecretVersionIds(name)).map((v) => v.versionId));
              for (const a of mine) {
                checked++;
                if (!have.has(a.versionId)) {
                  lost++;
                  problems.push(`cut ${k} (${mode}): version ${a.versionId} of ${name} is missing`);
                }
              }
              const last = mine[mine.length - 1]!;
              const got = await s.manager.getSecretValue(name, { versionId: last.versionId });
              if (got.secretString !== last.value) {
                lost++;
                problems.push(`cut ${k} (${mode}): ${name} ${last.versionId} has another value`);
              }
            }
          } finally {
            await s.manager.close();
          }
        } catch (e) {
          if (isHushError(e) && e.code === 'StoreNotFound' && due.length === 0) continue;
          failedToOpen++;
          problems.push(`cut ${k} (${mode}): ${String(e)}`);
        } finally {
          rmSync(img, { recursive: true, force: true });
        }
      }
    }
    const between = [...cuts].filter((k) => logSyncs.includes(k)).length;
    console.log(
      `      power loss: ${cuts.size} cut points × 2 (synced; synced + unsynced prefix) = ${images} images of ${total} recorded changes, ${between} cuts between a log sync and its anchor write; ${checked} acknowledged writes checked, ${lost} lost, ${failedToOpen} failed to open`,
    );
    assert.deepEqual(problems.slice(0, 20), []);
    assert.ok(acks.length >= 30 && between > 10);
  });
});
