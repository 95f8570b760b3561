/**
 * The custom LSP messages Hush's client and server speak, defined once and
 * imported by both sides (the vscode-eslint pattern).
 */
import { RequestType0 } from 'vscode-languageserver-protocol';

export interface StatusResult {
  /** Server version (package.json). */
  readonly version: string;
  /** Documents the server is tracking now. */
  readonly openDocuments: number;
  /** Findings across the open documents. */
  readonly findings: number;
  /** Milliseconds since the server started. */
  readonly uptimeMs: number;
}

export const StatusRequest = new RequestType0<StatusResult, void>('hush/status');

/** Settings the server reads under the `hush` section; the shape of `contributes.configuration`. */
export interface HushSettings {
  enable: boolean;
  severity: 'error' | 'warning' | 'information';
}

export const DEFAULT_SETTINGS: HushSettings = {
  enable: true,
  severity: 'warning',
};

/**
 * Merge what a client sent for `workspace/configuration` onto the defaults.
 * Clients may answer with `null` or partial objects (the spec allows it).
 */
export function resolveSettings(raw: unknown): HushSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof HushSettings, unknown>>;
  const severity = s.severity;
  return {
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    severity:
      severity === 'error' || severity === 'warning' || severity === 'information' ? severity : DEFAULT_SETTINGS.severity,
  };
}

export interface ScanWorkspaceResult {
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  readonly elapsedMs: number;
}

/** Scans every workspace folder and publishes diagnostics for files that are not open too. */
export const ScanWorkspaceRequest = new RequestType0<ScanWorkspaceResult, void>('hush/scanWorkspace');
