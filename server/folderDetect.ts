/**
 * Per workspace folder: the detection settings the folder carries
 * (`.hushignore`, `.hush/rules.json`, `.hush/baseline.json`), read once and
 * kept until the client reports one of those files changed.
 */
import * as path from 'node:path';
import { Baseline, fingerprints } from '../shared/detect/baseline';
import type { Finding } from '../shared/detect/finding';
import { hushIgnoreFor } from '../shared/detect/ignores';
import { BASELINE_FILE, FolderRules, readBaselineFile, readRulesFile, RULES_FILE } from '../shared/detect/workspaceConfig';

export interface FolderDetect {
  readonly folder: string;
  readonly ignored: (rel: string) => boolean;
  readonly rules: FolderRules;
  readonly baseline: Baseline | undefined;
  /** Problems with the folder's files, one sentence each (shown once per load). */
  readonly problems: string[];
}

export class FolderDetectCache {
  private readonly byFolder = new Map<string, FolderDetect>();

  constructor(private readonly report: (problem: string) => void) {}

  clear(): void {
    this.byFolder.clear();
  }

  get(folder: string): FolderDetect {
    let hit = this.byFolder.get(folder);
    if (!hit) {
      const problems: string[] = [];
      const rules = readRulesFile(path.join(folder, RULES_FILE));
      problems.push(...rules.errors);
      let baseline: Baseline | undefined;
      try {
        baseline = readBaselineFile(path.join(folder, BASELINE_FILE));
      } catch (e) {
        problems.push(`${(e as Error).message}; findings are reported as if there were no baseline`);
      }
      hit = { folder, ignored: hushIgnoreFor(folder), rules, baseline, problems };
      this.byFolder.set(folder, hit);
      for (const p of problems) this.report(p);
    }
    return hit;
  }
}

/** Findings minus those the folder's baseline accepted. */
export function withoutBaselined(cfg: FolderDetect, text: string, file: string, findings: Finding[]): Finding[] {
  if (!cfg.baseline || findings.length === 0) return findings;
  const rel = path.relative(cfg.folder, file).split(path.sep).join('/');
  const fps = fingerprints(text, rel, findings, cfg.baseline.salt);
  return findings.filter((_, i) => !cfg.baseline!.has(fps[i]));
}
