/** `hush store …`: check a store for damage, recover what is intact, change its passphrase. */
import { userInfo, hostname } from 'node:os';
import { resolve } from 'node:path';
import { HushError } from '../shared/errors';
import { openForRepair } from '../shared/compose/openStore';
import { checkStore, DamagedRecord, StoreCheckReport } from '../shared/store/storeCheck';
import { recoverEmbeddedStore } from '../shared/compose/recoverStore';
import { wrapRootKey } from '../shared/crypto/rootKey';
import { FileStore } from '../shared/store/fileStore';
import { CoreIo, open, parse, printJson, readValue } from './store';

export const STORE_HELP = `hush store — the store itself

  hush store check              report every damaged record and how the store compares with its
                                freshness anchor; changes nothing (exit 1 if anything is wrong)
  hush store recover --to DIR   write a new store in DIR with everything still intact, re-anchored,
                                and list what was lost; the damaged store is left as it is
  hush store passphrase [--new-passphrase-file F]
                                change the passphrase (HUSH_PASSPHRASE is the current one; the new
                                one comes from F or stdin); upgrades the key derivation to scrypt N=2^17
`;

function principal(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `uid:${process.getuid?.() ?? '?'}@${hostname()}`;
  }
}

function line(d: DamagedRecord): string {
  return `  ${d.file} ${d.unit} ${d.at}${d.size !== undefined ? ` (${d.size} bytes)` : ''}: ${d.problem}${d.held ? `\n      held: ${d.held}` : ''}\n`;
}

function printCheck(io: CoreIo, r: StoreCheckReport): void {
  io.out(`store ${r.storeId} in ${r.path}\n`);
  io.out(`  store.json: ${r.header.problem ?? 'intact'}\n`);
  io.out(`  store.log: ${r.log.bytes} bytes, ${r.log.transactions} transaction(s), ${r.log.intact} intact record(s), ${r.log.damaged.length} damaged\n`);
  io.out(`  audit.log: ${r.audit.records} record(s), ${r.audit.intact} verified, ${r.audit.damaged.length} damaged${r.audit.gaps.length ? `, ${r.audit.gaps.length} repaired gap(s)` : ''}\n`);
  for (const g of r.audit.gaps) io.out(`    repaired gap: records ${g.from}–${g.to} lost; recorded by ${g.principal} at ${g.time} (${g.reason})\n`);
  io.out(`  freshness anchor (${r.anchor.where}): ${r.anchor.state}${r.anchor.detail ? ` — ${r.anchor.detail}` : ''}\n`);
  const damaged = [...r.log.damaged, ...r.audit.damaged];
  if (damaged.length) {
    io.out(`\ndamaged records:\n`);
    for (const d of damaged) io.out(line(d));
  }
  io.out(
    r.ok
      ? '\nno damage found\n'
      : `\nnothing was changed. To save what is intact: hush store recover --to NEW_FOLDER${r.audit.damaged.length && !r.log.damaged.length && r.anchor.state !== 'behind' ? "\n(only the audit log is damaged: 'hush audit repair' records the gap and lets the store go on)" : ''}\n`,
  );
}

export async function runStoreCmd(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(STORE_HELP);
    return 0;
  }
  const env = io.env ?? process.env;
  if (sub === 'check') {
    const { values: v } = parse(rest, {});
    if (v.help) return io.out(STORE_HELP), 0;
    const s = await openForRepair({ ...(v.store !== undefined ? { path: v.store } : {}), env });
    try {
      const r = await checkStore(s.path, s.header, s.rootKey.key, s.anchor, s.headerProblem);
      if (v.json) printJson(io, r);
      else printCheck(io, r);
      return r.ok ? 0 : 1;
    } finally {
      s.anchor.close();
    }
  }
  if (sub === 'recover') {
    const { values: v } = parse(rest, { to: { type: 'string' } });
    if (v.help) return io.out(STORE_HELP), 0;
    if (!v.to) throw new HushError('InvalidArgument', "'hush store recover' needs --to DIR, a new folder for the recovered store");
    const s = await openForRepair({ ...(v.store !== undefined ? { path: v.store } : {}), env });
    try {
      const to = resolve(v.to);
      if (to === s.path) throw new HushError('InvalidArgument', '--to must be a new folder, not the damaged store itself');
      const r = await recoverEmbeddedStore(s.path, to, s.header, s.rootKey.key, s.anchor, { principal: principal(), time: new Date().toISOString() });
      if (v.json) printJson(io, r);
      else {
        io.out(`recovered ${r.secrets} secret(s) and ${r.versions} version(s) into ${r.to}; ${r.auditRecords} audit record(s) carried over\n`);
        io.out(`the freshness anchor now names the new store; the damaged one in ${s.path} is left as it was and will be refused\n`);
        if (r.lost.length) {
          io.out(`\nlost (${r.lost.length}):\n`);
          for (const l of r.lost) io.out(`  ${l}\n`);
        } else io.out('nothing was lost\n');
        io.out(`\nto use it: mv ${s.path} ${s.path}.damaged && mv ${r.to} ${s.path}\n`);
      }
      return 0;
    } finally {
      s.anchor.close();
    }
  }
  if (sub === 'passphrase') {
    const { values: v } = parse(rest, { 'new-passphrase-file': { type: 'string' } });
    if (v.help) return io.out(STORE_HELP), 0;
    const fresh = await readValue(io, v['new-passphrase-file'], false, false);
    if (fresh === undefined || fresh === '') {
      throw new HushError('InvalidArgument', 'no new passphrase: pipe it on stdin or pass --new-passphrase-file FILE (never as an argument)');
    }
    const r = await openForRepair({ ...(v.store !== undefined ? { path: v.store } : {}), env });
    r.anchor.close();
    if (r.headerProblem) throw new HushError('CorruptStore', r.headerProblem);
    const header = r.header;
    if (header.rootKey.kind !== 'passphrase') {
      r.rootKey.key.fill(0);
      throw new HushError('InvalidArgument', `store ${header.storeId} is not protected by a passphrase (its root key is in the keychain or HUSH_MASTER_KEY)`);
    }
    const before = header.rootKey.kdf.N;
    const next = { ...header, rootKey: wrapRootKey(header.storeId, r.rootKey.key, String(fresh)) };
    r.rootKey.key.fill(0);
    const s = await open(io, v.store, false);
    try {
      if (!(s.store instanceof FileStore)) throw new HushError('InvalidArgument', `${s.path} is a team store; members have identities, not a passphrase`);
      await s.store.replaceHeader(header, next, {
        time: new Date().toISOString(),
        principal: s.manager.principal,
        action: 'store:ChangePassphrase',
        resource: {},
        outcome: 'Success',
      });
    } finally {
      await s.manager.close();
    }
    io.out(`passphrase changed; key derivation: scrypt N=2^${Math.log2(before)} → N=2^17, r=8, p=1. Set HUSH_PASSPHRASE to the new one.\n`);
    return 0;
  }
  throw new HushError('InvalidArgument', `unknown command 'store ${sub}'. Run 'hush store --help'.`);
}
