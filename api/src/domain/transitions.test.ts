import {
  ALL_TASK_INSTANCE_STATUSES,
  ALL_TASK_STATUSES,
  ALL_WORKFLOW_RUN_STATUSES,
  ALL_WORKFLOW_STATUSES,
  EntityType,
  ErrorCode,
  IllegalTransitionError,
  JobmonError,
  TASK_ACTIVE_STATUSES,
  TASK_INSTANCE_ACTIVE_STATUSES,
  TASK_INSTANCE_TERMINAL_STATUSES,
  TASK_TERMINAL_STATUSES,
  TaskStatus,
  WORKFLOW_RUN_ACTIVE_STATUSES,
  WORKFLOW_RUN_TERMINAL_STATUSES,
  WorkflowRunStatus,
  WorkflowStatus,
  assertTransition,
  canTransition,
  machines,
  workflowStatusForRun,
} from './index';
import type { StatusOf } from './index';

// The expectations below are written out by hand, deliberately NOT derived from
// the tables under test: a wrong table entry must make a named case fail.

const TASK_STATUSES = [
  'REGISTERING',
  'QUEUED',
  'INSTANTIATING',
  'LAUNCHED',
  'RUNNING',
  'DONE',
  'ERROR_RECOVERABLE',
  'ADJUSTING_RESOURCES',
  'ERROR_FATAL',
] as const;

const TASK_LEGAL = [
  'REGISTERING>QUEUED',
  'REGISTERING>ERROR_FATAL',
  'REGISTERING>DONE',
  'QUEUED>INSTANTIATING',
  'QUEUED>REGISTERING',
  'QUEUED>ERROR_FATAL',
  'QUEUED>DONE',
  'INSTANTIATING>LAUNCHED',
  'INSTANTIATING>RUNNING',
  'INSTANTIATING>DONE',
  'INSTANTIATING>ERROR_RECOVERABLE',
  'INSTANTIATING>ADJUSTING_RESOURCES',
  'INSTANTIATING>ERROR_FATAL',
  'INSTANTIATING>QUEUED',
  'INSTANTIATING>REGISTERING',
  'LAUNCHED>RUNNING',
  'LAUNCHED>DONE',
  'LAUNCHED>ERROR_RECOVERABLE',
  'LAUNCHED>ADJUSTING_RESOURCES',
  'LAUNCHED>ERROR_FATAL',
  'LAUNCHED>QUEUED',
  'LAUNCHED>REGISTERING',
  'RUNNING>DONE',
  'RUNNING>ERROR_RECOVERABLE',
  'RUNNING>ADJUSTING_RESOURCES',
  'RUNNING>ERROR_FATAL',
  'RUNNING>QUEUED',
  'RUNNING>REGISTERING',
  'ERROR_RECOVERABLE>QUEUED',
  'ERROR_RECOVERABLE>ERROR_FATAL',
  'ERROR_RECOVERABLE>REGISTERING',
  'ADJUSTING_RESOURCES>QUEUED',
  'ADJUSTING_RESOURCES>ERROR_FATAL',
  'ADJUSTING_RESOURCES>REGISTERING',
  'DONE>REGISTERING',
  'DONE>QUEUED',
  'ERROR_FATAL>REGISTERING',
  'ERROR_FATAL>QUEUED',
  'ERROR_FATAL>DONE',
];

const TASK_INSTANCE_STATUSES = [
  'QUEUED',
  'INSTANTIATED',
  'LAUNCHED',
  'RUNNING',
  'DONE',
  'ERROR',
  'RESOURCE_ERROR',
  'UNKNOWN_ERROR',
  'NO_DISTRIBUTOR_ID',
  'KILL_SELF',
  'TRIAGING',
  'ERROR_FATAL',
] as const;

const TASK_INSTANCE_LEGAL = [
  'QUEUED>INSTANTIATED',
  'QUEUED>KILL_SELF',
  'QUEUED>ERROR_FATAL',
  'INSTANTIATED>LAUNCHED',
  'INSTANTIATED>RUNNING',
  'INSTANTIATED>DONE',
  'INSTANTIATED>ERROR',
  'INSTANTIATED>RESOURCE_ERROR',
  'INSTANTIATED>UNKNOWN_ERROR',
  'INSTANTIATED>NO_DISTRIBUTOR_ID',
  'INSTANTIATED>KILL_SELF',
  'INSTANTIATED>ERROR_FATAL',
  'LAUNCHED>RUNNING',
  'LAUNCHED>DONE',
  'LAUNCHED>ERROR',
  'LAUNCHED>RESOURCE_ERROR',
  'LAUNCHED>UNKNOWN_ERROR',
  'LAUNCHED>TRIAGING',
  'LAUNCHED>KILL_SELF',
  'LAUNCHED>ERROR_FATAL',
  'RUNNING>DONE',
  'RUNNING>ERROR',
  'RUNNING>RESOURCE_ERROR',
  'RUNNING>UNKNOWN_ERROR',
  'RUNNING>TRIAGING',
  'RUNNING>KILL_SELF',
  'RUNNING>ERROR_FATAL',
  'TRIAGING>RUNNING',
  'TRIAGING>DONE',
  'TRIAGING>ERROR',
  'TRIAGING>RESOURCE_ERROR',
  'TRIAGING>UNKNOWN_ERROR',
  'TRIAGING>KILL_SELF',
  'TRIAGING>ERROR_FATAL',
  'KILL_SELF>ERROR_FATAL',
  'KILL_SELF>DONE',
  'KILL_SELF>ERROR',
  'KILL_SELF>RESOURCE_ERROR',
  'ERROR>ERROR_FATAL',
  'RESOURCE_ERROR>ERROR_FATAL',
  'UNKNOWN_ERROR>ERROR_FATAL',
  'NO_DISTRIBUTOR_ID>ERROR_FATAL',
];

const WORKFLOW_RUN_STATUSES = [
  'REGISTERED',
  'BOUND',
  'RUNNING',
  'DONE',
  'ERROR',
  'STOPPED',
  'COLD_RESUME',
  'HOT_RESUME',
  'TERMINATED',
] as const;

const WORKFLOW_RUN_LEGAL = [
  'REGISTERED>BOUND',
  'REGISTERED>ERROR',
  'REGISTERED>STOPPED',
  'BOUND>RUNNING',
  'BOUND>DONE',
  'BOUND>ERROR',
  'BOUND>STOPPED',
  'BOUND>COLD_RESUME',
  'BOUND>HOT_RESUME',
  'RUNNING>DONE',
  'RUNNING>ERROR',
  'RUNNING>STOPPED',
  'RUNNING>COLD_RESUME',
  'RUNNING>HOT_RESUME',
  'ERROR>COLD_RESUME',
  'ERROR>HOT_RESUME',
  'ERROR>TERMINATED',
  'STOPPED>COLD_RESUME',
  'STOPPED>HOT_RESUME',
  'STOPPED>TERMINATED',
  'COLD_RESUME>TERMINATED',
  'HOT_RESUME>TERMINATED',
];

const WORKFLOW_STATUSES = ['REGISTERING', 'QUEUED', 'RUNNING', 'DONE', 'FAILED', 'HALTED'] as const;

const WORKFLOW_LEGAL = [
  'REGISTERING>QUEUED',
  'REGISTERING>RUNNING',
  'REGISTERING>DONE',
  'REGISTERING>FAILED',
  'REGISTERING>HALTED',
  'QUEUED>RUNNING',
  'QUEUED>DONE',
  'QUEUED>FAILED',
  'QUEUED>HALTED',
  'RUNNING>DONE',
  'RUNNING>FAILED',
  'RUNNING>HALTED',
  'RUNNING>QUEUED',
  'FAILED>QUEUED',
  'FAILED>RUNNING',
  'FAILED>HALTED',
  'HALTED>QUEUED',
  'HALTED>RUNNING',
  'DONE>QUEUED',
];

interface MachineSpec<E extends EntityType> {
  readonly entityType: E;
  readonly statuses: readonly StatusOf<E>[];
  readonly legal: readonly string[];
}

function describeMachine<E extends EntityType>({ entityType, statuses, legal }: MachineSpec<E>) {
  describe(`${entityType} state machine`, () => {
    const legalSet = new Set(legal);

    it('has exactly the expected statuses', () => {
      expect([...machines[entityType].statuses].sort()).toEqual([...statuses].sort());
    });

    it('has every status as a key of its table', () => {
      expect(Object.keys(machines[entityType].table).sort()).toEqual([...statuses].sort());
    });

    // Guards the hand-written list itself: a typo would otherwise silently turn
    // an expected-legal pair into an expected-illegal one.
    it('expected legal list names only known statuses and no self-transitions', () => {
      const known: readonly string[] = statuses;
      for (const pair of legal) {
        const [from, to, ...rest] = pair.split('>');
        expect(rest).toEqual([]);
        expect(known).toContain(from);
        expect(known).toContain(to);
        expect(from).not.toBe(to);
      }
      expect(legalSet.size).toBe(legal.length);
    });

    const pairs = statuses.flatMap((from) =>
      statuses.map((to) => ({ from, to, legal: legalSet.has(`${from}>${to}`) })),
    );

    it.each(pairs.filter((p) => p.legal))('allows $from -> $to', ({ from, to }) => {
      expect(canTransition(entityType, from, to)).toBe(true);
      expect(() => assertTransition(entityType, from, to)).not.toThrow();
    });

    it.each(pairs.filter((p) => !p.legal))('refuses $from -> $to', ({ from, to }) => {
      expect(canTransition(entityType, from, to)).toBe(false);
      expect(() => assertTransition(entityType, from, to)).toThrow(IllegalTransitionError);
    });
  });
}

describeMachine({
  entityType: EntityType.TASK,
  statuses: TASK_STATUSES,
  legal: TASK_LEGAL,
});
describeMachine({
  entityType: EntityType.TASK_INSTANCE,
  statuses: TASK_INSTANCE_STATUSES,
  legal: TASK_INSTANCE_LEGAL,
});
describeMachine({
  entityType: EntityType.WORKFLOW_RUN,
  statuses: WORKFLOW_RUN_STATUSES,
  legal: WORKFLOW_RUN_LEGAL,
});
describeMachine({
  entityType: EntityType.WORKFLOW,
  statuses: WORKFLOW_STATUSES,
  legal: WORKFLOW_LEGAL,
});

describe('IllegalTransitionError', () => {
  function caught(fn: () => void): unknown {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error('expected a throw');
  }

  it('carries code, entity type, from and to, and is an instance of its classes', () => {
    const error = caught(() => assertTransition(EntityType.TASK, TaskStatus.DONE, TaskStatus.RUNNING));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toBeInstanceOf(JobmonError);
    expect(error).toBeInstanceOf(Error);
    if (!(error instanceof IllegalTransitionError)) throw error;
    expect(error.code).toBe(ErrorCode.ILLEGAL_TRANSITION);
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.name).toBe('IllegalTransitionError');
    expect(error.entityType).toBe('TASK');
    expect(error.from).toBe('DONE');
    expect(error.to).toBe('RUNNING');
    expect(error.entityId).toBeUndefined();
    expect(error.message).toBe('Illegal TASK transition DONE -> RUNNING');
  });

  it('names the entity when its id is known', () => {
    const error = caught(() => assertTransition(EntityType.TASK, TaskStatus.DONE, TaskStatus.RUNNING, 17));
    if (!(error instanceof IllegalTransitionError)) throw error;
    expect(error.entityId).toBe(17);
    expect(error.message).toBe('Illegal TASK transition DONE -> RUNNING for TASK 17');
  });

  it('is thrown for a same-status "transition"', () => {
    expect(() =>
      assertTransition(EntityType.WORKFLOW, WorkflowStatus.RUNNING, WorkflowStatus.RUNNING),
    ).toThrow(IllegalTransitionError);
  });
});

describe('unknown values', () => {
  // Statuses read from the database or a client are untyped at runtime; the
  // casts simulate such values reaching the typed API.
  const bogus = (value: string) => value as TaskStatus;

  it.each(['BOGUS', '', 'queued', 'constructor', 'toString', '__proto__'])(
    'refuses unknown status %p as source or target',
    (value) => {
      expect(canTransition(EntityType.TASK, bogus(value), TaskStatus.QUEUED)).toBe(false);
      expect(canTransition(EntityType.TASK, TaskStatus.REGISTERING, bogus(value))).toBe(false);
      expect(() => assertTransition(EntityType.TASK, bogus(value), TaskStatus.QUEUED)).toThrow(
        IllegalTransitionError,
      );
      expect(() => assertTransition(EntityType.TASK, TaskStatus.REGISTERING, bogus(value))).toThrow(
        IllegalTransitionError,
      );
    },
  );

  it('refuses an unknown entity type', () => {
    const entityType = 'NOT_AN_ENTITY' as EntityType;
    expect(canTransition(entityType, TaskStatus.REGISTERING, TaskStatus.QUEUED)).toBe(false);
    expect(() => assertTransition(entityType, TaskStatus.REGISTERING, TaskStatus.QUEUED)).toThrow(
      IllegalTransitionError,
    );
  });
});

describe('workflowStatusForRun', () => {
  it.each<[WorkflowRunStatus, WorkflowStatus]>([
    ['REGISTERED', 'REGISTERING'],
    ['BOUND', 'QUEUED'],
    ['RUNNING', 'RUNNING'],
    ['DONE', 'DONE'],
    ['ERROR', 'FAILED'],
    ['STOPPED', 'HALTED'],
    ['COLD_RESUME', 'HALTED'],
    ['HOT_RESUME', 'HALTED'],
    ['TERMINATED', 'HALTED'],
  ])('maps run status %s to workflow status %s', (runStatus, expected) => {
    expect(workflowStatusForRun(runStatus)).toBe(expected);
  });

  it('covers every run status', () => {
    for (const runStatus of ALL_WORKFLOW_RUN_STATUSES) {
      expect(ALL_WORKFLOW_STATUSES).toContain(workflowStatusForRun(runStatus));
    }
  });
});

describe('status groups', () => {
  it.each<[string, readonly string[], readonly string[]]>([
    ['TASK_ACTIVE_STATUSES', TASK_ACTIVE_STATUSES, ALL_TASK_STATUSES],
    ['TASK_TERMINAL_STATUSES', TASK_TERMINAL_STATUSES, ALL_TASK_STATUSES],
    ['TASK_INSTANCE_ACTIVE_STATUSES', TASK_INSTANCE_ACTIVE_STATUSES, ALL_TASK_INSTANCE_STATUSES],
    ['TASK_INSTANCE_TERMINAL_STATUSES', TASK_INSTANCE_TERMINAL_STATUSES, ALL_TASK_INSTANCE_STATUSES],
    ['WORKFLOW_RUN_ACTIVE_STATUSES', WORKFLOW_RUN_ACTIVE_STATUSES, ALL_WORKFLOW_RUN_STATUSES],
    ['WORKFLOW_RUN_TERMINAL_STATUSES', WORKFLOW_RUN_TERMINAL_STATUSES, ALL_WORKFLOW_RUN_STATUSES],
  ])('%s is a non-empty, duplicate-free subset of its statuses', (_name, group, all) => {
    expect(group.length).toBeGreaterThan(0);
    expect(new Set(group).size).toBe(group.length);
    for (const status of group) expect(all).toContain(status);
  });

  it.each<[string, readonly string[], readonly string[]]>([
    ['TASK', TASK_ACTIVE_STATUSES, TASK_TERMINAL_STATUSES],
    ['TASK_INSTANCE', TASK_INSTANCE_ACTIVE_STATUSES, TASK_INSTANCE_TERMINAL_STATUSES],
    ['WORKFLOW_RUN', WORKFLOW_RUN_ACTIVE_STATUSES, WORKFLOW_RUN_TERMINAL_STATUSES],
  ])('%s active and terminal groups are disjoint', (_name, active, terminal) => {
    for (const status of active) expect(terminal).not.toContain(status);
  });
});
