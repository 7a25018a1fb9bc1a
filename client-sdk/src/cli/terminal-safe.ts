// Text from the server (names, error messages, output tails) is other people's data: printed raw, an
// escape sequence in it could retitle the terminal, hide or rewrite lines, or (with some terminals)
// answer back as keystrokes. Human output shows such characters as visible escapes instead; --json
// output needs nothing (JSON.stringify escapes control characters itself).

/**
 * C0 controls but tab and newline, DEL, C1 controls (CSI U+009B and friends act alone on some
 * terminals), and the bidirectional overrides/isolates that reorder what is shown ("Trojan source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\r') return '\\r';
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every terminal control character shown as a visible escape (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A copy of `value` with every string in it made terminal-safe (plain objects and arrays). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => terminalSafeDeep(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, terminalSafeDeep(item)]),
    ) as T;
  }
  return value;
}

/**
 * `client` whose every asynchronous answer comes back terminal-safe: the one door through which
 * server data reaches a human command, so no command can forget it.
 */
export function terminalSafeClient<C extends object>(client: C): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const result: unknown = (member as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? result.then((answer) => terminalSafeDeep(answer)) : result;
      };
    },
  });
}
