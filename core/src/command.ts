/**
 * Command templates such as `python fit.py --loc {location} --year {year}`: parsing, validation against
 * the declared argument groups, and rendering. `{{` and `}}` stand for literal braces (as in Python's
 * str.format, which Jobmon templates have always followed).
 */
import { BadUserInputError } from './errors';

/** What a placeholder's name (and a declared argument's) must be: an identifier. */
export const PLACEHOLDER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME = PLACEHOLDER_NAME_PATTERN;

export type ArgGroup = 'nodeArgs' | 'taskArgs' | 'opArgs';
const GROUPS: readonly ArgGroup[] = ['nodeArgs', 'taskArgs', 'opArgs'];

interface Parsed {
  /** literals.length === names.length + 1; the command is literals[0] + v(names[0]) + literals[1] + ... */
  literals: string[];
  names: string[];
  /** Syntax problems, without the template prefix (the caller knows the template's name). */
  problems: string[];
}

function parse(template: string): Parsed {
  const literals: string[] = [];
  const names: string[] = [];
  const problems: string[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        literal += '{';
        i += 2;
        continue;
      }
      const close = template.indexOf('}', i + 1);
      if (close === -1) {
        problems.push(`unclosed "{" at offset ${i} (write {{ for a literal brace)`);
        literal += template.slice(i);
        break;
      }
      const name = template.slice(i + 1, close);
      if (NAME.test(name)) {
        literals.push(literal);
        names.push(name);
        literal = '';
      } else {
        problems.push(
          `invalid placeholder "{${name}}" at offset ${i}: names must match ${NAME.source}` +
            ' (write {{ and }} for literal braces)',
        );
        literal += template.slice(i, close + 1);
      }
      i = close + 1;
    } else if (c === '}') {
      if (template[i + 1] === '}') {
        literal += '}';
        i += 2;
        continue;
      }
      problems.push(`unmatched "}" at offset ${i} (write }} for a literal brace)`);
      literal += '}';
      i++;
    } else {
      // Copy the run up to the next brace in one go rather than char by char.
      let j = i + 1;
      while (j < template.length && template[j] !== '{' && template[j] !== '}') j++;
      literal += template.slice(i, j);
      i = j;
    }
  }
  literals.push(literal);
  return { literals, names, problems };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** The template's syntax problems (malformed braces, invalid names), in order; none for a valid template. */
export function templateSyntaxProblems(commandTemplate: string): string[] {
  return parse(commandTemplate).problems;
}

/** Placeholder names in order of first appearance, each once. Malformed braces are skipped here. */
export function templatePlaceholders(commandTemplate: string): string[] {
  return unique(parse(commandTemplate).names);
}

export interface TemplateInput {
  name: string;
  commandTemplate: string;
  nodeArgs?: string[] | null;
  taskArgs?: string[] | null;
  opArgs?: string[] | null;
}

export interface TemplateValidation {
  problems: string[];
  nodeArgs: string[];
  taskArgs: string[];
  opArgs: string[];
}

/**
 * Checks a task template and normalizes its argument groups (null -> [], duplicates within a group
 * dropped). When no group is declared at all, every placeholder is a node arg (the common, simple case);
 * once any group is declared, every placeholder must be declared somewhere.
 */
export function validateTemplate(t: TemplateInput): TemplateValidation {
  const problems: string[] = [];
  const label = `template "${t.name}"`;
  if (t.name.trim() === '') problems.push('template name must not be empty');
  if (t.commandTemplate.trim() === '') problems.push(`${label}: commandTemplate must not be empty`);

  const parsed = parse(t.commandTemplate);
  for (const p of parsed.problems) problems.push(`${label}: ${p}`);
  const placeholders = unique(parsed.names);

  if (t.nodeArgs == null && t.taskArgs == null && t.opArgs == null) {
    return { problems, nodeArgs: placeholders, taskArgs: [], opArgs: [] };
  }

  const groups: Record<ArgGroup, string[]> = {
    nodeArgs: unique(t.nodeArgs ?? []),
    taskArgs: unique(t.taskArgs ?? []),
    opArgs: unique(t.opArgs ?? []),
  };
  const used = new Set(placeholders);
  const groupOf = new Map<string, ArgGroup>();
  for (const group of GROUPS) {
    for (const arg of groups[group]) {
      if (!NAME.test(arg)) {
        problems.push(`${label}: ${group} argument "${arg}" is not a valid name (must match ${NAME.source})`);
        continue;
      }
      const earlier = groupOf.get(arg);
      if (earlier !== undefined) {
        problems.push(`${label}: argument "${arg}" is declared in both ${earlier} and ${group}`);
        continue;
      }
      groupOf.set(arg, group);
      if (!used.has(arg)) {
        problems.push(`${label}: ${group} argument "${arg}" does not appear in the command template`);
      }
    }
  }
  for (const name of placeholders) {
    if (!groupOf.has(name)) {
      problems.push(`${label}: placeholder {${name}} is not declared in nodeArgs, taskArgs or opArgs`);
    }
  }
  return { problems, ...groups };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The argument values a command accepts; anything else has no single obvious text form. */
function isArgValue(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && isFinite(value))
  );
}

/**
 * Why `value` cannot be the argument `name` (null when it can): an argument is a string, a finite number
 * or a boolean. Held to core/conformance/templates.json (argValues) in every client.
 */
export function argValueProblem(name: string, value: unknown): string | null {
  return isArgValue(value) ? null : `argument "${name}" must be a string, a finite number or a boolean`;
}

/**
 * The text an argument value becomes in a command, a node's identity and a task key: a string as it is,
 * a number as JavaScript writes it (2.0 is "2", 1e21 is "1e+21"), a boolean "true" or "false". Throws
 * BadUserInputError for any other value. Held to core/conformance/templates.json (argValues).
 */
export function argText(value: unknown, name = 'value'): string {
  if (typeof value === 'string') return value;
  if (isArgValue(value)) return String(value);
  throw new BadUserInputError(
    `Argument "${name}" must be a string, a finite number or a boolean (got ${describeValue(value)})`,
    [`argument "${name}" has an invalid value`],
  );
}

/** Names (in key order) whose values are not a string, a finite number or a boolean. */
export function invalidArgValues(args: Record<string, unknown>): string[] {
  return Object.keys(args).filter((name) => !isArgValue(args[name]));
}

export type RenderResult = { command: string } | { missing: string[] };

export interface CompiledTemplate {
  readonly commandTemplate: string;
  /** Unique placeholder names in order of first appearance. */
  readonly placeholders: readonly string[];
  /**
   * Substitutes `args` (strings as-is, numbers and booleans via String()). Reports every placeholder
   * without a value; throws BadUserInputError for a value that is present but not renderable (check
   * invalidArgValues first to report those nicely).
   */
  render(args: Record<string, unknown>): RenderResult;
}

/**
 * Parses a template once so that rendering is a single pass of concatenation (this runs once per task,
 * up to a million times per submission). Throws BadUserInputError on malformed braces.
 */
export function compileTemplate(commandTemplate: string): CompiledTemplate {
  const { literals, names, problems } = parse(commandTemplate);
  if (problems.length > 0) {
    throw new BadUserInputError(`Invalid command template: ${problems.join('; ')}`, problems);
  }
  const placeholders = Object.freeze(unique(names));
  const count = names.length;
  return {
    commandTemplate,
    placeholders,
    render(args: Record<string, unknown>): RenderResult {
      let command = literals[0]!;
      let missing: string[] | undefined;
      for (let k = 0; k < count; k++) {
        const name = names[k]!;
        const value = args[name];
        if (typeof value === 'string') command += value;
        else if ((typeof value === 'number' && isFinite(value)) || typeof value === 'boolean') {
          command += String(value);
        } else if (value === undefined || !Object.prototype.hasOwnProperty.call(args, name)) {
          // Inherited properties (e.g. `constructor`) are not arguments.
          missing ??= [];
          if (!missing.includes(name)) missing.push(name);
          continue;
        } else {
          throw new BadUserInputError(
            `Argument "${name}" must be a string, a finite number or a boolean (got ${describeValue(value)})`,
            [`argument "${name}" has an invalid value`],
          );
        }
        command += literals[k + 1]!;
      }
      return missing === undefined ? { command } : { missing };
    },
  };
}

let lastCompiled: CompiledTemplate | undefined;

/** One-off rendering; loops should compileTemplate once instead (this caches only the last template). */
export function renderCommand(commandTemplate: string, args: Record<string, unknown>): RenderResult {
  if (lastCompiled?.commandTemplate !== commandTemplate) lastCompiled = compileTemplate(commandTemplate);
  return lastCompiled.render(args);
}

/**
 * The text values of the node args, which identify a node. Throws BadUserInputError when one is missing
 * or not renderable: dropping it silently would merge distinct nodes.
 */
export function nodeArgValues(nodeArgs: string[], args: Record<string, unknown>): Record<string, string> {
  const problems: string[] = [];
  const entries: [string, string][] = [];
  for (const name of nodeArgs) {
    const value = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    if (value === undefined) problems.push(`node argument "${name}" is missing`);
    else if (!isArgValue(value)) {
      problems.push(
        `node argument "${name}" must be a string, a finite number or a boolean (got ${describeValue(value)})`,
      );
    } else entries.push([name, argText(value, name)]);
  }
  if (problems.length > 0)
    throw new BadUserInputError(`Invalid node arguments: ${problems.join('; ')}`, problems);
  // fromEntries defines own properties, so even a node arg named `__proto__` is kept as data.
  return Object.fromEntries(entries);
}

/**
 * Deterministic JSON for hashing: object keys sorted (by UTF-16 code units) at every depth, no whitespace.
 * Otherwise follows JSON.stringify: toJSON is honoured, undefined/functions/symbols are dropped from
 * objects and become null in arrays, non-finite numbers become null; bigints and cycles throw TypeError.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, new Set());
  if (out === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
  return out;
}

function write(value: unknown, ancestors: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (ancestors.has(obj)) throw new TypeError('canonicalJson: cyclic structure');
  ancestors.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = '[' + obj.map((item: unknown) => write(item, ancestors) ?? 'null').join(',') + ']';
  } else {
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = write(record[key], ancestors);
      if (item !== undefined) parts.push(JSON.stringify(key) + ':' + item);
    }
    out = '{' + parts.join(',') + '}';
  }
  ancestors.delete(obj);
  return out;
}
