/**
 * Debug sessions: the program never inherits the variables that unlock the
 * store from the editor's environment, and, with `hush.debug.injectSecrets`,
 * gets the variables of its folder's `.hush.json` (client/manifestSecrets.ts
 * decides whether it may). Registered at activation; it reads nothing until a
 * session starts.
 */
import * as vscode from 'vscode';
import { childEnvOverlay, ROOT_KEY_VARIABLES } from '../shared/process/childEnv';
import type { Ctx } from './ctx';
import { manifestSecrets } from './manifestSecrets';

export function registerDebugInjection(ctx: Ctx): void {
  ctx.extension.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider('*', {
      async resolveDebugConfiguration(folder, config) {
        const own = config.env as Record<string, string | null> | undefined;
        const strip = ROOT_KEY_VARIABLES.some((v) => process.env[v] !== undefined) || ROOT_KEY_VARIABLES.some((v) => own?.[v] != null);
        const withEnv = (add: Record<string, string>) => ({ ...config, env: { ...own, ...childEnvOverlay(add) } });
        const plain = strip ? withEnv({}) : config;
        if (!folder || !ctx.config.debugInjectSecrets || config.hush === false) return plain;
        try {
          const secrets = await manifestSecrets(ctx, folder, `the debug session "${config.name}"`, true);
          switch (secrets.kind) {
            case 'env':
              ctx.log(`Debug session "${config.name}": added ${Object.keys(secrets.env).join(', ')} from .hush.json`);
              return withEnv(secrets.env);
            case 'declined':
              if (!secrets.withoutSecrets) return undefined; // cancelled: no launch
              ctx.log(`Debug session "${config.name}": started without the secrets of .hush.json, as asked`);
              return plain;
            default:
              return plain;
          }
        } catch (e) {
          ctx.showError('Could not read the secrets for the debug session', e);
          return undefined; // abort the launch rather than start without its secrets
        }
      },
    }),
  );
}
