import { BadUserInputError } from '@jobmon/core';
import { jsonValueProblem, textProblem, type InputLimits } from './limits';

// Free key/value attributes of workflows and tasks (Jobmon's workflow_attributes / task attributes):
// changed after submission, and filtered on. Pure rules; the service stores them.

/** Keys one attribute filter may name. */
export const MAX_ATTRIBUTE_FILTER_KEYS = 10;

export type Attributes = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Attributes =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored attributes after `changes`: a key given replaces its value, a null value removes the key. */
export function mergeAttributes(current: unknown, changes: Attributes): Attributes | null {
  const merged: Attributes = isPlainObject(current) ? { ...current } : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length ? merged : null;
}

/** Throws BAD_USER_INPUT unless `changes` is an object whose keys are names and which stores within the caps. */
export function checkAttributeChanges(changes: unknown, limits: InputLimits): asserts changes is Attributes {
  const problems: string[] = [];
  if (!isPlainObject(changes)) problems.push('attributes must be an object');
  else {
    if (Object.keys(changes).length === 0) problems.push('attributes: nothing to change');
    for (const key of Object.keys(changes)) {
      const problem = textProblem(key, `attributes: key "${key.slice(0, 40)}"`, 'name', limits);
      if (problem) problems.push(problem);
      if (key === '') problems.push('attributes: a key cannot be empty');
    }
    const depth = jsonValueProblem(changes, limits.maxJsonDepth, 'attributes');
    if (depth) problems.push(depth);
  }
  if (problems.length) throw new BadUserInputError(`Invalid attributes: ${problems.join('; ')}`, problems);
}

/** The attributes as stored (JSON text), or BAD_USER_INPUT when they would exceed the free-text cap. */
export function storedAttributes(
  merged: Attributes | null,
  where: string,
  limits: InputLimits,
): string | null {
  if (merged === null) return null;
  const stored = JSON.stringify(merged);
  const problem = textProblem(stored, `${where}: attributes`, 'text', limits);
  if (problem) throw new BadUserInputError(`Invalid attributes: ${problem}`, [problem]);
  return stored;
}

/**
 * An attribute filter `{ key: value }` (every pair must match) as key → the value's text: values are
 * compared as text (`{ year: 2020 }` matches a stored 2020 or "2020"). Throws BAD_USER_INPUT for a value
 * that is not a string, number or boolean, for too many keys, or for keys or values over the name cap.
 */
export function attributeFilter(filter: unknown, limits: InputLimits): Map<string, string> {
  const problems: string[] = [];
  const pairs = new Map<string, string>();
  if (!isPlainObject(filter)) problems.push('filter.attributes must be an object');
  else {
    const entries = Object.entries(filter);
    if (entries.length > MAX_ATTRIBUTE_FILTER_KEYS)
      problems.push(`filter.attributes names more than ${MAX_ATTRIBUTE_FILTER_KEYS} keys`);
    for (const [key, value] of entries.slice(0, MAX_ATTRIBUTE_FILTER_KEYS)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        problems.push(`filter.attributes.${key.slice(0, 40)} must be a string, number or boolean`);
        continue;
      }
      const text = String(value);
      for (const [checked, field] of [
        [key, 'filter.attributes: a key'],
        [text, `filter.attributes.${key.slice(0, 40)}`],
      ] as const) {
        const problem = textProblem(checked, field, 'name', limits);
        if (problem) problems.push(problem);
      }
      pairs.set(key, text);
    }
  }
  if (problems.length) throw new BadUserInputError(`Invalid filter: ${problems.join('; ')}`, problems);
  return pairs;
}
