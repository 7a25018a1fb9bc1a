import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0007: saved reports (SPEC §9), a named GraphQL query with its variables and its owner.
// - Names are unique per owner; `owner` is the user, '' for nobody (open mode, and the shipped examples),
//   as workflow.owner_key: a unique index treats NULLs as all different.
// - The shipped examples are rows with `example` set (listed and run like any report; never changed or
//   deleted). Their text is frozen here, as a migration's must be: a change to an example is a new migration.

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const time = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

export const EXAMPLES_0007: readonly {
  name: string;
  description: string;
  query: string;
  variables: object;
}[] = [
  {
    name: 'Failed tasks by template',
    description:
      "A workflow's tasks that failed for good (ERROR_FATAL), by template, each with its last attempt's error.",
    query: `# Tasks of a workflow that failed for good, with the error of their last attempt.
# Set workflowId in the variables; template narrows it to one template.
query FailedTasksByTemplate($workflowId: ID!, $template: String) {
  workflow(id: $workflowId) {
    id
    name
    tasks(filter: { status: [ERROR_FATAL], template: $template }, first: 500) {
      totalCount
      nodes {
        template {
          name
        }
        id
        name
        numAttempts
        lastAttempt {
          exitCode
          errorKind
          errorMessage
          finishedAt
        }
      }
    }
  }
}
`,
    variables: { workflowId: '1', template: null },
  },
  {
    name: 'Runtime and memory percentiles by template',
    description:
      'Percentiles of the runtime and peak memory of DONE attempts per task template, over every workflow.',
    query: `# Runtime (wall seconds) and peak memory (max RSS, MiB) of DONE attempts, by template, across workflows.
# tool narrows it to one tool; since to attempts finished after a time (ISO 8601).
query UsagePercentilesByTemplate($tool: String, $since: DateTimeISO) {
  templateUsage(tool: $tool, since: $since, first: 200) {
    tool
    template
    workflows
    doneAttempts
    runtimeSeconds {
      p50
      p90
      p95
      max
    }
    maxRssMb {
      p50
      p90
      p95
      max
    }
  }
}
`,
    variables: { tool: null, since: null },
  },
  {
    name: 'Workflows by user and status, last 7 days',
    description: 'How many workflows each user created in the last days, by status.',
    query: `# Workflows created in the last \`days\` days, counted by the user who created them and their status.
query WorkflowsByUserAndStatus($days: Int = 7) {
  workflowCounts(lastDays: $days) {
    user
    status
    count
  }
}
`,
    variables: { days: 7 },
  },
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('saved_report', {
    id,
    owner: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
    name: { type: DataTypes.STRING(255), allowNull: false },
    description: { type: DataTypes.TEXT, allowNull: true },
    query: { type: DataTypes.TEXT, allowNull: false },
    variables: { type: DataTypes.TEXT, allowNull: true },
    example: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    created_at: time(),
    updated_at: time(),
  });
  await qi.addIndex('saved_report', ['owner', 'name'], { unique: true, name: 'saved_report_owner_name' });
  const now = new Date();
  await qi.bulkInsert(
    'saved_report',
    EXAMPLES_0007.map((example) => ({
      owner: '',
      name: example.name,
      description: example.description,
      query: example.query,
      variables: JSON.stringify(example.variables),
      example: true,
      created_at: now,
      updated_at: now,
    })),
  );
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('saved_report');
}
