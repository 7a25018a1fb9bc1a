import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { chooseLogFormat, createLogger, instanceLogIds, logLevelFrom } from './logger';

describe('the logger of every Jobmon process', () => {
  it.each([
    [{}, true, 'pretty'],
    [{}, false, 'json'],
    [{ JOBMON_LOG_FORMAT: 'json' }, true, 'json'],
    [{ JOBMON_LOG_FORMAT: 'pretty' }, false, 'pretty'],
    [{ JOBMON_LOG_FORMAT: 'PRETTY' }, false, 'pretty'],
    [{ JOBMON_LOG_FORMAT: ' Pretty ' }, false, 'pretty'],
    [{ JOBMON_LOG_FORMAT: 'yaml' }, false, 'json'],
  ])('chooses the format: %j, terminal %s → %s', (env, tty, expected) => {
    expect(chooseLogFormat(env as NodeJS.ProcessEnv, tty)).toBe(expected);
  });

  it.each([
    [{ JOBMON_LOG_LEVEL: 'warn', LOG_LEVEL: 'debug' }, 'warn'],
    [{ LOG_LEVEL: 'debug' }, 'debug'],
    [{ JEST_WORKER_ID: '1' }, 'silent'],
    [{}, 'info'],
  ])('takes the level from %j: %s', (env, level) => {
    expect(logLevelFrom(env as NodeJS.ProcessEnv)).toBe(level);
  });

  it('writes JSON lines, or pretty text when asked', () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    createLogger({ service: 'svc', format: 'json', level: 'info', destination: sink }).info(
      { taskId: 7 },
      'hello json',
    );
    expect(JSON.parse(written.join(''))).toMatchObject({ service: 'svc', taskId: 7, msg: 'hello json' });
    written.length = 0;
    createLogger({ service: 'svc', format: 'pretty', level: 'info', destination: sink }).info(
      { taskId: 7 },
      'hello pretty',
    );
    const text = written.join('');
    expect(text).toContain('hello pretty');
    expect(text).toMatch(/taskId.*7/);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('loads pino-pretty only for pretty logs (a fresh process, the built core)', () => {
    const logger = path.resolve(__dirname, '..', 'dist', 'logger.js');
    const loadsPretty = (format: string) => {
      const script =
        `require(${JSON.stringify(logger)}).createLogger({ service: 's', format: '${format}', level: 'info' }).info('x');` +
        "process.stderr.write(String(Object.keys(require.cache).some((file) => file.includes('/pino-pretty/'))));";
      // Bounded: a synchronous child that hung would hold this worker past Jest's own timeout.
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(result.status).toBe(0);
      return result.stderr;
    };
    expect(loadsPretty('json')).toBe('false');
    expect(loadsPretty('pretty')).toBe('true');
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
