// Formatting of times, durations and sizes, shared by every page.

// Formatters are built once: toLocaleString builds one per call, which shows in profiles of big pages.
const numberFormat = new Intl.NumberFormat('en-US');

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * `2026-12-06 13:04:05` in the browser's time zone: the year in full and the order unambiguous whatever
 * the locale (a locale's short style printed `12/6/26`).
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  // Short tasks are common: `0.0 s` would say nothing.
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${rest} s`;
}

/** Seconds between two ISO times (the second defaults to now). */
export function secondsBetween(from: string | null | undefined, to?: string | null): number | null {
  if (!from) return null;
  const end = to ? new Date(to).getTime() : Date.now();
  return Math.max(0, (end - new Date(from).getTime()) / 1000);
}

export function formatMegabytes(mb: number | null | undefined): string {
  if (mb === null || mb === undefined) return '—';
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${Math.round(mb)} MiB`;
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** `1 task`, `2 tasks`, `1,000 tasks`: the core's, as the command line prints them. */
export { formatCount } from '@jobmon/core';
