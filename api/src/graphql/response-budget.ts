import { ErrorCode } from '@jobmon/core';
import { GraphQLError, Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

// The static cost (limits.ts) prices lists without `first` by an estimate; the answer's real size is only
// known while it is built. Every list whose length is not a page the cost already priced (a task's
// upstream, downstream and attempts, a DAG drawn task by task) charges its real length, times the fields
// asked of each item, to the request's budget before its items are loaded. Past the budget the request is
// refused as a whole with QUERY_TOO_COMPLEX (400): nothing more is loaded, and no partial answer is sent.

export class ResponseBudget {
  private spent = 0;
  /** The refusal, once the budget is exceeded: every later charge throws it again. */
  exceeded: GraphQLError | null = null;

  constructor(readonly max: number) {}

  /** Charges `items` values; throws QUERY_TOO_COMPLEX when the request's answer would pass the budget. */
  charge(items: number): void {
    if (this.exceeded) throw this.exceeded;
    this.spent += items;
    if (this.spent <= this.max) return;
    this.exceeded = new GraphQLError(
      `Query answer is too large: more than ${this.max} values; ask for fewer levels or smaller pages`,
      { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 }, maxResponseSize: this.max } },
    );
    throw this.exceeded;
  }

  /** A subscription reuses its context for every event: each event's answer has a budget of its own. */
  reset(): void {
    this.spent = 0;
    this.exceeded = null;
  }
}

// Memoised per parsed field list (Apollo reuses parsed documents), and dropped with it: a cache, not a registry.
const weights = new WeakMap<readonly unknown[], Map<string, number>>();

/**
 * Values each item of the list being resolved costs: the fields selected on it (fragments included, each
 * once), or those selected under its sub-field `child` (a Dag's `nodes`). At least 1.
 */
export function itemWeight(info: GraphQLResolveInfo, child?: string): number {
  let byChild = weights.get(info.fieldNodes);
  if (!byChild) weights.set(info.fieldNodes, (byChild = new Map()));
  const key = child ?? '';
  const known = byChild.get(key);
  if (known !== undefined) return known;
  let count = 0;
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (depth === 0 && child !== undefined) {
          if (selection.name.value === child) visit(selection.selectionSet, 1);
        } else count += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, depth);
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet, depth);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, child === undefined ? 1 : 0);
  const weight = Math.max(1, count);
  byChild.set(key, weight);
  return weight;
}
