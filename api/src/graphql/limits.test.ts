import { GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';
import { connectClient, SubscriptionRecorder } from '../testing/subscriptions';
import {
  createQueryLimitCheck,
  documentDepth,
  expandedFieldCount,
  limitsSelectionVisits,
  queryShapeError,
  validationTimeBudget,
} from './limits';
import { getSchema } from './schema';

// The pre-execution measures (shape, depth, cost) walk the fragment graph once per fragment: a document of
// fragments that double at every level (2^40 fields once expanded, about 1.6 KB of text) is refused with a
// stable code after a number of steps proportional to its text, not to its expansion.

const LEVELS = 40;

/** `{ ...F40 }` where F(i) spreads F(i-1) twice: 2^40 copies of F0 once expanded. */
function doublingSpreads(levels: number): string {
  let text = `{ ...F${levels} } fragment F0 on Query { tools { id } }`;
  for (let i = 1; i <= levels; i += 1) text += ` fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`;
  return text;
}

/** Each level nests the previous one twice under `upstream` and `downstream`: deep and doubling. */
function doublingNested(levels: number): string {
  let text = `{ task(id: "1") { ...T${levels} } } fragment T0 on Task { id }`;
  for (let i = 1; i <= levels; i += 1)
    text += ` fragment T${i} on Task { upstream { ...T${i - 1} } downstream { ...T${i - 1} } }`;
  return text;
}

/** Selections in the text: each measure may visit each at most a few times. */
function selectionsIn(text: string): number {
  return (text.match(/\.\.\.|\w+\s*[{}]|\bid\b/g) ?? []).length;
}

function refusal(run: () => void): GraphQLError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('query limits over the fragment graph', () => {
  const check = createQueryLimitCheck(getSchema(), { maxDepth: 12, maxCost: 100_000 });

  it('refuses doubling fragment spreads by their expanded size without expanding them', () => {
    const text = doublingSpreads(LEVELS);
    const before = limitsSelectionVisits();
    const error = queryShapeError(text);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxExpandedFields: 5000 });
    expect(limitsSelectionVisits() - before).toBeLessThan(4 * selectionsIn(text));
    expect(expandedFieldCount(parse(text))).toBeGreaterThan(2 ** LEVELS);
  });

  it('prices doubling spreads by their real cost, walking each fragment once', () => {
    const document = parse(doublingSpreads(LEVELS));
    const before = limitsSelectionVisits();
    const error = refusal(() => check(document, {}, null));
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 100_000 });
    expect(error.extensions.cost).toBeGreaterThan(2 ** LEVELS);
    expect(limitsSelectionVisits() - before).toBeLessThan(4 * selectionsIn(doublingSpreads(LEVELS)));
  });

  it('measures the depth of doubling nested fragments once per fragment', () => {
    const text = doublingNested(LEVELS);
    const before = limitsSelectionVisits();
    expect(documentDepth(parse(text))).toBe(LEVELS + 1);
    const error = refusal(() => check(parse(text), {}, null));
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxDepth: 12 });
    expect(limitsSelectionVisits() - before).toBeLessThan(4 * selectionsIn(text));
  });

  it('refuses a doubling document within the depth limit by its cost, each fragment walked once', () => {
    // Five levels: depth 11, within the limit; 2^5 branches of upstream/downstream lists.
    const text = doublingNested(5);
    const document = parse(text);
    const before = limitsSelectionVisits();
    const error = refusal(() => check(document, {}, null));
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 100_000 });
    expect(limitsSelectionVisits() - before).toBeLessThan(4 * selectionsIn(text));
  });
});

/** A valid query of a few hundred AST nodes (validation checks its budget every 64). */
const WIDE_QUERY = `{ ${Array.from({ length: 40 }, (_, i) => `t${i}: tools { id name }`).join(' ')} }`;

describe('the validation time budget', () => {
  it('stops validation past its budget with QUERY_TOO_COMPLEX, and lets it finish within it', () => {
    const document = parse(WIDE_QUERY);
    const error = refusal(() =>
      validate(getSchema(), document, [...specifiedRules, validationTimeBudget(0)]),
    );
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', validationBudgetMs: 0 });
    expect(validate(getSchema(), document, [...specifiedRules, validationTimeBudget(60_000)])).toEqual([]);
  });
});

describe.each(testDialects())('the validation time budget on both transports [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { validationBudgetMs: 0 });
  });
  afterAll(async () => server?.stop());

  it('answers a document over the budget 400 QUERY_TOO_COMPLEX over HTTP and graphql-ws', async () => {
    const answer = await server.graphql(WIDE_QUERY);
    expect(answer.status).toBe(400);
    expect(answer.errors!.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    // A small document is validated before the first check.
    expect((await server.graphql('{ tools { id } }')).errors).toBeUndefined();
    const client = connectClient(server.url);
    try {
      const refused = new SubscriptionRecorder(client, WIDE_QUERY, {}, 't0');
      await refused.until((r) => r.completed, 'the refusal');
      expect(refused.failure).toBeNull();
      expect(refused.errors.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    } finally {
      await client.dispose();
    }
  });
});
