/**
 * Who may do what: roles, and the access policy of every root field of the GraphQL API, as data.
 * Pure (no I/O): the API checks an operation's root fields against it before anything runs, for HTTP and
 * for graphql-ws alike; ownership (whose workflow, whose distributor) is checked where the data is read.
 */
import { ForbiddenError, UnauthenticatedError } from '@jobmon/core';

export const Role = {
  USER: 'user',
  DISTRIBUTOR: 'distributor',
  ADMIN: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The authenticated caller: a user, through one of their tokens. */
export interface Principal {
  user: string;
  role: Role;
  tokenId: number;
  /** Set for an attempt's own credential: it reports on this task instance and does nothing else. */
  attemptId?: number;
}

/** What an attempt's credential may do: its worker's reports. */
const ATTEMPT_FIELDS: ReadonlySet<string> = new Set([
  'reportTaskInstancesRunning',
  'reportTaskInstancesFinished',
  'heartbeatTaskInstances',
]);

export type OperationType = 'query' | 'mutation' | 'subscription';

/** `public`: also without a token; otherwise the roles that may use the field. */
export type FieldAccess = 'public' | readonly Role[];

const ANY: readonly Role[] = ROLES;
const PEOPLE: readonly Role[] = [Role.USER, Role.ADMIN];
const DISTRIBUTORS: readonly Role[] = [Role.DISTRIBUTOR, Role.ADMIN];

/**
 * Every root field of the API. Reads are open to every token (reports on others' workflows are allowed);
 * a distributor token runs work and nothing else; people submit and control workflows. A field missing
 * here is refused to everyone but admins (a test keeps this table complete).
 */
export const ROOT_FIELD_ACCESS: Readonly<Record<OperationType, Readonly<Record<string, FieldAccess>>>> = {
  query: {
    viewer: 'public',
    serverLimits: ANY,
    workflows: ANY,
    workflow: ANY,
    task: ANY,
    taskInstance: ANY,
    tools: ANY,
    taskTemplate: ANY,
    auditEvents: ANY,
    apiTokens: ANY,
    distributorTaskInstances: DISTRIBUTORS,
    // Reports: anyone signed in lists and runs them (they are reads).
    reports: ANY,
    templateUsage: ANY,
    workflowCounts: ANY,
    // Introspection: the schema is no secret, and tools (codegen, IDEs) need it.
    __schema: 'public',
    __type: 'public',
    __typename: 'public',
  },
  mutation: {
    submitWorkflow: PEOPLE,
    beginWorkflowBinding: PEOPLE,
    addWorkflowTasks: PEOPLE,
    commitWorkflowBinding: PEOPLE,
    abortWorkflowBinding: PEOPLE,
    resumeWorkflow: PEOPLE,
    resetWorkflow: PEOPLE,
    stopWorkflow: PEOPLE,
    setMaxConcurrentlyRunning: PEOPLE,
    setTaskStatus: PEOPLE,
    updateTaskResources: PEOPLE,
    updateTemplateTaskResources: PEOPLE,
    setWorkflowAttributes: PEOPLE,
    setTaskAttributes: PEOPLE,
    registerDistributor: DISTRIBUTORS,
    setDistributorServesAllUsers: [Role.ADMIN],
    claimTaskInstances: DISTRIBUTORS,
    reportTaskInstancesLaunched: DISTRIBUTORS,
    reportTaskInstancesRunning: DISTRIBUTORS,
    reportTaskInstancesFinished: DISTRIBUTORS,
    heartbeatDistributor: DISTRIBUTORS,
    heartbeatTaskInstances: DISTRIBUTORS,
    reissueAttemptCredentials: DISTRIBUTORS,
    createApiToken: ANY,
    revokeApiToken: ANY,
    setUserDisabled: [Role.ADMIN],
    // Their owner or an admin changes them (checked against the stored owner).
    saveReport: PEOPLE,
    deleteReport: PEOPLE,
    __typename: 'public',
  },
  subscription: {
    taskStatusChanged: ANY,
    workflowStatusChanged: ANY,
    workflowProgress: ANY,
    workQueued: DISTRIBUTORS,
  },
};

export function fieldAccess(operation: OperationType, field: string): FieldAccess {
  return ROOT_FIELD_ACCESS[operation][field] ?? [Role.ADMIN];
}

/**
 * Throws UNAUTHENTICATED when a field needs a token and there is none, FORBIDDEN when the token's role may
 * not use it. `principal` null with `authRequired` false is open mode: everything is allowed.
 */
export function authorizeRootField(
  principal: Principal | null,
  authRequired: boolean,
  operation: OperationType,
  field: string,
): void {
  if (!authRequired) return;
  const access = fieldAccess(operation, field);
  if (access === 'public') return;
  if (!principal)
    throw new UnauthenticatedError(
      'Authentication required: send a bearer token (create one with `jobmon token create`)',
    );
  if (principal.attemptId !== undefined) {
    if (operation === 'mutation' && ATTEMPT_FIELDS.has(field)) return;
    throw new ForbiddenError(
      `An attempt's credential may only report on its attempt, not use ${operation} ${field}`,
    );
  }
  if (!access.includes(principal.role))
    throw new ForbiddenError(`A ${principal.role} token may not use ${operation} ${field}`);
}

/**
 * Tokens and users are managed with tokens on only: in open mode anyone who reaches the port would mint
 * themselves an admin token that stays valid once tokens are on. The first admin token is made on the
 * database (`jobmon token create --database-url`).
 */
export function assertMayManageIdentities(authRequired: boolean): void {
  if (!authRequired)
    throw new ForbiddenError(
      'Tokens and users cannot be managed in open mode (JOBMON_AUTH=off): turn tokens on, and make the first admin token with `jobmon token create --database-url …`',
    );
}

/** People make user tokens for themselves only; admins (and operators on the database: null) any. */
export function assertMayCreateToken(by: Principal | null, user: string, role: Role): void {
  if (!by || by.role === Role.ADMIN) return;
  if (user !== by.user)
    throw new ForbiddenError(`Only an admin may create tokens for another user (${user})`);
  if (role !== Role.USER && role !== by.role)
    throw new ForbiddenError(`Only an admin may create a ${role} token`);
}

/** A person revokes their own tokens; admins (and operators: null) any. */
export function assertMayRevokeToken(by: Principal | null, token: { id: number; owner: string }): void {
  if (by && by.role !== Role.ADMIN && token.owner !== by.user)
    throw new ForbiddenError(
      `Token ${token.id} belongs to ${token.owner}: only they or an admin may revoke it`,
    );
}

/** An attempt's credential reports on its own attempt only; other principals are checked by distributor. */
export function assertAttemptOwnsInstances(
  principal: Principal | null,
  instanceIds: readonly number[],
): void {
  if (principal?.attemptId === undefined) return;
  const other = instanceIds.find((id) => id !== principal.attemptId);
  if (other !== undefined)
    throw new ForbiddenError(
      `This credential reports on task instance ${principal.attemptId} only, not ${other}`,
    );
}

/** A person may change a workflow they own; admins any. Open mode (no principal) allows everything. */
export function mayControlWorkflow(principal: Principal | null, owner: string | null): boolean {
  return !principal || principal.role === Role.ADMIN || (owner !== null && owner === principal.user);
}

export function assertMayControlWorkflow(
  principal: Principal | null,
  workflow: { id: number; user: string | null },
): void {
  if (!mayControlWorkflow(principal, workflow.user))
    throw new ForbiddenError(
      `Workflow ${workflow.id} belongs to ${workflow.user ?? 'nobody'}: only its owner or an admin may change it`,
    );
}

/** A distributor token claims and reports only for distributors registered with its user's tokens. */
export function assertMayActForDistributor(
  principal: Principal | null,
  distributor: { id: number; name: string; owner: string | null },
): void {
  if (!principal || principal.role === Role.ADMIN) return;
  if (principal.attemptId !== undefined)
    throw new ForbiddenError(`An attempt's credential may not act for distributor ${distributor.name}`);
  if (distributor.owner === null || distributor.owner !== principal.user)
    throw new ForbiddenError(
      `Distributor ${distributor.name} (${distributor.id}) belongs to ${distributor.owner ?? 'nobody'}, not ${principal.user}`,
    );
}
