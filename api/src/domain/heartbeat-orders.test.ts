import { TaskInstanceStatus } from '@jobmon/core';
import { distributorOrders, workerOrders } from './heartbeat-orders';

describe('distributorOrders', () => {
  it('kills what asked to die, what the server gave up and what it lists but is over; triages the silent', () => {
    expect(
      distributorOrders({
        flagged: [
          { id: 1, status: TaskInstanceStatus.KILL_SELF },
          { id: 2, status: TaskInstanceStatus.TRIAGING },
        ],
        givenUp: [3],
        overButListed: [4],
      }),
    ).toEqual({ killInstanceIds: [1, 3, 4], triageInstanceIds: [2] });
  });

  it('orders nothing when nothing is flagged', () => {
    expect(distributorOrders({ flagged: [], givenUp: [], overButListed: [] })).toEqual({
      killInstanceIds: [],
      triageInstanceIds: [],
    });
  });
});

describe('workerOrders', () => {
  it('kills an attempt asked to die or given up (whatever its status); a triaging one is alive again', () => {
    expect(
      workerOrders([
        { id: 1, status: TaskInstanceStatus.KILL_SELF, givenUp: false },
        { id: 2, status: TaskInstanceStatus.UNKNOWN_ERROR, givenUp: true },
        { id: 3, status: TaskInstanceStatus.TRIAGING, givenUp: false },
        { id: 4, status: TaskInstanceStatus.RUNNING, givenUp: false },
      ]),
    ).toEqual({ kill: [1, 2], aliveAgain: [3] });
  });
});
