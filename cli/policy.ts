/**
 * `hush policy …` and `hush group …`: who may do what.
 *
 * On a team store, policies are stored in the database and attached to
 * members and groups. On a single-user store, the policy is the file
 * `.hush/policy.json` in the store folder; `check` validates a file and
 * `simulate` explains a decision on either.
 */
import { readFileSync } from 'node:fs';
import { HushError } from '../shared/errors';
import { ACTIONS } from '../shared/policy/actions';
import { parsePolicyText } from '../shared/policy/document';
import type { Source } from '../shared/policy/access';
import { evaluate } from '../shared/policy/engine';
import { FilePolicySource, POLICY_FILE } from '../shared/policy/sources';
import type { OpenedStore } from '../shared/compose/openStore';
import type { TeamPolicies } from '../shared/team/policies';
import { CoreIo, needPositional, parse, printJson, table, withStore } from './store';
import { escapeField as esc } from './terminalText';

export const POLICY_HELP = `hush policy — access policies (IAM-shaped documents)

  hush policy put NAME FILE                 store (or replace) a policy; refused whole, naming
                                            the bad field, if anything in it is wrong
  hush policy attach NAME --member M | --group G | --app A
  hush policy detach NAME --member M | --group G | --app A
                                            (--app: an application of hush serve, app:A)
  hush policy list                          policies and what they are attached to
  hush policy show NAME                     the document
  hush policy delete NAME
  hush policy simulate --member M --action A --resource R [--source editor|cli|serve]
                                            the decision, every statement that matched, and
                                            the policy and Sid that decided
  hush policy check FILE                    validate a document without storing it
  hush policy actions                       every action a policy can name

Resources: secret:NAME (or id), key:ID, key:alias/NAME, member:NAME, *; wildcards * and ?.
Conditions: StringEquals, StringNotEquals, StringLike, StringNotLike on hush:ResourceTag/TAG,
hush:PrincipalName, hush:PrincipalGroup, hush:RequestSource; Bool on hush:ViaEditor, hush:ViaCli,
hush:ViaServe. An explicit Deny wins; on a team store, no matching statement means Deny.

On a single-user store the policy is the file ${POLICY_FILE} in the store folder (no file:
everything is allowed); put, attach and groups belong to team stores.
`;

export const GROUP_HELP = `hush group — groups of team-store members (policies attach to them)

  hush group create NAME            hush group delete NAME
  hush group add NAME MEMBER        hush group remove NAME MEMBER
  hush group list
`;

function needPolicies(s: OpenedStore): TeamPolicies {
  if (!s.policies) {
    throw new HushError('InvalidArgument', `${s.path} is a single-user store: its policy is the file ${POLICY_FILE} in that folder (check one with 'hush policy check FILE')`);
  }
  return s.policies;
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HushError('InvalidArgument', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parsePolicyText(text, file);
}

const SOURCES: readonly Source[] = ['editor', 'cli', 'serve'];

export async function runPolicy(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(POLICY_HELP);
    return 0;
  }
  const help = (): number => (io.out(POLICY_HELP), 0);
  switch (sub) {
    case 'actions': {
      const { values: v } = parse(rest, {});
      if (v.help) return help();
      if (v.json) printJson(io, ACTIONS);
      else io.out(ACTIONS.join('\n') + '\n');
      return 0;
    }
    case 'check': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help();
      const file = needPositional(p, 0, 'FILE');
      const d = readDocument(file) as { Statement: unknown[] };
      io.err(`${esc(file)}: a valid policy with ${d.Statement.length} statement(s)\n`);
      return 0;
    }
    case 'put': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help();
      const name = needPositional(p, 0, 'NAME');
      const doc = readDocument(needPositional(p, 1, 'FILE'));
      await withStore(io, v.store, false, (s) => needPolicies(s).putPolicy(name, doc));
      io.err(`stored policy ${esc(name)}; attach it with 'hush policy attach ${esc(name)} --member NAME' or --group NAME\n`);
      return 0;
    }
    case 'attach':
    case 'detach': {
      const { values: v, positionals: p } = parse(rest, { member: { type: 'string' }, group: { type: 'string' }, app: { type: 'string' } });
      if (v.help) return help();
      const name = needPositional(p, 0, 'NAME');
      const to = { ...(v.member !== undefined ? { member: v.member } : {}), ...(v.group !== undefined ? { group: v.group } : {}), ...(v.app !== undefined ? { app: v.app } : {}) };
      await withStore(io, v.store, false, (s) => needPolicies(s).attach(name, to, sub === 'detach'));
      const whom = v.member !== undefined ? `member ${esc(v.member)}` : v.app !== undefined ? `application app:${esc(v.app)}` : `group ${esc(v.group ?? '')}`;
      io.err(`${sub === 'attach' ? 'attached' : 'detached'} policy ${esc(name)} ${sub === 'attach' ? 'to' : 'from'} ${whom}\n`);
      return 0;
    }
    case 'delete': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help();
      const name = needPositional(p, 0, 'NAME');
      await withStore(io, v.store, false, (s) => needPolicies(s).deletePolicy(name));
      io.err(`deleted policy ${esc(name)}\n`);
      return 0;
    }
    case 'list': {
      const { values: v } = parse(rest, {});
      if (v.help) return help();
      const list = await withStore(io, v.store, false, (s) => needPolicies(s).listPolicies());
      if (v.json) printJson(io, list);
      else io.out(table([['NAME', 'ATTACHED TO', 'UPDATED BY', 'UPDATED'], ...list.map((x) => [esc(x.name), esc(x.attachedTo.join(', ')) || '-', esc(x.updatedBy), x.updatedAt.slice(0, 19)])]));
      return 0;
    }
    case 'show': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help();
      const name = needPositional(p, 0, 'NAME');
      const got = await withStore(io, v.store, false, (s) => needPolicies(s).getPolicy(name));
      printJson(io, v.json ? got : got.document);
      return 0;
    }
    case 'simulate': {
      const { values: v } = parse(rest, { member: { type: 'string' }, action: { type: 'string' }, resource: { type: 'string' }, source: { type: 'string' } });
      if (v.help) return help();
      if (!v.action || !v.resource) throw new HushError('InvalidArgument', "give --action (e.g. secrets:GetSecretValue) and --resource (e.g. secret:prod/db); 'hush policy actions' lists the actions");
      const source = (v.source ?? 'cli') as Source;
      if (!SOURCES.includes(source)) throw new HushError('InvalidArgument', `--source is editor, cli or serve, not '${v.source}'`);
      const r = await withStore(io, v.store, false, async (s) => {
        if (s.policies) {
          if (!v.member) throw new HushError('InvalidArgument', 'give --member NAME: whose request to simulate');
          return s.policies.simulate(v.member, v.action!, v.resource!, source);
        }
        const file = new FilePolicySource(s.path);
        const e = evaluate(file.forPrincipal(), { caller: { ...s.caller, source }, action: v.action!, resource: { names: [v.resource!] } });
        return { ...e, member: s.caller.principal, action: v.action!, resource: { names: [v.resource!] } };
      });
      if (v.json) printJson(io, r);
      else {
        io.out(`${r.effect === 'Allow' ? 'ALLOWED' : 'DENIED'}: ${esc(r.member)} ${esc(r.action)} on ${esc(r.resource.names.join(', '))}\n  ${esc(r.reason)}\n`);
        if (r.matched.length) {
          io.out('  matching statements:\n');
          for (const m of r.matched) io.out(`    ${m.effect.padEnd(5)} ${esc(m.policy)} / ${esc(m.sid)}${r.decidedBy?.policy === m.policy && r.decidedBy?.sid === m.sid ? '   <- decided' : ''}\n`);
        } else io.out('  no statement matched\n');
      }
      return r.effect === 'Allow' ? 0 : 1;
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'hush policy ${sub}'. Run 'hush policy --help'.`);
  }
}

export async function runGroup(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(GROUP_HELP);
    return 0;
  }
  const { values: v, positionals: p } = parse(rest, {});
  if (v.help) return io.out(GROUP_HELP), 0;
  switch (sub) {
    case 'create':
    case 'delete': {
      const name = needPositional(p, 0, 'NAME');
      await withStore(io, v.store, false, (s) => (sub === 'create' ? needPolicies(s).createGroup(name) : needPolicies(s).deleteGroup(name)));
      io.err(`${sub === 'create' ? 'created' : 'deleted'} group ${esc(name)}\n`);
      return 0;
    }
    case 'add':
    case 'remove': {
      const name = needPositional(p, 0, 'NAME');
      const member = needPositional(p, 1, 'MEMBER');
      await withStore(io, v.store, false, (s) => (sub === 'add' ? needPolicies(s).addToGroup(name, member) : needPolicies(s).removeFromGroup(name, member)));
      io.err(`${sub === 'add' ? 'added' : 'removed'} ${esc(member)} ${sub === 'add' ? 'to' : 'from'} group ${esc(name)}\n`);
      return 0;
    }
    case 'list': {
      const list = await withStore(io, v.store, false, (s) => needPolicies(s).listGroups());
      if (v.json) printJson(io, list);
      else io.out(table([['GROUP', 'MEMBERS', 'POLICIES'], ...list.map((g) => [esc(g.name), esc(g.members.join(', ')) || '-', esc(g.policies.join(', ')) || '-'])]));
      return 0;
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'hush group ${sub}'. Run 'hush group --help'.`);
  }
}
