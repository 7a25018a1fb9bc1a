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

const directories = new Map<string, DirectoryWatch>();
/** How long a directory's watch outlives its last waiter (the next command of a workflow reuses it). */
const IDLE_CLOSE_MS = 10_000;
let warned = false;

function closeWatch(dir: string, watch: DirectoryWatch): void {
  if (watch.idle) clearTimeout(watch.idle);
  watch.watcher.close();
  if (directories.get(dir) === watch) directories.delete(dir);
}

function openWatch(dir: string): DirectoryWatch | undefined {
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
    if (!warned) logger.warn({ err: error }, 'cannot watch the exit files: command ends are seen by polling');
    warned = true;
    return undefined;
  }
  const watch: DirectoryWatch = { watcher, files, idle: undefined };
  // The directory went away (removed with its logs): the backstop sees the ends of its commands.
  watcher.on('error', () => closeWatch(dir, watch));
  directories.set(dir, watch);
  return watch;
}

/**
 * Calls `onChange` on each change of `file` (its directory must exist) until the returned function is
 * called; a change made before this call is not reported (read the file once after starting to watch).
 */
export function watchFileChanges(file: string, onChange: () => void): () => void {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const watch = directories.get(dir) ?? openWatch(dir);
  if (!watch) return () => undefined;
  if (watch.idle) clearTimeout(watch.idle);
  watch.idle = undefined;
  watch.files.set(name, onChange);
  return () => {
    if (watch.files.get(name) !== onChange) return;
    watch.files.delete(name);
    if (watch.files.size > 0 || directories.get(dir) !== watch) return;
    watch.idle = setTimeout(() => closeWatch(dir, watch), IDLE_CLOSE_MS);
    watch.idle.unref();
  };
}
