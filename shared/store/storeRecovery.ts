/**
 * `hush store recover --to DIR`: writes a new store folder holding every
 * record of the old one that is still intact (storeCheck.ts's salvage), with
 * the same store id and root key, re-anchored: the freshness anchor moves to
 * the new store, so the damaged one is refused from then on and cannot be
 * mistaken for current. Every version is decrypted once to prove it intact;
 * one that fails is left out. The old folder is not touched. Returns what was
 * lost, so the user knows what to re-create.
 */
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { HushError } from '../errors';
import { AuditChain, AuditEvent } from '../audit/auditLog';
import { deriveKey } from '../crypto/aead';
import { fsyncDir, mkdirPrivate, readWhole, realDisk, replaceFile } from './disk';
import { encodeFrame, headerLine, LogMac } from './logFraming';
import { FileStore } from './fileStore';
import type { FreshnessAnchor } from './freshnessAnchor';
import { headerDigest, StoreHeader, writeNewHeader } from './storeHeader';
import { checkStoreFolder, storeFiles } from './storeFolder';
import { DamagedRecord, salvageAudit, salvageLog } from './storeCheck';
import type { SecretRecord, StoreTx, VersionRecord } from './store';

/** The label that must be on exactly one version (stageLabels.ts's CURRENT; the store layer sits below the Secrets Manager). */
const CURRENT = 'CURRENT';

/** Decrypts one version to prove it intact; throws a HushError when it cannot (the composition root supplies it). */
export type ProveVersion = (tx: StoreTx, s: SecretRecord, v: VersionRecord) => Promise<void>;

export interface RecoveryReport {
  to: string;
  secrets: number;
  versions: number;
  auditRecords: number;
  /** What could not be carried over, one line each. */
  lost: string[];
  damaged: DamagedRecord[];
}

function where(d: DamagedRecord): string {
  return `${d.file} ${d.unit} ${d.at}`;
}

export async function recoverStore(
  from: string,
  to: string,
  header: StoreHeader,
  rootKey: Uint8Array,
  anchor: FreshnessAnchor,
  who: { principal: string; time: string },
  prove: ProveVersion,
): Promise<RecoveryReport> {
  if (existsSync(to) && readdirSync(to).length > 0) throw new HushError('InvalidArgument', `${to} is not empty; recover into a new folder`);
  const src = storeFiles(from);
  const dst = storeFiles(to);
  const log = salvageLog(src.log, existsSync(src.log) ? readWhole(realDisk, src.log) : Buffer.alloc(0), header.storeId, rootKey);
  const audit = salvageAudit(src.audit, existsSync(src.audit) ? readWhole(realDisk, src.audit).toString('utf8') : '', rootKey, header.storeId);
  const lost: string[] = [];
  for (const d of log.damaged) lost.push(`${where(d)}: ${d.problem}${d.held ? ` — held ${d.held}` : ''}`);

  let anchored;
  try {
    anchored = await anchor.load();
  } catch {
    anchored = undefined;
  }
  const auditLostFrom = (audit.head?.seq ?? 0) + 1;
  const auditLostTo = Math.max(audit.highest, anchored?.audit?.seq ?? 0, log.audit?.seq ?? 0);
  const auditLost = audit.damaged.length > 0 || auditLostTo >= auditLostFrom;

  // The new folder: header, one snapshot record, the intact audit prefix (+ the gap).
  mkdirPrivate(realDisk, to);
  checkStoreFolder(to);
  writeNewHeader(to, header);
  const n = Math.max(log.n, anchored?.n ?? 0) + 1;
  const mac = new LogMac(deriveKey(rootKey, header.storeId, 'store-log-mac'));
  const line = headerLine(header.storeId, randomBytes(8).toString('hex'));
  const chain = new AuditChain(deriveKey(rootKey, header.storeId, 'audit-mac'));
  const auditLines = [...audit.lines];
  let auditHead = audit.head;
  if (auditLost) {
    const to2 = Math.max(auditLostTo, auditLostFrom);
    const g = chain.appendGap(auditHead, { from: auditLostFrom, to: to2, reason: `hush store recover from ${from}: ${audit.damaged[0]?.problem ?? 'records missing at the end'}` }, who);
    auditLines.push(g.line);
    auditHead = g.head;
    lost.push(`audit records ${auditLostFrom}–${to2} (kept in ${src.audit}, not carried over)`);
  }
  const seed = mac.seed(line);
  const snap = encodeFrame(mac, seed, { snapshot: log.state.snapshot(), n, head: '', ...(auditHead ? { audit: auditHead } : {}) });
  if (!snap) throw new HushError('LimitExceeded', 'the store is too large to recover into one snapshot record');
  replaceFile(realDisk, dst.log, Buffer.concat([line, snap.bytes]));
  replaceFile(realDisk, dst.audit, Buffer.from(auditLines.map((l) => l + '\n').join(''), 'utf8'));
  fsyncDir(realDisk, to);
  // Re-anchor: from now on the new folder is the store's current state.
  await anchor.save({ n, data: '', ...(auditHead ? { audit: auditHead } : {}), header: [headerDigest(header)] });

  // Prove every version by decrypting it; leave out those that fail.
  const store = await FileStore.open(to, header, rootKey, { anchor });
  let secrets = 0;
  let versions = 0;
  try {
    await store.transact(async (tx) => {
      for (const s of await tx.listSecrets()) {
        secrets++;
        for (const v of await tx.listVersions(s.id)) {
          try {
            await prove(tx, s, v);
            versions++;
          } catch (e) {
            const code = e instanceof HushError ? e.code : 'Internal';
            if (code === 'DecryptFailed' || code === 'CorruptStore' || code === 'KeyNotFound' || code === 'Internal') {
              await tx.deleteVersion(s.id, v.id);
              lost.push(`version ${v.id} of secret ${s.name}: ${code} (${(e as Error).message})`);
            } else {
              versions++; // intact as far as we can tell; its CMK cannot be used now (disabled, pending deletion)
            }
          }
        }
        const vs = await tx.listVersions(s.id);
        const holders = vs.filter((v) => v.labels.includes(CURRENT));
        if (holders.length !== 1 && vs.length > 0) {
          const newest = [...vs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).pop()!;
          for (const v of vs) {
            const labels = v.labels.filter((l) => l !== CURRENT);
            if (v.id === newest.id) labels.push(CURRENT);
            if (labels.join() !== v.labels.join()) await tx.putVersion(s.id, { ...v, labels });
          }
          lost.push(`secret ${s.name}: CURRENT was on ${holders.length ? 'several versions' : 'a lost version'}; it is now on ${newest.id}, the newest intact one`);
        }
      }
      const e: AuditEvent = {
        time: who.time,
        principal: who.principal,
        action: 'store:Recover',
        resource: { from, secrets: String(secrets), versions: String(versions), lost: String(lost.length) },
        outcome: 'Success',
      };
      tx.audit(e);
    });
  } finally {
    await store.close();
  }
  return { to, secrets, versions, auditRecords: audit.lines.length, lost, damaged: [...log.damaged, ...audit.damaged] };
}
