import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, type Chromium } from '../testing/chromium';
import { packageDir } from '../testing/packages';
import { timeDagRender } from './dag-render';

// BENCH_SOAK_PAGE=1 in bench:soak: the workflow page opened while the workflow runs, at 25, 50 and 75 % of
// its tasks DONE, each time in a fresh headless Chromium (a new profile: cold HTTP cache, as a user's
// first visit), against the soak's own API server (which serves the built UI). Goal: the collapsed view
// drawn in < 2 s.

const MARKS = [0.25, 0.5, 0.75];
const GOAL_MS = 2000;
const VIEWPORT = { width: 1440, height: 900 };

interface PageRow {
  mark: number;
  /** Tasks DONE when the page was opened (the marks are reached between two progress events). */
  done: number;
  total: number;
  load: number;
  renderMs?: number;
  graphqlSentMs?: number;
  graphqlAnsweredMs?: number;
  nodes?: number;
  graphqlKb?: number;
  chromiumMb?: number;
  error?: string;
}

/** Pids of a process and all its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The ppid is the second field after the command, which may contain spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** The browser process started with this profile directory (Debian's wrapper script execs it). */
function browserPid(profile: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--user-data-dir=${profile}`)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

/** Proportional set size (shared pages divided among their sharers) of a process tree, in MiB. */
function treePssMb(root: number): number {
  let kib = 0;
  for (const pid of processTree(root)) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      kib += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kib / 1024;
}

export class SoakPageProbe {
  private readonly rows: PageRow[] = [];
  private readonly consoleErrors: string[] = [];
  private next = 0;
  private measuring: Promise<void> | null = null;
  /** The browser for the next mark, launched ahead so that its start-up is not timed or waited for. */
  private browser: Promise<Chromium | Error> | null;

  constructor(
    private readonly url: string,
    private readonly templates: number,
  ) {
    // The soak's server inherits JOBMON_WEB_DIR, else serves web/dist of this repository.
    const webDir = process.env.JOBMON_WEB_DIR || path.join(packageDir('web'), 'dist');
    if (!fs.existsSync(path.join(webDir, 'index.html')))
      throw new Error(
        `No built web UI in ${webDir}: run npm run build --workspace web (or set JOBMON_WEB_DIR)`,
      );
    this.browser = this.launch();
  }

  private launch(): Promise<Chromium | Error> {
    return launchChromium(VIEWPORT).catch((error: unknown) => error as Error);
  }

  /**
   * From the soak's progress: opens the page once the next mark is reached and no page is open (so a mark
   * may be opened later than reached), never once every task is DONE (no longer during the run).
   */
  progress(workflowId: string, done: number, total: number): void {
    if (this.measuring || this.next >= MARKS.length || done < MARKS[this.next]! * total || done >= total)
      return;
    const row: PageRow = { mark: MARKS[this.next++]!, done, total, load: os.loadavg()[0]! };
    this.rows.push(row);
    this.measuring = this.measure(`${this.url}/workflows/${workflowId}`, row).finally(() => {
      this.measuring = null;
    });
  }

  private async measure(url: string, row: PageRow): Promise<void> {
    const browser = await this.browser!;
    this.browser = null;
    if (browser instanceof Error) {
      row.error = browser.message;
      return;
    }
    const root = browserPid(browser.profile);
    let peak = 0;
    const sample = () => {
      if (root !== null) peak = Math.max(peak, treePssMb(root));
    };
    const sampler = setInterval(sample, 200);
    try {
      const page = await browser.context.newPage();
      const { renderMs, graphqlSentMs, graphqlAnsweredMs, nodes, graphql } = await timeDagRender(page, url, {
        minNodes: this.templates,
      });
      const graphqlBytes = await graphql.responseBytes();
      sample();
      Object.assign(row, {
        renderMs,
        graphqlSentMs,
        graphqlAnsweredMs,
        nodes,
        graphqlKb: graphqlBytes / 1024,
      });
      if (nodes !== this.templates)
        row.error = `${nodes} nodes drawn, expected ${this.templates} (collapsed)`;
    } catch (error) {
      row.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
    } finally {
      clearInterval(sampler);
      if (root !== null) row.chromiumMb = peak;
      this.consoleErrors.push(...browser.consoleErrors);
      await browser.close();
      if (this.next < MARKS.length) this.browser = this.launch();
    }
  }

  /** Waits for a page still open and closes the browser launched ahead. */
  async close(): Promise<void> {
    await this.measuring;
    const browser = await this.browser;
    this.browser = null;
    if (browser && !(browser instanceof Error)) await browser.close();
  }

  print(): void {
    const cores = os.availableParallelism();
    console.log(
      `\n| workflow page (collapsed) at | tasks DONE when opened | first render ms (goal) | GraphQL first sent / last answered at ms | template nodes | ` +
        `GraphQL KiB to first render | Chromium peak PSS MB | load average (1 min, ${cores} cores) |\n|---|---|---|---|---|---|---|---|`,
    );
    for (const row of this.rows)
      console.log(
        `| ${row.mark * 100}% | ${row.done.toLocaleString('en-US')} (${((row.done / row.total) * 100).toFixed(0)}%) | ` +
          `${row.renderMs === undefined ? 'failed' : `${Math.round(row.renderMs)} (< ${GOAL_MS})`}${row.error ? `: ${row.error}` : ''} | ` +
          `${row.graphqlAnsweredMs === undefined ? '-' : `${Math.round(row.graphqlSentMs!)} / ${Math.round(row.graphqlAnsweredMs)}`} | ` +
          `${row.nodes ?? '-'} | ${row.graphqlKb?.toFixed(1) ?? '-'} | ${row.chromiumMb?.toFixed(0) ?? '-'} | ` +
          `${row.load.toFixed(1)} |`,
      );
    for (const mark of MARKS.slice(this.rows.length))
      console.log(`| ${mark * 100}% | not opened: the run ended first | | | | | | |`);
    const missed = this.rows.filter((row) => row.error || (row.renderMs ?? Infinity) > GOAL_MS);
    if (missed.length) console.log(`goal missed at: ${missed.map((row) => `${row.mark * 100}%`).join(', ')}`);
    if (this.consoleErrors.length) console.log('console errors:', this.consoleErrors);
  }
}
