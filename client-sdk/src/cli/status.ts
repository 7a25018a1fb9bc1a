import {
  CliViewerDocument,
  CliWorkflowDocument,
  CliWorkflowsDocument,
  type CliWorkflowQuery,
  type WorkflowStatus,
} from '../generated/graphql';
import { clientUser, summarizeCounts } from '../sdk';
import {
  action,
  clientCommand,
  collectIds,
  EXIT,
  formatMemory,
  formatSeconds,
  formatTime,
  parseAttribute,
  parseNonNegativeInt,
  parseWorkflowStatuses,
  plain,
  showEach,
  type CliContext,
} from './output';

/** `jobmon status [WORKFLOW…]`: the newest workflows, or workflows each with its per-template counts. */
export const statusCommand = clientCommand(
  'status',
  'List workflows (newest first), or show one workflow with task counts per template',
)
  .argument('[workflows...]', 'workflow ids (none: the list)', collectIds)
  .option(
    '--status <statuses>',
    'list: only these workflow statuses (comma-separated)',
    parseWorkflowStatuses,
  )
  .option('--tool <name>', 'list: only workflows of this tool')
  .option(
    '--user <name>',
    "list: only workflows this user created (default: you — the token's user, or in open mode this operating-system user; all: everyone's)",
  )
  .option('--search <text>', 'list: name or workflowArgs containing this')
  .option(
    '--attribute <key=value>',
    'list: only workflows with this attribute (repeatable: every one)',
    parseAttribute,
  )
  .option('--limit <n>', 'list: at most this many (default 20)', parseNonNegativeInt, 20)
  .action(
    action(async (context, workflowIds: string[] | undefined, options: ListOptions) =>
      workflowIds?.length
        ? showEach(
            context,
            'workflow',
            workflowIds,
            async (id) => (await context.client.query(CliWorkflowDocument, { id })).workflow,
            { json: jsonOf, human: (workflow) => showWorkflow(context, workflow) },
          )
        : listWorkflows(context, options),
    ),
  );

interface ListOptions {
  status?: WorkflowStatus[];
  tool?: string;
  search?: string;
  attribute?: Record<string, string>;
  user?: string;
  limit: number;
}

/**
 * Whose workflows `status` lists without --user, and why (`jobmon config` says it too): the token's user
 * (the server's viewer), else in open mode this operating-system user, whom the client records as the
 * submitter.
 */
export function defaultUser(viewerUser: string | null | undefined): { value: string | null; from: string } {
  if (viewerUser) return { value: viewerUser, from: "the token's user" };
  return { value: clientUser(), from: 'the operating-system user: open mode, no token' };
}

/** Whose workflows `status` lists: --user, else the default user (defaultUser). */
async function listedUser(context: CliContext, user: string | undefined): Promise<string | null> {
  if (user === 'all') return null;
  if (user) return user;
  const { viewer } = await context.client.query(CliViewerDocument);
  return defaultUser(viewer.user).value;
}

async function listWorkflows(context: CliContext, options: ListOptions): Promise<number> {
  const user = await listedUser(context, options.user);
  const { workflows } = await context.client.query(CliWorkflowsDocument, {
    first: options.limit,
    filter: {
      status: options.status,
      tool: options.tool,
      search: options.search,
      attributes: options.attribute,
      user,
    },
  });
  const rows = workflows.nodes.map((w) => ({
    id: w.id,
    name: w.name,
    tool: w.tool.name,
    workflowArgs: w.workflowArgs,
    status: w.status,
    createdAt: w.createdAt,
    taskCount: w.taskCount,
    counts: plain(w.statusCounts),
  }));
  if (context.json) {
    context.printJson({ user, totalCount: workflows.totalCount, workflows: rows });
    return EXIT.OK;
  }
  if (rows.length === 0) {
    context.print(user ? `No workflows of ${user} (--user all: everyone's).` : 'No workflows.');
    return EXIT.OK;
  }
  context.print(
    context.table(
      ['ID', 'TOOL', 'NAME / ARGS', 'STATUS', 'DONE', 'RUNNING', 'FAILED', 'CREATED (UTC)'],
      rows.map((w) => {
        const s = summarizeCounts(w.counts);
        return [
          w.id,
          w.tool,
          w.name ? `${w.name} (${w.workflowArgs})` : w.workflowArgs,
          context.status(w.status),
          `${s.done}/${s.total}`,
          s.running,
          s.failed ? context.colors.red(String(s.failed)) : 0,
          formatTime(w.createdAt),
        ];
      }),
    ),
  );
  if (workflows.totalCount > rows.length)
    context.print(context.colors.dim(`${rows.length} of ${workflows.totalCount} (--limit to see more)`));
  return EXIT.OK;
}

function showWorkflow(context: CliContext, workflow: NonNullable<CliWorkflowQuery['workflow']>): void {
  const run = workflow.latestRun;
  context.print(
    context.fields([
      ['workflow', `${workflow.id}${workflow.name ? ` ${workflow.name}` : ''}`],
      ['tool', workflow.tool.name],
      ['workflowArgs', workflow.workflowArgs],
      ['status', context.status(workflow.status)],
      ['tasks', context.counts(workflow.statusCounts)],
      [
        'latest run',
        run
          ? `${run.id} ${context.status(run.status)}${run.statusReason ? ` (${run.statusReason})` : ''}` +
            `${run.user ? ` by ${run.user}` : ''}, started ${formatTime(run.createdAt)}`
          : '-',
      ],
      ['concurrency', workflow.maxConcurrentlyRunning],
      ['created', formatTime(workflow.createdAt)],
    ]),
  );
  context.print();
  context.print(
    context.table(
      [
        'TEMPLATE',
        'TOTAL',
        'DONE',
        'RUNNING',
        'SUBMITTED',
        'WAITING',
        'RETRYING',
        'FAILED',
        'LIMIT',
        'RSS mean/max',
        'RUNTIME mean/max',
      ],
      workflow.taskTemplates.map((t) => {
        const s = summarizeCounts(t.statusCounts);
        return [
          t.name,
          s.total,
          s.done,
          s.running,
          s.submitted,
          s.waiting,
          s.retrying,
          s.failed ? context.colors.red(String(s.failed)) : 0,
          t.maxConcurrentlyRunning ?? '-',
          t.usage.doneAttempts
            ? `${formatMemory(t.usage.maxRssMb.mean)} / ${formatMemory(t.usage.maxRssMb.max)}`
            : '-',
          t.usage.doneAttempts
            ? `${formatSeconds(t.usage.runtimeSeconds.mean)} / ${formatSeconds(t.usage.runtimeSeconds.max)}`
            : '-',
        ];
      }),
    ),
  );
}

/** The --json form of one workflow: its fields, counts and templates. */
function jsonOf(workflow: NonNullable<CliWorkflowQuery['workflow']>) {
  const { statusCounts, taskTemplates, tool, ...rest } = plain(workflow);
  return {
    ...rest,
    tool: tool.name,
    counts: statusCounts,
    templates: taskTemplates.map(({ statusCounts: counts, ...template }) => ({ ...template, counts })),
  };
}
