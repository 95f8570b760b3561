/**
 * *Hush: Start Local Secrets Server* / *Stop*, and a status bar item while a
 * `hush serve` serves the open store (started here, or in a terminal). The
 * server runs in the language server (server/localSecretsServer.ts); this
 * side only asks and shows.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { ServeStartRequest, ServeStatus, ServeStatusRequest, ServeStopRequest } from '../shared/protocol';

type Factory = (ctx: Ctx) => () => Promise<void>;

const POLL_MS = 5_000;

let item: vscode.StatusBarItem | undefined;

function show(s: ServeStatus): void {
  if (!item) return;
  if (!s.running || !s.url) {
    item.hide();
    return;
  }
  item.text = `$(radio-tower) ${s.url.replace(/^https?:\/\//, '')}`;
  item.tooltip = [
    `Hush secrets server (AWS Secrets Manager and KMS APIs) at ${s.url}`,
    s.inEditor ? `Started by this editor${s.requests !== undefined ? `; ${s.requests} request(s) so far` : ''}. Click to stop.` : `Run by hush serve (process ${s.pid}); stop it where it runs.`,
    s.liveKeys ? `${s.liveKeys} access key(s)` : "No access key yet: run 'hush serve credentials create NAME' in a terminal.",
  ].join('\n');
  item.command = s.inEditor ? 'hush.serve.stop' : undefined;
  item.show();
}

async function refresh(ctx: Ctx): Promise<void> {
  try {
    show(await ctx.request(ServeStatusRequest, {}));
  } catch {
    item?.hide(); // the language server is not running (yet)
  }
}

/** The status bar item, refreshed every few seconds and on every store change. */
export function registerServeStatus(ctx: Ctx): void {
  item = vscode.window.createStatusBarItem('hush.serveStatus', vscode.StatusBarAlignment.Left, 9);
  item.name = 'Hush Secrets Server';
  const timer = setInterval(() => void refresh(ctx), POLL_MS);
  ctx.extension.subscriptions.push(item, { dispose: () => clearInterval(timer) }, ctx.onStoreChanged(() => void refresh(ctx)));
  void refresh(ctx);
}

const start: Factory = (ctx) => async () => {
  try {
    const s = await ctx.request(ServeStartRequest, {});
    show(s);
    if (!s.inEditor) {
      void vscode.window.showInformationMessage(`Hush: ${s.url} already serves this store (hush serve, process ${s.pid}).`);
      return;
    }
    const hint = s.liveKeys ? '' : " No application has an access key yet: run 'hush serve credentials create NAME' in a terminal.";
    const pick = await vscode.window.showInformationMessage(`Hush: secrets server at ${s.url}. Point AWS_ENDPOINT_URL_SECRETS_MANAGER (and AWS_ENDPOINT_URL_KMS) at it.${hint}`, 'Copy URL');
    if (pick === 'Copy URL') await vscode.env.clipboard.writeText(s.url!);
  } catch (e) {
    ctx.showError('Could not start the secrets server', e);
  }
};

const stop: Factory = (ctx) => async () => {
  try {
    const now = await ctx.request(ServeStatusRequest, {});
    if (now.running && !now.inEditor) {
      void vscode.window.showInformationMessage(`Hush: ${now.url} is served by hush serve (process ${now.pid}), not by this editor; stop it where it runs (Ctrl+C).`);
      return;
    }
    show(await ctx.request(ServeStopRequest, {}));
    if (now.running) void vscode.window.showInformationMessage('Hush: secrets server stopped.');
  } catch (e) {
    ctx.showError('Could not stop the secrets server', e);
  }
};

export const SERVE_COMMANDS: Record<string, Factory> = {
  'hush.serve.start': start,
  'hush.serve.stop': stop,
};
