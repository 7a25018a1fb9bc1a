import type { Page, Request } from 'playwright-core';

// The workflow page's first meaningful render, timed the same way by bench:web and bench:soak
// (BENCH_SOAK_PAGE=1).

export interface GraphqlRequests {
  /** Stops recording: later requests are not counted. */
  stop(): void;
  /** Response body bytes of the recorded requests, once they have finished. */
  responseBytes(): Promise<number>;
}

/** Records the GraphQL requests the page makes over HTTP (subscriptions travel on the WebSocket). */
export function recordGraphqlRequests(page: Page): GraphqlRequests {
  const requests: Request[] = [];
  const onRequest = (request: Request) => {
    if (request.url().endsWith('/graphql')) requests.push(request);
  };
  page.on('request', onRequest);
  return {
    stop: () => page.off('request', onRequest),
    async responseBytes() {
      let bytes = 0;
      for (const request of requests) bytes += (await request.sizes()).responseBodySize;
      return bytes;
    },
  };
}

export interface DagRender {
  /** From navigation start until the DAG canvas showed at least `minNodes` nodes. */
  renderMs: number;
  /** When the first GraphQL request was sent, from navigation start (before: the HTML, scripts and React). */
  graphqlSentMs: number;
  /** When the last GraphQL answer before the render had arrived, from navigation start (after: drawing). */
  graphqlAnsweredMs: number;
  /** The nodes of the drawing (the canvas's data-node-count: templates when collapsed). */
  nodes: number;
  /** The layout the page chose (data-layout). */
  layout: string;
  /** The GraphQL requests made before the first render (recording stopped). */
  graphql: GraphqlRequests;
}

/**
 * Opens a workflow page (`url`) and times its first meaningful render: the DAG canvas shows at least
 * `minNodes` template or task nodes, polled every animation frame, from navigation start.
 */
export async function timeDagRender(
  page: Page,
  url: string,
  { minNodes = 1, timeoutMs = 60_000 }: { minNodes?: number; timeoutMs?: number } = {},
): Promise<DagRender> {
  const graphql = recordGraphqlRequests(page);
  await page.goto(url);
  const renderMs = await page
    .waitForFunction(
      (min) => {
        const canvas = document.querySelector('[data-testid="dag-canvas"]');
        const drawn = document.querySelectorAll('.dag [data-task-id], .dag [data-template]').length;
        return canvas && drawn >= min ? performance.now() : null;
      },
      minNodes,
      { polling: 'raf', timeout: timeoutMs },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
  graphql.stop();
  const { graphqlSentMs, graphqlAnsweredMs } = await page.evaluate((before) => {
    const entries = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (entry) => entry.name.endsWith('/graphql') && entry.responseEnd <= before,
    );
    return {
      graphqlSentMs: Math.min(...entries.map((entry) => entry.startTime)),
      graphqlAnsweredMs: Math.max(...entries.map((entry) => entry.responseEnd)),
    };
  }, renderMs);
  const nodes = Number(await page.locator('[data-testid="dag-canvas"]').getAttribute('data-node-count'));
  const layout = (await page.locator('[data-layout]').getAttribute('data-layout')) ?? '';
  return { renderMs, graphqlSentMs, graphqlAnsweredMs, nodes, layout, graphql };
}
