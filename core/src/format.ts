// Counts in words, the same in the web UI and on the command line.

// Built once: toLocaleString builds a formatter per call, which shows in profiles of big pages. And built
// on first use, not at load: creating it costs ~20 ms (ICU's data), 10% of every `jobmon` command's start.
let numberFormat: Intl.NumberFormat | undefined;

/** `1 task`, `2 tasks`, `1,000 tasks`; `plural` for a noun not made plural by an s (`retry`, `retries`). */
export function formatCount(value: number, noun: string, plural = `${noun}s`): string {
  numberFormat ??= new Intl.NumberFormat('en-US');
  return `${numberFormat.format(value)} ${value === 1 ? noun : plural}`;
}
