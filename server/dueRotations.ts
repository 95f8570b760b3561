/**
 * Due rotations while the editor is open, only when the user turned on
 * `hush.rotation.runDueInEditor` (off by default: a rotation can change a
 * database password). Checked when the store opens and then every hour.
 * A rotation with a hook is left for later in an untrusted workspace (it
 * would be refused anyway), and a secret whose rotation failed is not tried
 * again in this session: the user sees the failure once and reruns it by hand.
 */
import type { RotationResult, RotationStep } from '../shared/protocol';
import { dueSecrets, rotateSecret } from '../shared/secrets/rotation';
import type { SecretsManager } from '../shared/secrets/secretsManager';

const CHECK_EVERY_MS = 3_600_000;

export interface DueRotationsEnv {
  manager(): Promise<SecretsManager>;
  enabled(): boolean;
  trusted(): boolean;
  onStep(secretName: string, step: RotationStep): void;
  /** One finished rotation, for a message to the user. */
  onResult(r: RotationResult): void;
  now?(): Date;
}

export class DueRotations {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RotationResult[]> | undefined;
  private readonly failed = new Set<string>();

  constructor(private readonly env: DueRotationsEnv) {}

  /** Starts the hourly check (and runs one now). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), CHECK_EVERY_MS);
    this.timer.unref();
    void this.runOnce();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Rotates every due secret, one after the other; a check already running is joined, not doubled. */
  runOnce(): Promise<RotationResult[]> {
    if (!this.env.enabled()) return Promise.resolve([]);
    this.running ??= this.rotateDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async rotateDue(): Promise<RotationResult[]> {
    let m: SecretsManager;
    try {
      m = await this.env.manager();
    } catch {
      return []; // the store is locked or broken: the status bar says so; try again next time
    }
    const results: RotationResult[] = [];
    for (const name of await dueSecrets(m, this.env.now?.() ?? new Date()).catch(() => [] as string[])) {
      if (this.failed.has(name)) continue;
      const d = await m.describeSecret(name).catch(() => undefined);
      if (!d || (d.rotation?.hook && !this.env.trusted())) continue;
      const r = await rotateSecret(m, name, { allowHooks: this.env.trusted(), onStep: (s) => this.env.onStep(name, s) });
      if (!r.ok) this.failed.add(name);
      this.env.onResult(r);
      results.push(r);
    }
    return results;
  }
}
