import fs from 'node:fs';
import path from 'node:path';
import { logger } from './logger';

// When the wrapper has exec'd into `/usr/bin/time` (see supervisor.ts), nothing tells the launcher that a
// command ended: `time` appends the exit status to the exit file as its last act. One watch (inotify,
// through fs.watch) per directory of exit files calls back on every change of a file someone waits for;
// the monitor's /proc polling stays the backstop for an event missed (a full inotify queue, no watch).

interface DirectoryWatch {
  watcher: fs.FSWatcher;
  files: Map<string, () => void>;
  idle: NodeJS.Timeout | undefined;
}

/** How long a directory's watch outlives its last waiter (the next command of a workflow reuses it). */
const IDLE_CLOSE_MS = 10_000;

/**
 * The watches of the exit files of one owner's commands (the local backend's), by directory: passed to
 * each supervision that needs one, never shared behind its back.
 */
export class ExitWatch {
  private readonly directories = new Map<string, DirectoryWatch>();
  private warned = false;

  /**
   * Calls `onChange` on each change of `file` (its directory must exist) until the returned function is
   * called; a change made before this call is not reported (read the file once after starting to watch).
   */
  watchFileChanges(file: string, onChange: () => void): () => void {
    const dir = path.dirname(file);
    const name = path.basename(file);
    const watch = this.directories.get(dir) ?? this.openWatch(dir);
    if (!watch) return () => undefined;
    if (watch.idle) clearTimeout(watch.idle);
    watch.idle = undefined;
    watch.files.set(name, onChange);
    return () => {
      if (watch.files.get(name) !== onChange) return;
      watch.files.delete(name);
      if (watch.files.size > 0 || this.directories.get(dir) !== watch) return;
      watch.idle = setTimeout(() => this.closeWatch(dir, watch), IDLE_CLOSE_MS);
      watch.idle.unref();
    };
  }

  private closeWatch(dir: string, watch: DirectoryWatch): void {
    if (watch.idle) clearTimeout(watch.idle);
    watch.watcher.close();
    if (this.directories.get(dir) === watch) this.directories.delete(dir);
  }

  private openWatch(dir: string): DirectoryWatch | undefined {
    const files = new Map<string, () => void>();
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: false }, (event, name) => {
        if (event !== 'change') return;
        if (name) files.get(name)?.();
        // No name given (not on Linux): any of them may have changed.
        else for (const onChange of [...files.values()]) onChange();
      });
    } catch (error) {
      if (!this.warned)
        logger.warn({ err: error }, 'cannot watch the exit files: command ends are seen by polling');
      this.warned = true;
      return undefined;
    }
    const watch: DirectoryWatch = { watcher, files, idle: undefined };
    // The directory went away (removed with its logs): the backstop sees the ends of its commands.
    watcher.on('error', () => this.closeWatch(dir, watch));
    this.directories.set(dir, watch);
    return watch;
  }
}
