import { terminalSafe, terminalSafeClient, terminalSafeDeep } from './terminal-safe';

describe('terminal-safe output', () => {
  it('shows C0, DEL, C1 and bidi controls as visible escapes; keeps tabs, newlines and text', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007c\rd\u007fe\u009bf\u202eg\u2066h')).toBe(
      'a\\x1b[2Jb\\x07c\\rd\\x7fe\\x9bf\\u202eg\\u2066h',
    );
    expect(terminalSafe('tab\there\nnext line; ünïcødé 数据 🙂')).toBe(
      'tab\there\nnext line; ünïcødé 数据 🙂',
    );
  });

  it('applies to every string of an answer, and to every async answer of a client', async () => {
    expect(terminalSafeDeep({ a: ['\u001b', { b: '\u0000' }], n: 3, z: null })).toEqual({
      a: ['\\x1b', { b: '\\x00' }],
      n: 3,
      z: null,
    });
    const client = terminalSafeClient({
      name: 'plain',
      async query() {
        return { workflow: { name: 'w\u001b]0;t\u0007' } };
      },
    });
    expect(await client.query()).toEqual({ workflow: { name: 'w\\x1b]0;t\\x07' } });
    expect(client.name).toBe('plain');
  });
});
