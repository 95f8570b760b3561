/**
 * The team store from the command line:
 *
 *   hush store init URL [--member NAME]    create the schema, become its first member
 *   hush store migrate URL                 apply the schema migrations this Hush needs
 *   hush store copy --from A --to B        copy secrets, versions, labels, keys, rotation
 *   hush member whoami|add|list|remove     members and their identities
 *   hush keys grant|revoke KEY MEMBER      (in keys.ts) who can unwrap a CMK
 */
import { HushError } from '../shared/errors';
import { initTeamStore, migrateTeamStore } from '../shared/compose/teamStore';
import { isPostgresUrl, redactUrl } from '../shared/store/postgres/connection';
import { loadIdentity } from '../shared/team/identity';
import { copyStore } from '../shared/compose/storeCopy';
import type { OpenedStore } from '../shared/compose/openStore';
import type { Team } from '../shared/team/team';
import { CoreIo, needPositional, parse, printJson, table, withStore } from './store';
import { runStoreCmd, STORE_HELP as STORE_REPAIR_HELP } from './storeCmd';

export const STORE_HELP = `hush store — create, migrate and copy stores

  hush store init postgres://USER@HOST:5432/DB [--member NAME]
        Create a team store in an empty PostgreSQL database and make yourself its
        first member (NAME defaults to your OS user name), holding the default key.
  hush store migrate postgres://…
        Apply the schema changes this version of Hush needs (never done silently).
  hush store copy --from STORE --to STORE
        Copy every secret (all versions, labels, tags, rotation settings) and every
        key from one store to another: a folder to a team store, or back for a backup.
        Values are re-encrypted under the destination's keys, never written in clear.

A team store URL may also come from HUSH_STORE; libpq's PGHOST, PGUSER, PGPASSWORD,
PGDATABASE and the URL's sslmode are honoured.

${STORE_REPAIR_HELP.split('\n').slice(2).join('\n')}`;

export const MEMBER_HELP = `hush member — the members of a team store

  hush member whoami               your public key, alone on stdout (creates your identity
                                   in the OS keychain on first use; HUSH_IDENTITY on CI)
  hush member add NAME PUBLIC-KEY [--db-role ROLE]
                                   let a person or machine in (no permission and no key
                                   yet: 'hush policy attach', 'hush keys grant'); with
                                   --db-role they connect as their own PostgreSQL role
                                   (created if missing; its password is printed once), so
                                   the database itself refuses writes policy forbids
  hush member list                 members, who added them, the keys they hold
  hush member remove NAME          delete their copies of every key and rotate those keys

Store commands take --store URL (or HUSH_STORE).
`;

function needUrl(p: string[], what: string): string {
  const url = needPositional(p, 0, what);
  if (!isPostgresUrl(url)) throw new HushError('InvalidArgument', `'${url.slice(0, 80)}' is not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)`);
  return url;
}

function needTeam(s: OpenedStore): Team {
  if (!s.team) throw new HushError('InvalidArgument', `${s.path} is a single-user store; members belong to a team store (--store postgres://…)`);
  return s.team;
}

export async function runStore(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  const env = io.env ?? process.env;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(STORE_HELP);
    return 0;
  }
  switch (sub) {
    case 'init': {
      const { values: v, positionals: p } = parse(rest, { member: { type: 'string' } });
      if (v.help) return help(io, STORE_HELP);
      const url = needUrl(p, 'the PostgreSQL URL of the new team store');
      const t = await initTeamStore({ url, env, ...(v.member ? { memberName: v.member } : {}) });
      const me = t.team.memberName;
      await t.manager.close();
      if (v.json) printJson(io, { store: redactUrl(url), member: me });
      else
        io.err(
          `created a team store at ${redactUrl(url)}; you are its first member, '${me}', holding the default key.\n` +
            `Next: point Hush at it (export HUSH_STORE='${redactUrl(url)}'), then add teammates with 'hush member add NAME PUBLIC-KEY'.\n`,
        );
      return 0;
    }
    case 'migrate': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io, STORE_HELP);
      const url = needUrl(p, 'the PostgreSQL URL of the team store');
      const r = await migrateTeamStore(url);
      if (v.json) printJson(io, r);
      else io.err(r.from === r.to ? `the team store is up to date (schema version ${r.to})\n` : `migrated the team store from schema version ${r.from} to ${r.to}\n`);
      return 0;
    }
    case 'copy': {
      const { values: v } = parse(rest, { from: { type: 'string' }, to: { type: 'string' } });
      if (v.help) return help(io, STORE_HELP);
      if (!v.from || !v.to) throw new HushError('InvalidArgument', 'give both --from STORE and --to STORE (a folder or a postgres:// URL)');
      const r = await copyStore({ from: v.from, to: v.to, env, onSecret: (name) => io.err(`copied ${name}\n`) });
      if (v.json) printJson(io, r);
      else io.err(`copied ${r.secrets} secret(s) with ${r.versions} version(s) and ${r.keys} key(s) to ${r.to}${r.skipped.length ? `; skipped: ${r.skipped.join(', ')}` : ''}\n`);
      return r.skipped.length ? 1 : 0;
    }
    default:
      return runStoreCmd(args, io); // check, recover, passphrase (and its unknown-command error)
  }
}

export async function runMember(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  const env = io.env ?? process.env;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(MEMBER_HELP);
    return 0;
  }
  switch (sub) {
    case 'whoami': {
      const { values: v } = parse(rest, {});
      if (v.help) return help(io, MEMBER_HELP);
      const id = await loadIdentity(env, true);
      id.privateKey.fill(0);
      io.out(`${id.publicKey}\n`);
      return 0;
    }
    case 'add': {
      const { values: v, positionals: p } = parse(rest, { 'db-role': { type: 'string' } });
      if (v.help) return help(io, MEMBER_HELP);
      const name = needPositional(p, 0, 'NAME');
      const key = needPositional(p, 1, 'PUBLIC-KEY (what they get from hush member whoami)');
      const m = await withStore(io, v.store, false, (s) => needTeam(s).addMember(name, key, v['db-role'] !== undefined ? { dbRole: v['db-role'] } : {}));
      if (v.json) printJson(io, m);
      else {
        io.err(`added member ${m.name}; they may do nothing until a policy allows it ('hush policy attach NAME --member ${m.name}'), and read nothing until 'hush keys grant KEY ${m.name}'\n`);
        if (m.dbPassword) {
          io.err(`created their database role ${m.dbRole}; its password is on stdout, shown this once: give it to ${m.name} for their store URL (postgres://${m.dbRole}:PASSWORD@HOST/DB)\n`);
          io.out(`${m.dbPassword}\n`);
        } else if (m.dbRole) io.err(`their database role is ${m.dbRole}; the database checks their writes against policy\n`);
      }
      return 0;
    }
    case 'list': {
      const { values: v } = parse(rest, {});
      if (v.help) return help(io, MEMBER_HELP);
      const list = await withStore(io, v.store, false, (s) => needTeam(s).listMembers());
      if (v.json) printJson(io, list);
      else io.out(table([['NAME', 'ADDED BY', 'SINCE', 'KEYS'], ...list.map((m) => [`${m.name}${m.isMe ? ' (you)' : ''}`, m.addedBy, m.createdAt.slice(0, 10), m.keys.join(', ') || '-'])]));
      return 0;
    }
    case 'remove': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io, MEMBER_HELP);
      const name = needPositional(p, 0, 'NAME');
      const r = await withStore(io, v.store, false, (s) => needTeam(s).removeMember(name));
      if (v.json) printJson(io, r);
      else {
        io.err(`removed member ${name}; ${r.length} key(s) they held got new material.\n`);
        const exposed = [...new Set(r.flatMap((x) => x.secretsToRotate))];
        if (exposed.length) io.err(`They could read these values before; rotate them (hush secrets rotate NAME): ${exposed.join(', ')}\n`);
      }
      return 0;
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'hush member ${sub}'. Run 'hush member --help'.`);
  }
}

function help(io: CoreIo, text: string): number {
  io.out(text);
  return 0;
}
