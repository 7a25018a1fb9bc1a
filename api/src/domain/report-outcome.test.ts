import {
  decideFinishedTask,
  instanceStatusOfOutcome,
  isLateResult,
  reportRefusal,
  runSchedules,
  TaskInstanceOutcome as Outcome,
  type FinishedTaskDecision,
} from './report-outcome';
import { runEnd } from './run-end';
import {
  ALL_WORKFLOW_RUN_STATUSES,
  TASK_ACTIVE_STATUSES,
  TaskInstanceStatus as TI,
  TaskStatus as T,
  WorkflowRunStatus as WR,
} from '@jobmon/core';
import { canTransition } from './transitions';

const inFlight = { status: T.RUNNING, numAttempts: 1, maxAttempts: 3, isNewestAttempt: true };
const lastAttempt = { ...inFlight, numAttempts: 3 };

describe('decideFinishedTask', () => {
  const cases: [
    string,
    Parameters<typeof decideFinishedTask>[0],
    Parameters<typeof decideFinishedTask>[1],
    boolean,
    FinishedTaskDecision | null,
  ][] = [
    [
      'DONE: the task is done (its downstream may become ready)',
      { outcome: Outcome.DONE },
      inFlight,
      true,
      { moves: [{ to: T.DONE, reason: null }], done: true, escalate: null, failed: false },
    ],
    [
      'DONE counts even when the run is over',
      { outcome: Outcome.DONE },
      inFlight,
      false,
      { moves: [{ to: T.DONE, reason: null }], done: true, escalate: null, failed: false },
    ],
    [
      'ERROR with attempts left in a scheduling run: retried',
      { outcome: Outcome.ERROR, errorMessage: 'exit 1' },
      inFlight,
      true,
      {
        moves: [
          { to: T.ERROR_RECOVERABLE, reason: 'exit 1' },
          { to: T.QUEUED, reason: 'retry' },
        ],
        done: false,
        escalate: null,
        failed: false,
      },
    ],
    [
      'ERROR without a message: the outcome is the reason',
      { outcome: Outcome.UNKNOWN_ERROR },
      inFlight,
      true,
      {
        moves: [
          { to: T.ERROR_RECOVERABLE, reason: 'UNKNOWN_ERROR' },
          { to: T.QUEUED, reason: 'retry' },
        ],
        done: false,
        escalate: null,
        failed: false,
      },
    ],
    [
      'ERROR with its attempts spent: given up',
      { outcome: Outcome.ERROR, errorMessage: 'exit 1' },
      lastAttempt,
      true,
      {
        moves: [
          { to: T.ERROR_RECOVERABLE, reason: 'exit 1' },
          { to: T.ERROR_FATAL, reason: '3 attempts spent' },
        ],
        done: false,
        escalate: null,
        failed: true,
      },
    ],
    [
      'ERROR of its only attempt: given up, "1 attempt spent"',
      { outcome: Outcome.ERROR, errorMessage: 'exit 1' },
      { ...inFlight, maxAttempts: 1 },
      true,
      {
        moves: [
          { to: T.ERROR_RECOVERABLE, reason: 'exit 1' },
          { to: T.ERROR_FATAL, reason: '1 attempt spent' },
        ],
        done: false,
        escalate: null,
        failed: true,
      },
    ],
    [
      'ERROR after the run is over: given up, attempts left or not',
      { outcome: Outcome.NO_DISTRIBUTOR_ID },
      inFlight,
      false,
      {
        moves: [
          { to: T.ERROR_RECOVERABLE, reason: 'NO_DISTRIBUTOR_ID' },
          { to: T.ERROR_FATAL, reason: 'the run is over' },
        ],
        done: false,
        escalate: null,
        failed: true,
      },
    ],
    [
      'RESOURCE_ERROR with attempts left: resources escalated, then retried',
      { outcome: Outcome.RESOURCE_ERROR, errorKind: 'memory' },
      inFlight,
      true,
      {
        moves: [
          { to: T.ADJUSTING_RESOURCES, reason: 'memory' },
          { to: T.QUEUED, reason: 'retry' },
        ],
        done: false,
        escalate: { errorKind: 'memory' },
        failed: false,
      },
    ],
    [
      'RESOURCE_ERROR with attempts spent: escalated all the same (a resume reruns with more), given up',
      { outcome: Outcome.RESOURCE_ERROR },
      lastAttempt,
      true,
      {
        moves: [
          { to: T.ADJUSTING_RESOURCES, reason: 'resource error' },
          { to: T.ERROR_FATAL, reason: '3 attempts spent' },
        ],
        done: false,
        escalate: { errorKind: null },
        failed: true,
      },
    ],
    [
      'KILLED: given up at once, failing the workflow while its run schedules',
      { outcome: Outcome.KILLED },
      inFlight,
      true,
      { moves: [{ to: T.ERROR_FATAL, reason: 'killed' }], done: false, escalate: null, failed: true },
    ],
    [
      'KILLED after the run is over: given up, no fail-fast',
      { outcome: Outcome.KILLED },
      inFlight,
      false,
      { moves: [{ to: T.ERROR_FATAL, reason: 'killed' }], done: false, escalate: null, failed: false },
    ],
    [
      'an older attempt does not move its task',
      { outcome: Outcome.DONE },
      { ...inFlight, isNewestAttempt: false },
      true,
      null,
    ],
    [
      'a task no longer in flight is not moved',
      { outcome: Outcome.ERROR },
      { ...inFlight, status: T.ERROR_FATAL },
      true,
      null,
    ],
  ];

  it.each(cases)('%s', (_name, report, task, runActive, expected) => {
    expect(decideFinishedTask(report, task, runActive)).toEqual(expected);
  });

  it('cuts a long error message to 500 characters for the audit reason', () => {
    const decision = decideFinishedTask(
      { outcome: Outcome.ERROR, errorMessage: 'x'.repeat(2000) },
      inFlight,
      true,
    );
    expect(decision!.moves[0]!.reason).toHaveLength(500);
  });

  it('only ever decides legal moves of the task state machine', () => {
    for (const outcome of Object.values(Outcome))
      for (const status of TASK_ACTIVE_STATUSES)
        for (const [numAttempts, runActive] of [
          [1, true],
          [3, true],
          [1, false],
        ] as const) {
          const decision = decideFinishedTask({ outcome }, { ...inFlight, status, numAttempts }, runActive);
          let from: T = status;
          for (const move of decision?.moves ?? []) {
            expect([outcome, from, move.to, canTransition('TASK', from, move.to)]).toEqual([
              outcome,
              from,
              move.to,
              true,
            ]);
            from = move.to;
          }
        }
  });
});

describe('instanceStatusOfOutcome', () => {
  it.each([
    [Outcome.DONE, TI.RUNNING, TI.DONE],
    [Outcome.ERROR, TI.RUNNING, TI.ERROR],
    [Outcome.RESOURCE_ERROR, TI.RUNNING, TI.RESOURCE_ERROR],
    [Outcome.KILLED, TI.RUNNING, TI.ERROR_FATAL],
    [Outcome.KILLED, TI.KILL_SELF, TI.ERROR_FATAL],
    [Outcome.DONE, undefined, TI.DONE],
  ] as const)('%s reported by a %s attempt: %s', (outcome, current, expected) => {
    expect(instanceStatusOfOutcome(outcome, current)).toBe(expected);
  });

  it('gives up an attempt asked to die that reports an error it cannot have from KILL_SELF', () => {
    for (const outcome of Object.values(Outcome)) {
      const to = instanceStatusOfOutcome(outcome, TI.KILL_SELF);
      expect(canTransition('TASK_INSTANCE', TI.KILL_SELF, to)).toBe(true);
    }
  });
});

describe('reportRefusal', () => {
  const running = { status: TI.RUNNING, distributorId: 4 };
  it.each([
    ['unknown', undefined, TI.DONE, 4, 'unknown task instance'],
    ["another distributor's", running, TI.DONE, 5, 'the instance belongs to another distributor'],
    ['a repeat', running, TI.RUNNING, 4, 'already RUNNING'],
    [
      'an illegal move',
      { ...running, status: TI.DONE },
      TI.ERROR,
      4,
      'the instance is DONE, it cannot become ERROR',
    ],
    ['a legal move by its distributor', running, TI.DONE, 4, null],
    ['a legal move by its worker (no distributor)', running, TI.DONE, null, null],
  ] as const)('%s', (_name, instance, to, reporter, expected) => {
    expect(reportRefusal(instance, to, reporter)).toBe(expected);
  });
});

describe('isLateResult', () => {
  it.each([
    [
      'not given up',
      { givenUp: false, distributorId: 4 },
      { givingUp: false, reporterDistributorId: 4 },
      false,
    ],
    [
      'given up, its distributor reports',
      { givenUp: true, distributorId: 4 },
      { givingUp: false, reporterDistributorId: 4 },
      true,
    ],
    [
      'given up, its worker reports',
      { givenUp: true, distributorId: 4 },
      { givingUp: false, reporterDistributorId: null },
      true,
    ],
    [
      'given up, another distributor reports',
      { givenUp: true, distributorId: 4 },
      { givingUp: false, reporterDistributorId: 5 },
      false,
    ],
    [
      'the reaper giving it up again',
      { givenUp: true, distributorId: 4 },
      { givingUp: true, reporterDistributorId: null },
      false,
    ],
  ] as const)('%s', (_name, attempt, report, expected) => {
    expect(isLateResult(attempt, report)).toBe(expected);
  });
});

describe('runSchedules and runEnd', () => {
  it('a run schedules while RUNNING or BOUND only', () => {
    expect(ALL_WORKFLOW_RUN_STATUSES.filter(runSchedules).sort()).toEqual([WR.BOUND, WR.RUNNING]);
  });

  it.each([
    [{ anyProgressing: true, allDone: false }, null],
    [
      { anyProgressing: false, allDone: true },
      { status: WR.DONE, reason: 'every task done' },
    ],
    [
      { anyProgressing: false, allDone: false },
      { status: WR.ERROR, reason: 'no task can make progress' },
    ],
  ])('%o ends as %o', (tasks, expected) => {
    expect(runEnd(tasks)).toEqual(expected);
  });
});
