/**
 * Every command declared in package.json is registered at activation with a
 * handler that loads the implementations on first use: they live in their own
 * bundle, dist/commands.js (client/commands.ts), which nothing on the way to
 * the first diagnostic needs. In development and test mode the table loads at
 * once and is checked against package.json, so a declared command without a
 * handler fails activation instead of failing on first use.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandTable } from './commands';
import type { Ctx } from './ctx';
import type { Views } from './views';

let table: CommandTable | undefined;

function load(): CommandTable {
  // A path computed at run time: esbuild leaves this require to Node, so the table stays in its own bundle.
  table ??= (require(path.join(__dirname, 'commands.js')) as { COMMANDS: CommandTable }).COMMANDS;
  return table;
}

export function registerCommands(ctx: Ctx, views: Views): void {
  const declared = (ctx.extension.extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
  if (ctx.extension.extensionMode !== vscode.ExtensionMode.Production) {
    const loaded = load();
    const missing = declared.filter((c) => !loaded[c]);
    if (missing.length) throw new Error(`commands declared in package.json without a handler: ${missing.join(', ')}`);
  }
  for (const command of declared) {
    let handler: ((...args: unknown[]) => unknown) | undefined;
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        if (!handler) {
          const factory = load()[command];
          if (!factory) throw new Error(`command ${command} is declared in package.json but has no handler`);
          handler = factory(ctx, views);
        }
        return handler(...args);
      }),
    );
  }
}
