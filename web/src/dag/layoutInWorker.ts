import type { LayoutInput, LayoutResult } from './dagLayout';

// The browser's layout function: posts the graph to one shared worker and memoises results by graph,
// so switching back to a view already drawn costs nothing.

type Pending = { resolve: (result: LayoutResult) => void; reject: (error: Error) => void };

let worker: Worker | null = null;
let nextRequestId = 1;
const pending = new Map<number, Pending>();
const memo = new Map<string, Promise<LayoutResult>>();
const MEMO_SIZE = 8;

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./dagLayout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ requestId: number; result?: LayoutResult; error?: string }>) => {
    const request = pending.get(event.data.requestId);
    pending.delete(event.data.requestId);
    if (!request) return;
    if (event.data.result) request.resolve(event.data.result);
    else request.reject(new Error(`DAG layout failed: ${event.data.error ?? 'unknown error'}`));
  };
  worker.onerror = (event) => {
    for (const request of pending.values()) request.reject(new Error(`DAG layout worker: ${event.message}`));
    pending.clear();
  };
  return worker;
}

/** A key identifying the graph's shape (ids, sizes and edges), not its statuses. */
export function graphKey(input: LayoutInput): string {
  let key = `${input.nodes.length}:${input.edges.length}`;
  for (const node of input.nodes) key += `|${node.id},${node.width},${node.height}`;
  for (const edge of input.edges) key += `|${edge.source}>${edge.target}`;
  return key;
}

export function layoutInWorker(input: LayoutInput): Promise<LayoutResult> {
  const key = graphKey(input);
  const known = memo.get(key);
  if (known) return known;
  const result = new Promise<LayoutResult>((resolve, reject) => {
    const requestId = nextRequestId++;
    pending.set(requestId, { resolve, reject });
    layoutWorker().postMessage({ requestId, input });
  });
  memo.set(key, result);
  result.catch(() => memo.delete(key));
  while (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return result;
}
