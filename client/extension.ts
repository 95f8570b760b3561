/**
 * The Hush extension entry. Thin by design: it starts the language server,
 * registers views and commands, and asks the server for everything else.
 */
import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerCommands } from './commands';
import { registerViews } from './views';
import { registerRevealProvider } from './reveal';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = Date.now();
  ctx = new Ctx(context);
  registerRevealProvider(context.subscriptions);
  const views = registerViews(ctx);
  registerCommands(ctx, views);
  await ctx.start();
  const ms = Date.now() - started;
  ctx.log(`Hush activated in ${ms} ms`);
  console.log(`Hush activated in ${ms} ms`);
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
