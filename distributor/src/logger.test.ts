import { Writable } from 'node:stream';
import { chooseLogFormat, createLogger, instanceLogIds } from './logger';

// The distributor's log lines about an attempt, with the API's id fields, are checked against a real API
// server by e2e/src/distributor/log-lines.e2e.test.ts.

describe('the distributor logger', () => {
  it.each([
    [{}, true, 'pretty'],
    [{}, false, 'json'],
    [{ JOBMON_LOG_FORMAT: 'json' }, true, 'json'],
    [{ JOBMON_LOG_FORMAT: 'PRETTY' }, false, 'pretty'],
  ])('chooses the format: %j, terminal %s → %s', (env, tty, expected) => {
    expect(chooseLogFormat(env as NodeJS.ProcessEnv, tty)).toBe(expected);
  });

  it('writes JSON lines, or pretty text when asked', () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    createLogger({ service: 'd', format: 'json', level: 'info', destination: sink }).info('as json');
    expect(JSON.parse(written.join(''))).toMatchObject({ service: 'd', msg: 'as json' });
    written.length = 0;
    createLogger({ service: 'd', format: 'pretty', level: 'info', destination: sink }).info('as text');
    expect(written.join('')).toContain('as text');
    expect(() => JSON.parse(written.join('')) as unknown).toThrow();
  });

  it('names the ids of an attempt as the API does', () => {
    expect(instanceLogIds({ id: '4', taskId: '3', workflowId: '1', workflowRunId: '2' })).toEqual({
      workflowId: '1',
      workflowRunId: '2',
      taskId: '3',
      taskInstanceId: '4',
    });
  });
});
