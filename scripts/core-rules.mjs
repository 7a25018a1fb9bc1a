/* global process, URL */
// The shared core's data rules (status vocabularies and groups, error codes, defaults, the resource
// tables and patterns, the longest list of scale factors, the placeholder name pattern, the name limit) as a module of each of the other-language clients:
// client-sdk/python/jobmon/client/_core_rules.py and client-sdk/r/R/core_rules.R. Run by
// scripts/codegen.mjs, whose --check fails when a committed file is not what this makes. The clients'
// algorithms that must agree with the core are held to it by core/conformance/*.json instead.
import { createRequire } from 'node:module';
import path from 'node:path';

/** @typedef {{ file: string, text: string }} GeneratedFile */

const HEADER = 'Generated from @jobmon/core by scripts/core-rules.mjs (npm run codegen): do not edit.';

/**
 * A core pattern in the syntax the three languages share. `\d` becomes [0-9] (Python's is Unicode), a
 * final `$` matches only at the very end (as JavaScript's; Python's and PCRE's also match before a final
 * newline), and the `i` flag goes inline. A sticky pattern (`y`: matched where the last match ended) is
 * anchored with `^` for R, which matches it against the rest of the text; Python matches it at a position.
 */
function portable(regex, language) {
  const unsupported = regex.flags.replace(/[iy]/g, '');
  if (unsupported) throw new Error(`core-rules: /${regex.source}/${regex.flags} has flags no client reads`);
  let source = regex.source.replace(/\\d/g, '[0-9]');
  if (source.endsWith('$') && !source.endsWith('\\$')) {
    source = source.slice(0, -1) + (language === 'python' ? '\\Z' : '\\z');
  }
  if (regex.sticky && language === 'r') source = '^' + source;
  return (regex.ignoreCase ? '(?i)' : '') + source;
}

/** The values the clients take from the core, by the name both modules give them. */
function rules(core) {
  const enums = {
    TaskStatus: core.TaskStatus,
    TaskInstanceStatus: core.TaskInstanceStatus,
    WorkflowRunStatus: core.WorkflowRunStatus,
    WorkflowStatus: core.WorkflowStatus,
    ErrorCode: core.ErrorCode,
  };
  const groups = {
    TASK_ACTIVE_STATUSES: core.TASK_ACTIVE_STATUSES,
    TASK_TERMINAL_STATUSES: core.TASK_TERMINAL_STATUSES,
    TASK_INSTANCE_ACTIVE_STATUSES: core.TASK_INSTANCE_ACTIVE_STATUSES,
    TASK_INSTANCE_TERMINAL_STATUSES: core.TASK_INSTANCE_TERMINAL_STATUSES,
    TASK_INSTANCE_FAILED_STATUSES: core.TASK_INSTANCE_FAILED_STATUSES,
    WORKFLOW_RUN_ACTIVE_STATUSES: core.WORKFLOW_RUN_ACTIVE_STATUSES,
    WORKFLOW_RUN_TERMINAL_STATUSES: core.WORKFLOW_RUN_TERMINAL_STATUSES,
    WORKFLOW_ENDED_STATUSES: core.WORKFLOW_ENDED_STATUSES,
    BACKEND_NAMES: core.BACKEND_NAMES,
    SERVER_BACKEND_NAMES: core.SERVER_BACKEND_NAMES,
  };
  const scalars = {
    DEFAULT_SERVER_URL: core.DEFAULT_SERVER_URL,
    DEFAULT_MAX_CONCURRENTLY_RUNNING: core.DEFAULT_MAX_CONCURRENTLY_RUNNING,
    DEFAULT_MAX_TASKS_PER_REQUEST: core.DEFAULT_MAX_TASKS_PER_REQUEST,
    DEFAULT_MAX_ITEMS_PER_REQUEST: core.DEFAULT_MAX_ITEMS_PER_REQUEST,
    SERVER_BUSY_RETRY_SECONDS: core.SERVER_BUSY_RETRY_SECONDS,
    MAX_RESOURCE_AMOUNT: core.MAX_RESOURCE_AMOUNT,
    MAX_SCALE_FACTORS: core.MAX_SCALE_FACTORS,
    MAX_NAME_LENGTH: core.MAX_NAME_LENGTH,
  };
  const tables = { MEMORY_UNITS: core.MEMORY_UNITS, SECONDS_PER_UNIT: core.SECONDS_PER_UNIT };
  const patterns = {
    PLACEHOLDER_NAME_PATTERN: core.PLACEHOLDER_NAME_PATTERN,
    MEMORY_PATTERN: core.MEMORY_PATTERN,
    AMOUNT_PATTERN: core.AMOUNT_PATTERN,
    DURATION_PART_PATTERN: core.DURATION_PART_PATTERN,
    CLOCK_PATTERN: core.CLOCK_PATTERN,
  };
  for (const [name, value] of Object.entries({ ...enums, ...groups, ...scalars, ...tables, ...patterns })) {
    if (value === undefined) throw new Error(`core-rules: @jobmon/core exports no ${name}`);
  }
  return { enums, groups, scalars, tables, patterns };
}

// JSON's strings and numbers are Python's and R's too (all of these are ASCII, whole or binary fractions).
const literal = (value) => JSON.stringify(value);
const upperSnake = (name) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
const plural = (name) => name + (name.endsWith('S') ? 'ES' : 'S');
const tuple = (values) => `(${values.map(literal).join(', ')}${values.length === 1 ? ',' : ''})`;

function python({ enums, groups, scalars, tables, patterns }) {
  const lines = [`"""Jobmon's shared rules, from its TypeScript core (core/src).`, '', HEADER, '"""', ''];
  lines.push('from __future__ import annotations', '', 'import re', '', '');
  for (const [name, values] of Object.entries(enums)) {
    lines.push(`class ${name}:`, `    """core's ${name}."""`, '');
    for (const [key, value] of Object.entries(values)) lines.push(`    ${key} = ${literal(value)}`);
    lines.push('', '');
  }
  for (const [name, values] of Object.entries(enums)) {
    lines.push(`ALL_${plural(upperSnake(name))} = ${tuple(Object.values(values))}`);
  }
  for (const [name, values] of Object.entries(groups)) {
    lines.push(`${name} = ${tuple(values)}`);
  }
  lines.push('');
  for (const [name, value] of Object.entries(scalars)) lines.push(`${name} = ${literal(value)}`);
  for (const [name, table] of Object.entries(tables)) {
    const entries = Object.entries(table).map(([key, value]) => `${literal(key)}: ${literal(value)}`);
    lines.push(`${name} = {${entries.join(', ')}}`);
  }
  lines.push(
    '',
    '# Sticky patterns (DURATION_PART_PATTERN) are matched at a position: pattern.match(text, pos).',
  );
  for (const [name, regex] of Object.entries(patterns)) {
    lines.push(`${name} = re.compile(${literal(portable(regex, 'python'))})`);
  }
  return lines.join('\n') + '\n';
}

function r({ enums, groups, scalars, tables, patterns }) {
  const vector = (entries) => `c(${entries.join(', ')})`;
  const lines = [`# Jobmon's shared rules, from its TypeScript core (core/src).`, `# ${HEADER}`, ''];
  for (const [name, values] of Object.entries(enums)) {
    const entries = Object.entries(values).map(([key, value]) => `${key} = ${literal(value)}`);
    lines.push(`${upperSnake(name)} <- ${vector(entries)}`);
  }
  for (const [name, values] of Object.entries(groups))
    lines.push(`${name} <- ${vector(values.map(literal))}`);
  lines.push('');
  for (const [name, value] of Object.entries(scalars)) lines.push(`${name} <- ${literal(value)}`);
  for (const [name, table] of Object.entries(tables)) {
    const entries = Object.entries(table).map(([key, value]) => `${key} = ${literal(value)}`);
    lines.push(`${name} <- ${vector(entries)}`);
  }
  lines.push(
    '',
    '# For perl = TRUE; a sticky one (DURATION_PART_PATTERN) is anchored: match it against the rest.',
  );
  for (const [name, regex] of Object.entries(patterns))
    lines.push(`${name} <- ${literal(portable(regex, 'r'))}`);
  return lines.join('\n') + '\n';
}

/** The generated files (paths relative to the repository root) from the core's build in `root`. */
export function coreRulesFiles(root) {
  const core = createRequire(path.join(root, 'package.json'))(path.join(root, 'core', 'dist', 'index.js'));
  const values = rules(core);
  return [
    { file: path.join('client-sdk', 'python', 'jobmon', 'client', '_core_rules.py'), text: python(values) },
    { file: path.join('client-sdk', 'r', 'R', 'core_rules.R'), text: r(values) },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  for (const { file, text } of coreRulesFiles(path.resolve(path.dirname(process.argv[1]), '..'))) {
    process.stdout.write(`--- ${file}\n${text}`);
  }
}
