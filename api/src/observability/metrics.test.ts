import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { SubscriptionRecorder, connectClient, eventually } from '../testing/subscriptions';

// /metrics of a real server while a small workflow is driven through the distributor protocol by hand
// (claims and reports over GraphQL, no distributor), on both databases.

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterDistributorInput!) {
    registerDistributor(input: $input) {
      id
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation Submit($input: WorkflowSubmission!) {
    submitWorkflow(input: $input) {
      workflow {
        id
      }
    }
  }
`;
const CLAIM = /* GraphQL */ `
  mutation Claim($distributorId: ID!, $limit: Int!) {
    claimTaskInstances(distributorId: $distributorId, limit: $limit) {
      id
    }
  }
`;
const LAUNCHED = /* GraphQL */ `
  mutation Launched($distributorId: ID!, $launches: [TaskInstanceLaunchInput!]!) {
    reportTaskInstancesLaunched(distributorId: $distributorId, launches: $launches) {
      accepted
    }
  }
`;
const RUNNING = /* GraphQL */ `
  mutation Running($reports: [TaskInstanceRunningInput!]!) {
    reportTaskInstancesRunning(reports: $reports) {
      accepted
    }
  }
`;
const HEARTBEATS = /* GraphQL */ `
  mutation Heartbeats($ids: [ID!]!) {
    heartbeatTaskInstances(ids: $ids)
  }
`;
const DISTRIBUTOR_HEARTBEAT = /* GraphQL */ `
  mutation DistributorHeartbeat($distributorId: ID!, $active: [ID!]!) {
    heartbeatDistributor(distributorId: $distributorId, activeInstanceIds: $active) {
      __typename
    }
  }
`;
// The claimed instances are not selected: the counter must not depend on what the client asks for.
const FINISHED = /* GraphQL */ `
  mutation Finished($reports: [TaskInstanceFinishedInput!]!, $distributorId: ID, $claimLimit: Int) {
    reportTaskInstancesFinished(reports: $reports, distributorId: $distributorId, claimLimit: $claimLimit) {
      accepted
    }
  }
`;
const WORKFLOW_EVENTS = /* GraphQL */ `
  subscription Workflows {
    workflowStatusChanged {
      id
      toStatus
    }
  }
`;

/** Samples of the Prometheus text format: `name{a="x",b="y"}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

async function scrape(server: TestServer, token?: string): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseMetrics(await response.text());
}

describe.each(testDialects())('/metrics [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    // No cache: each scrape reads the counts it asserts.
    server = await startTestServer(dialect, { metricsCacheMs: 0 });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('counts tasks, claims, reports, operations, subscriptions and event lag', async () => {
    const mutate = async <T = unknown>(query: string, variables: Record<string, unknown>) => {
      const result = await server.graphql<T>(query, variables);
      expect(result.errors).toBeUndefined();
      return result.data!;
    };
    const before = await scrape(server);
    expect(before.get('jobmon_claimed_task_instances_total')).toBe(0);
    expect(before.get('jobmon_claim_duration_seconds_count')).toBe(0);
    expect(before.get('jobmon_tasks{status="QUEUED"}')).toBe(0);
    expect(before.get('jobmon_websocket_connections')).toBe(0);
    // Default process metrics, with the prefix.
    expect(before.get('jobmon_process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);

    const registered = await mutate<{ registerDistributor: { id: string } }>(REGISTER, {
      input: { name: `metrics-${dialect}`, backend: 'dummy', capacity: 4 },
    });
    const distributorId = registered.registerDistributor.id;

    // A live subscriber: the gauges see it, and it receives the events whose lag is measured.
    const client = connectClient(server.url);
    const recorder = new SubscriptionRecorder<{ id: string; toStatus: string }>(
      client,
      WORKFLOW_EVENTS,
      {},
      'workflowStatusChanged',
    );
    await eventually(
      async () => (await scrape(server)).get('jobmon_subscriptions{field="workflowStatusChanged"}') === 1,
      'the subscription gauge to show the subscriber',
    );
    expect((await scrape(server)).get('jobmon_websocket_connections')).toBe(1);

    const submitted = await mutate<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission([task('one'), task('two', ['one']), task('three')]),
    });
    expect(submitted.submitWorkflow.workflow.id).toBeDefined();

    const claimed = await mutate<{ claimTaskInstances: { id: string }[] }>(CLAIM, {
      distributorId,
      limit: 1,
    });
    expect(claimed.claimTaskInstances).toHaveLength(1);
    const first = claimed.claimTaskInstances[0]!.id;
    await mutate(LAUNCHED, { distributorId, launches: [{ id: first, backendJobId: 'job-1' }] });
    await mutate(RUNNING, { reports: [{ id: first, hostname: 'here' }] });
    await mutate(HEARTBEATS, { ids: [first] });
    await mutate(DISTRIBUTOR_HEARTBEAT, { distributorId, active: [first] });
    // The finished report claims the next two (three, and two now that one is done) in its transaction.
    await mutate(FINISHED, {
      reports: [{ id: first, outcome: 'DONE', exitCode: 0 }],
      distributorId,
      claimLimit: 5,
    });
    // One refused operation, counted under its code.
    const refused = await server.graphql(CLAIM, { distributorId: '999999', limit: 1 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    await recorder.until(
      (r) => r.values.some((event) => event.toStatus === 'RUNNING'),
      'the workflow to run',
    );
    const during = await scrape(server);
    expect(during.get('jobmon_tasks{status="DONE"}')).toBe(1);
    expect(during.get('jobmon_tasks{status="INSTANTIATING"}')).toBe(2);
    expect(during.get('jobmon_tasks{status="QUEUED"}')).toBe(0);
    expect(during.get('jobmon_tasks{status="REGISTERING"}')).toBe(0);
    expect(during.get('jobmon_workflows{status="RUNNING"}')).toBe(1);
    expect(during.get('jobmon_task_instances{status="INSTANTIATED"}')).toBe(2);
    expect(during.get('jobmon_task_instances{status="RUNNING"}')).toBe(0);
    expect(during.get('jobmon_claimed_task_instances_total')).toBe(3);
    expect(during.get('jobmon_claim_duration_seconds_count')).toBe(2);
    expect(during.get('jobmon_report_duration_seconds_count{kind="launched"}')).toBe(1);
    expect(during.get('jobmon_report_duration_seconds_count{kind="running"}')).toBe(1);
    expect(during.get('jobmon_report_duration_seconds_count{kind="finished"}')).toBe(1);
    expect(during.get('jobmon_report_duration_seconds_count{kind="heartbeat"}')).toBe(1);
    expect(during.get('jobmon_report_duration_seconds_count{kind="distributor_heartbeat"}')).toBe(1);
    expect(during.get('jobmon_graphql_operations_total{type="mutation",code="OK"}')).toBe(8);
    expect(during.get('jobmon_graphql_operations_total{type="mutation",code="NOT_FOUND"}')).toBe(1);
    expect(during.get('jobmon_graphql_operation_duration_seconds_count{type="mutation"}')).toBe(9);
    expect(during.get('jobmon_event_lag_seconds_count')).toBeGreaterThan(0);
    expect(during.get('jobmon_event_lag_seconds_sum')).toBeGreaterThanOrEqual(0);

    recorder.stop();
    await eventually(
      async () => (await scrape(server)).get('jobmon_subscriptions{field="workflowStatusChanged"}') === 0,
      'the subscription gauge to drop back to 0',
    );
    await client.dispose();
    await eventually(
      async () => (await scrape(server)).get('jobmon_websocket_connections') === 0,
      'the connection gauge to drop back to 0',
    );
  });

  it('asks for the bearer token when JOBMON_METRICS_TOKEN is set, and reuses counts while cached', async () => {
    // A second server in the same process: each has its own registry.
    const guarded = await startTestServer(dialect, {
      metricsToken: 'scrape-secret',
      metricsCacheMs: 600_000,
    });
    try {
      const bare = await fetch(`${guarded.url}/metrics`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const first = await scrape(guarded, 'scrape-secret');
      expect(first.get('jobmon_claimed_task_instances_total')).toBe(0);
      expect(first.get('jobmon_workflows{status="QUEUED"}')).toBe(0);
      // The first server's metrics are open (no token configured there).
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200);

      // Within the cache time a new workflow is not counted yet: the database is not read again.
      const submitted = await guarded.graphql(SUBMIT, { input: submission([task('only')]) });
      expect(submitted.errors).toBeUndefined();
      const cached = await scrape(guarded, 'scrape-secret');
      const sumOf = (samples: Map<string, number>, name: string) =>
        [...samples].filter(([key]) => key.startsWith(`${name}{`)).reduce((sum, [, value]) => sum + value, 0);
      expect(sumOf(cached, 'jobmon_workflows')).toBe(0);
      expect(sumOf(cached, 'jobmon_tasks')).toBe(0);
      expect(cached.get('jobmon_graphql_operations_total{type="mutation",code="OK"}')).toBe(1);
    } finally {
      await guarded.stop();
    }
  });
});
