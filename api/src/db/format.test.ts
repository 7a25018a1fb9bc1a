import { describeEachDatabase } from '../testing/databases';

// Database.format inlines `?` placeholders into statements that already carry inlined literals (IN lists,
// bulk rows). Fuzzed with hostile text next to placeholders, every value must come back from the
// database exactly as it went in, on both dialects, through both ways a statement is sent.

/** A small seeded generator: a failure names its seed and reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '?',
  '\\',
  "'",
  '"',
  '`',
  '\0',
  '\n',
  '\r',
  '\t',
  '\x1a',
  '#',
  '-- ',
  '/*',
  '*/',
  '%',
  '_',
  'a',
  'Z',
  ' ',
  '€',
  '😀',
  'é',
  '\ud800',
  '\udc00',
];

function hostile(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

/** What a UTF-8 database stores for `text`: lone surrogates become U+FFFD. */
const stored = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

describeEachDatabase('Database.format', (ctx) => {
  it('inlines values next to hostile literals, quotes and comments that round-trip unchanged', async () => {
    const { db } = ctx;
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed);
      const [a, b, c, d] = [hostile(next), hostile(next), hostile(next), hostile(next)];
      // Literals inlined first (as IN lists and bulk rows are), placeholders after, and `?` in comments
      // and quoted identifiers, none of which is a placeholder.
      const sql =
        `SELECT ${db.literal(a)} AS ${db.dialect === 'mysql' ? '`a?`' : '"a?"'}, ? AS b, ` +
        `${db.literal(c)} AS c /* ? */, ? AS d -- ?\n`;
      const expected = { 'a?': stored(a), b: stored(b), c: stored(c), d: stored(d) };
      const inTransaction = await db.transaction((transaction) => db.select(sql, [b, d], transaction));
      expect({ seed, rows: inTransaction }).toEqual({ seed, rows: [expected] });
      const outside = await db.select(sql, [b, d]);
      expect({ seed, rows: outside }).toEqual({ seed, rows: [expected] });
    }
  });

  it('refuses a statement whose placeholders and values do not match', () => {
    expect(() => ctx.db.format("SELECT ? AS a, '?' AS b", [1, 2])).toThrow(/2 values for 1 placeholders/);
    expect(() => ctx.db.format('SELECT ?, ?', [1])).toThrow(/Too few values/);
  });

  it('reads a backslash before a quote as MySQL does', () => {
    // On MySQL `'x\'?'` is one string: the `?` in it is text. On SQLite the backslash is a character: the
    // string ends at the quote after it, and what follows is a placeholder and an unterminated string.
    const sql = "SELECT 'x\\'?' AS a, ?";
    if (ctx.dialect === 'mysql') expect(ctx.db.format(sql, [7])).toBe("SELECT 'x\\'?' AS a, 7");
    else expect(ctx.db.format(sql, [7])).toBe("SELECT 'x\\'7' AS a, ?");
  });
});
