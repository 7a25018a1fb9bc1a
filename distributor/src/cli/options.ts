import { DEFAULT_SERVER_URL as CORE_DEFAULT_SERVER_URL } from '@jobmon/core';
import { InvalidArgumentError } from 'commander';

/** A commander parser for a positive integer option. */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('a positive integer is needed');
  return parsed;
}

/** A commander parser for a positive number option (seconds may be fractional). */
export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('a positive number is needed');
  return parsed;
}

export const DEFAULT_SERVER_URL = process.env.JOBMON_SERVER_URL || CORE_DEFAULT_SERVER_URL;

export function heartbeatSecondsDefault(): number {
  const value = Number(process.env.JOBMON_HEARTBEAT_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 30;
}
