/**
 * The Hush extension entry. Thin by design: it starts the language server,
 * registers views and commands, and asks the server for everything else.
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerCommands } from './commands';
import { registerViews, Views } from './views';
import { registerRevealProvider } from './reveal';
import { registerDebugInjection } from './runtimeEnv';
import { registerServeStatus } from './serveCommands';

let ctx: Ctx | undefined;

/** What `activate` returns to the extension's own tests (extension mode Test only). */
export interface TestApi {
  ctx: Ctx;
  views: Views;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const started = Date.now();
  ctx = new Ctx(context);
  registerRevealProvider(context.subscriptions);
  const views = registerViews(ctx);
  registerCommands(ctx, views);
  registerDebugInjection(ctx);
  await ctx.start();
  registerServeStatus(ctx);
  const ms = Date.now() - started;
  ctx.log(`Hush activated in ${ms} ms`);
  console.log(`Hush activated in ${ms} ms`);
  // Other extensions get nothing: the views' handles reach the Secrets Manager.
  return context.extensionMode === vscode.ExtensionMode.Test ? { ctx, views } : undefined;
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
