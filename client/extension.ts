/**
 * The Hush extension entry. Thin by design: it starts the language server,
 * registers views and commands, and asks the server for everything else.
 *
 * Activation does only what the first diagnostic needs, and does not wait
 * for it: the language server starts in the background (requests wait for
 * it), and the command implementations load on the first command
 * (client/commandLoader.ts). The log says how long each part took.
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerCommands } from './commandLoader';
import { registerDebugInjection } from './debugInjection';
import { registerViews, Views } from './views';
import { registerServeStatus } from './serveCommands';

let ctx: Ctx | undefined;

/** What `activate` returns to the extension's own tests (extension mode Test only). */
export interface TestApi {
  ctx: Ctx;
  views: Views;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = Date.now();
  ctx = new Ctx(context);
  const views = registerViews(ctx);
  registerCommands(ctx, views);
  registerDebugInjection(ctx);
  const registered = Date.now();
  void ctx.start();
  registerServeStatus(ctx);
  const ms = Date.now() - started;
  ctx.log(`Hush activated in ${ms} ms (views and commands ${registered - started} ms; the language server starts in the background)`);
  console.log(`Hush activated in ${ms} ms`);
  // Other extensions get nothing: the views' handles reach the Secrets Manager.
  return context.extensionMode === vscode.ExtensionMode.Test ? { ctx, views } : undefined;
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
