/**
 * `hush serve`: the store over the AWS Secrets Manager and KMS wire
 * protocols, for applications that already use an AWS SDK; and
 * `hush serve credentials …`, the access keys those applications sign with.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { HushError } from '../shared/errors';
import { openStore, OpenedStore } from '../shared/compose/openStore';
import { watchStore } from '../shared/compose/storeWatch';
import { appPrincipal } from '../shared/serve/credentials';
import { RunningServer, startServer } from '../shared/serve/serveServer';
import { announce } from '../shared/serve/serveRegistry';
import { CoreIo, needPositional, parse, printJson, table, withStore } from './store';

export const SERVE_HELP = `hush serve — the store over the AWS Secrets Manager and KMS APIs

  hush serve [--listen HOST:PORT] [--store DIR|URL]     (default 127.0.0.1:4597)
             [--tls-cert FILE --tls-key FILE] [--insecure-listen]
  hush serve credentials create NAME [--json]   issue an access key for application NAME
  hush serve credentials list [--json]
  hush serve credentials revoke NAME|ACCESS-KEY-ID

Applications keep their AWS SDK and point it here:
  AWS_ENDPOINT_URL_SECRETS_MANAGER=http://127.0.0.1:4597
  AWS_ENDPOINT_URL_KMS=http://127.0.0.1:4597
  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from 'hush serve credentials create NAME'
Requests are checked with AWS Signature Version 4 and act as principal app:NAME
(source serve), authorized and audited like any other. Stage labels AWSCURRENT,
AWSPREVIOUS and AWSPENDING are Hush's CURRENT, PREVIOUS and PENDING.

Only loopback addresses are served without TLS; another address needs
--tls-cert/--tls-key, or --insecure-listen (signed requests and values then
cross the network in clear). Ctrl+C (SIGINT) or SIGTERM stops the server.
The first line on stdout is the endpoint URL; the log (one line per request,
never a value) goes to stderr.
`;

function help(io: CoreIo): number {
  io.out(SERVE_HELP);
  return 0;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** HOST:PORT, [IPv6]:PORT or PORT alone (loopback). */
export function parseListen(s: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s) ?? /^()()(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new HushError('InvalidArgument', `--listen is HOST:PORT ([::1]:PORT for IPv6), not '${s}'`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new HushError('InvalidArgument', `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function runCredentials(v: { store?: string; json?: boolean; help?: boolean }, positionals: string[], io: CoreIo): Promise<number> {
  const [, sub, arg] = positionals;
  if (v.help || sub === undefined || sub === 'help') return help(io);
  switch (sub) {
    case 'create': {
      const name = needPositional(positionals, 2, 'the application NAME (hush serve credentials create NAME)');
      const c = await withStore(io, v.store, false, (s) => s.credentials.create(name));
      if (v.json) {
        io.out(JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }) + '\n');
      } else {
        io.out(`AWS_ACCESS_KEY_ID=${c.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${c.secretAccessKey}\n`);
        io.err(`hush: access key for ${appPrincipal(c.name)}. The secret is shown this once; the store keeps it sealed under its default key. Revoke it with 'hush serve credentials revoke ${c.accessKeyId}'.\n`);
      }
      return 0;
    }
    case 'list': {
      const list = await withStore(io, v.store, false, (s) => s.credentials.list());
      if (v.json) printJson(io, list);
      else if (!list.length) io.out('no access keys; issue one with hush serve credentials create NAME\n');
      else io.out(table([['ACCESS KEY ID', 'PRINCIPAL', 'CREATED', 'BY', 'STATE'], ...list.map((c) => [c.accessKeyId, appPrincipal(c.name), c.createdAt, c.createdBy, c.revokedAt ? `revoked ${c.revokedAt}` : 'live'])]));
      return 0;
    }
    case 'revoke': {
      if (arg === undefined) throw new HushError('InvalidArgument', 'missing the application NAME or ACCESS-KEY-ID to revoke');
      const revoked = await withStore(io, v.store, false, (s) => s.credentials.revoke(arg));
      if (v.json) printJson(io, revoked);
      else for (const c of revoked) io.out(`revoked ${c.accessKeyId} (${appPrincipal(c.name)})\n`);
      return 0;
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'hush serve credentials ${sub}'; see hush serve --help`);
  }
}

/**
 * A status line on a terminal, redrawn under the request log; nothing when
 * stderr is not a terminal. Its cursor controls go straight to the terminal
 * (`raw`): the CLI's output escapes control characters, and this text is
 * ours (counts only). The log lines still go through `io.err`.
 */
function statusLine(io: CoreIo, server: () => RunningServer | undefined, raw: ((s: string) => void) | undefined): { log(line: string): void; stop(): void } {
  let shown = false;
  const clear = () => {
    if (shown) raw?.('\r\x1b[K');
    shown = false;
  };
  const draw = () => {
    const s = server()?.stats();
    if (!s || !raw) return;
    const up = Math.round((Date.now() - s.startedAt) / 1000);
    clear();
    raw(`${s.requests} requests, ${s.errors} errors, ${s.inFlight} in flight, ${s.keys} keys in memory · up ${up}s · Ctrl+C stops`);
    shown = true;
  };
  const timer = raw ? setInterval(draw, 1000) : undefined;
  timer?.unref();
  return {
    log(line) {
      clear();
      io.err(`${line}\n`);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}

export async function runServe(args: string[], io: CoreIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { values: v, positionals } = parse(args, {
    listen: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'insecure-listen': { type: 'boolean', default: false },
  });
  if (positionals[0] === 'credentials') return runCredentials(v, positionals, io);
  if (v.help) return help(io);
  if (positionals.length) throw new HushError('InvalidArgument', `unknown command 'hush serve ${positionals[0]}'; see hush serve --help`);
  const where = parseListen(v.listen ?? '127.0.0.1:4597');
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new HushError('InvalidArgument', 'give both --tls-cert and --tls-key');
  const tls = v['tls-cert'] !== undefined ? { cert: readFile(v['tls-cert'], '--tls-cert'), key: readFile(v['tls-key']!, '--tls-key') } : undefined;
  const loopback = isLoopback(where.host);
  if (!loopback && !tls && !v['insecure-listen']) {
    throw new HushError('InvalidArgument', `${where.host} is not a loopback address: serving it needs TLS (--tls-cert FILE --tls-key FILE), or --insecure-listen to send values across the network in clear`);
  }
  const env = io.env ?? process.env;
  const opened: OpenedStore = await openStore({ ...(v.store !== undefined ? { path: v.store } : {}), env, create: false, source: 'serve' });
  if (opened.store.readOnly) {
    await opened.manager.close();
    throw new HushError('StoreReadOnly', `the store in ${opened.path} is read-only for this user: hush serve records every request in its audit log, so it needs a store it can write`);
  }
  let server: RunningServer | undefined;
  const status = statusLine(io, () => server, io.stdoutIsTTY === true && process.stderr.isTTY === true ? (t) => process.stderr.write(t) : undefined);
  try {
    server = await startServer({
      manager: opened.manager,
      credentials: opened.credentials,
      host: where.host,
      port: where.port,
      ...(tls ? { tls } : {}),
      log: (l) => status.log(l),
      watch: (onChange) => watchStore(opened, { onChange }),
    });
  } catch (e) {
    await opened.manager.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new HushError('InvalidArgument', `${where.host}:${where.port} is already in use (another hush serve?); pick another with --listen`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new HushError('InvalidArgument', `cannot listen on ${where.host}:${where.port} (${code})`);
    throw e;
  }
  const live = (await opened.credentials.list()).filter((c) => !c.revokedAt).length;
  // So an editor with this store open shows that it is served.
  const withdraw = announce({ storeId: opened.manager.storeId, url: server.url, pid: process.pid, startedAt: new Date().toISOString() }, env);
  io.out(`${server.url}\n`);
  io.err(
    [
      `hush serve: ${server.url} serves the ${opened.kind} store ${opened.path}`,
      `  AWS_ENDPOINT_URL_SECRETS_MANAGER=${server.url}  AWS_ENDPOINT_URL_KMS=${server.url}`,
      `  ${live} live access key(s)${live ? '' : `; issue one with 'hush serve credentials create NAME'`}`,
      ...(!loopback && !tls ? [`  WARNING: ${where.host} is not loopback and there is no TLS (--insecure-listen): requests, signatures and secret values cross the network in clear`] : []),
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
      status.log(`hush serve: ${sig}, stopping (requests in flight finish first)`);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
  });
  withdraw();
  await server.close();
  status.stop();
  await opened.manager.close();
  const s = server.stats();
  io.err(`hush serve: stopped after ${s.requests} requests (${s.errors} errors)\n`);
  return 0;
}
