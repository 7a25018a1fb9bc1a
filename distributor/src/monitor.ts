import {
  CLOCK_TICKS,
  PAGE_SIZE,
  isAlive,
  listPids,
  processTree,
  readPeakRssKb,
  readStat,
  type ProcStat,
} from './proc';

/** What one look at a process group found. */
export interface GroupSample {
  /** Sum of the resident memory of the group's live processes, in bytes. */
  rssBytes: number;
  /** The highest peak (VmHWM) of any single process of the group so far, in bytes. */
  peakProcessBytes: number;
  /** CPU of the live processes plus the children they waited for, in seconds. */
  cpuSeconds: number;
  /** How many live processes the group has. */
  processes: number;
}

interface GroupWatch {
  pgid: number;
  onSample(sample: GroupSample): void;
  /** Pids seen in the group at the last scan (new ones are found by the next full scan). */
  members: Set<number>;
  /** Its members were looked for (in its leader's process tree, or in all of /proc). */
  scanned: boolean;
  /** When it began to be watched (ms since the epoch). */
  since: number;
}

interface PidWatch {
  pid: number;
  starttime: number;
  onGone(): void;
}

export interface ProcessMonitorOptions {
  /** How often the watched groups are sampled (ms). */
  intervalMs?: number;
  /** /proc is scanned in full for new members of the groups at most once every this many intervals. */
  fullScanEvery?: number;
  /** A new group is first sampled this soon (ms), so that short commands get a measurement too. */
  firstSampleMs?: number;
}

/**
 * Samples process groups (memory and CPU of a command's whole process tree) and watches pids until they
 * end, all from one timer however many commands run. A new group's members are found in its leader's
 * process tree, and a full scan of /proc (once every `fullScanEvery` intervals, while a group is older
 * than that) finds those that left it (re-parented); in between, only the known members are read, so a
 * big machine with many processes is not scanned for many short commands. The timer only runs while something is watched, and
 * never keeps the process alive.
 */
export class ProcessMonitor {
  private readonly groups = new Set<GroupWatch>();
  private readonly pids = new Set<PidWatch>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private lastFullScan: number;
  /** Full scans of /proc so far (for tests). */
  fullScans = 0;
  readonly intervalMs: number;
  private readonly fullScanEvery: number;
  private readonly firstSampleMs: number;

  constructor(options: ProcessMonitorOptions = {}) {
    this.intervalMs = options.intervalMs ?? 250;
    this.fullScanEvery = options.fullScanEvery ?? 4;
    this.firstSampleMs = options.firstSampleMs ?? 50;
    this.lastFullScan = Date.now();
  }

  /** Samples group `pgid` until the returned function is called. */
  watchGroup(pgid: number, onSample: (sample: GroupSample) => void): () => void {
    const watch: GroupWatch = {
      pgid,
      onSample,
      members: new Set([pgid]),
      scanned: false,
      since: Date.now(),
    };
    this.groups.add(watch);
    this.schedule(this.firstSampleMs);
    return () => {
      this.groups.delete(watch);
      this.stopIfIdle();
    };
  }

  /** Calls `onGone` once the process `pid` (started at `starttime`) has ended. */
  watchPid(pid: number, starttime: number, onGone: () => void): () => void {
    const watch: PidWatch = { pid, starttime, onGone };
    this.pids.add(watch);
    this.schedule(this.intervalMs);
    return () => {
      this.pids.delete(watch);
      this.stopIfIdle();
    };
  }

  private schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }

  private stopIfIdle(): void {
    if (this.groups.size === 0 && this.pids.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private run(): void {
    this.timer = undefined;
    const groups = [...this.groups.values()];
    if (groups.length) {
      // A full scan costs a read per process of the machine (tens of ms on a busy one): only for groups
      // old enough to have lost a process to a re-parenting, at most once a period.
      const period = this.fullScanEvery * this.intervalMs;
      const now = Date.now();
      let full = now - this.lastFullScan >= period && groups.some((group) => now - group.since >= period);
      for (const group of groups) {
        if (full || group.scanned) continue;
        // A command just started has its processes under its leader (the wrapper), unless one was
        // re-parented already: the next full scan finds those.
        const tree = processTree(group.pgid);
        if (tree === undefined) full = true;
        else {
          group.members = new Set(tree);
          group.scanned = true;
        }
      }
      if (full) {
        this.lastFullScan = Date.now();
        this.fullScans += 1;
      }
      this.sampleGroups(groups, full);
    }
    for (const watch of [...this.pids]) {
      const stat = readStat(watch.pid);
      if (!isAlive(stat) || stat.starttime !== watch.starttime) {
        this.pids.delete(watch);
        watch.onGone();
      }
    }
    if (this.groups.size || this.pids.size) this.schedule(this.intervalMs);
  }

  private sampleGroups(groups: GroupWatch[], fullScan: boolean): void {
    const stats = new Map<number, ProcStat[]>();
    for (const group of groups) stats.set(group.pgid, []);
    if (fullScan) {
      for (const pid of listPids()) {
        const stat = readStat(pid);
        if (isAlive(stat)) stats.get(stat.pgrp)?.push(stat);
      }
    } else {
      // Two watches of one group share its members: each pid is read once.
      const known = new Map<number, number>();
      for (const group of groups) for (const pid of group.members) known.set(pid, group.pgid);
      for (const [pid, pgid] of known) {
        const stat = readStat(pid);
        if (isAlive(stat) && stat.pgrp === pgid) stats.get(pgid)?.push(stat);
      }
    }
    for (const group of groups) {
      const members = stats.get(group.pgid) ?? [];
      if (fullScan) group.scanned = true;
      group.members = new Set(members.map((member) => member.pid));
      let rssPages = 0;
      let ticks = 0;
      let peakKb = 0;
      for (const member of members) {
        rssPages += member.rss;
        ticks += member.utime + member.stime + member.cutime + member.cstime;
        peakKb = Math.max(peakKb, readPeakRssKb(member.pid));
      }
      // The callback may end the watch (a kill); it must not stop the other groups' samples.
      try {
        group.onSample({
          rssBytes: rssPages * PAGE_SIZE,
          peakProcessBytes: peakKb * 1024,
          cpuSeconds: ticks / CLOCK_TICKS,
          processes: members.length,
        });
      } catch {
        // a sample consumer's failure is its own
      }
    }
  }
}

/** The monitor shared by every supervised command of this process. */
export const defaultMonitor = new ProcessMonitor();
