import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitWatch } from './exit-watch';
import { Launcher, type LaunchRequest } from './launcher';
import { ProcessMonitor } from './monitor';
import { findProcessByArgument, groupMembers, readStat } from './proc';
import { TAIL_BYTES, readExitFile } from './log-files';
import {
  adoptProcess,
  reportFromFiles,
  supervise,
  superviseWithLauncher,
  Supervisor,
  type SuperviseRequest,
  type SupervisorOptions,
} from './supervisor';

jest.setTimeout(30_000);

let logDir: string;
let options: SupervisorOptions;
let nextId = 1;
const monitor = new ProcessMonitor({ intervalMs: 50, firstSampleMs: 20 });
const exitWatch = new ExitWatch();
const supervisor = new Supervisor();

beforeAll(() => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-supervisor-'));
  options = { logDir, monitor, hostname: 'test-host', killGraceMs: 500 };
});
afterAll(() => fs.rmSync(logDir, { recursive: true, force: true }));

const request = (command: string, extra: Partial<SuperviseRequest> = {}): SuperviseRequest => {
  const instanceId = String(nextId++);
  return { instanceId, workflowId: '7', command, nonce: `nonce-${instanceId}-${process.pid}`, ...extra };
};

const run = (command: string, extra: Partial<SuperviseRequest> = {}, more: SupervisorOptions = {}) =>
  supervise(request(command, extra), { ...options, ...more }, supervisor);

describe('supervise', () => {
  it('runs a command to DONE with its output in files and tails, and plausible usage', async () => {
    const began = Date.now();
    const supervision = run('echo out; echo err >&2; exit 0');
    expect(supervision.backendJobId).toMatch(/^\d+:\d+$/);
    const report = await supervision.finished;
    expect(report).toMatchObject({
      id: supervision.instanceId,
      outcome: 'DONE',
      exitCode: 0,
      errorKind: null,
      hostname: 'test-host',
      stdoutTail: 'out\n',
      stderrTail: 'err\n',
    });
    expect(report.stdoutPath).toBe(path.join(logDir, '7', `${supervision.instanceId}.out`));
    expect(fs.readFileSync(report.stdoutPath!, 'utf8')).toBe('out\n');
    expect(fs.readFileSync(report.stderrPath!, 'utf8')).toBe('err\n');
    expect(report.usage!.wallSeconds).toBeGreaterThanOrEqual(0);
    // No longer than the test saw it take (+ the 10 ms ticks of /proc clocks).
    expect(report.usage!.wallSeconds).toBeLessThanOrEqual((Date.now() - began) / 1000 + 0.05);
    expect(report.usage!.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(report.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(report.startedAt!));
    expect(readExitFile(supervision.paths.exitPath, supervision.nonce)).toMatchObject({ exitCode: 0 });
  });

  it('reports a non-zero exit as ERROR with the exit code and the last line of stderr', async () => {
    const report = await run('echo first >&2; echo "ValueError: bad input" >&2; exit 3').finished;
    expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 3 });
    expect(report.errorMessage).toBe('exit code 3: ValueError: bad input');
  });

  it('passes the instance to the command in its environment', async () => {
    const supervision = run('echo "$JOBMON_TASK_INSTANCE_ID $JOBMON_WORKFLOW_ID"');
    const report = await supervision.finished;
    expect(report.stdoutTail).toBe(`${supervision.instanceId} 7\n`);
  });

  it("hands none of Jobmon's secrets to the command (tokens, database and Redis URLs)", async () => {
    const secrets = {
      JOBMON_TOKEN: 'jm_distributor-secret',
      JOBMON_ATTEMPT_TOKEN: 'jmi_1_attempt-secret',
      JOBMON_DATABASE_URL: 'mysql://jobmon:db-secret@db:3306/jobmon',
      JOBMON_REDIS_URL: 'redis://:redis-secret@redis:6379',
      JOBMON_METRICS_TOKEN: 'metrics-secret',
    };
    const saved = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      const supervision = run(
        'env; echo "token=$JOBMON_TOKEN"',
        {},
        { env: { JOBMON_SERVER_TOKEN: 'x-secret' } },
      );
      const report = await supervision.finished;
      expect(report.outcome).toBe('DONE');
      expect(report.stdoutTail).toContain('token=\n');
      expect(report.stdoutTail).toContain(`JOBMON_TASK_INSTANCE_ID=${supervision.instanceId}`);
      for (const value of [...Object.values(secrets), 'x-secret'])
        expect(report.stdoutTail).not.toContain(value);
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('keeps the whole output in the file and only its last 64 KiB as the tail', async () => {
    // 200,000 bytes of "a", then END: more than three times the tail.
    const report = await run(`head -c 200000 /dev/zero | tr '\\0' a; echo END; head -c 100000 /dev/zero >&2`)
      .finished;
    expect(report.outcome).toBe('DONE');
    expect(fs.statSync(report.stdoutPath!).size).toBe(200004);
    expect(report.stdoutTail!.length).toBe(TAIL_BYTES);
    expect(report.stdoutTail!.endsWith('aaaEND\n')).toBe(true);
    expect(report.stderrTail!.length).toBe(TAIL_BYTES);
  });

  it('kills a process tree over its memory limit: RESOURCE_ERROR OUT_OF_MEMORY', async () => {
    // Grows by 20 MiB every 20 ms (touched pages, so resident) until killed.
    const grow = `node -e "const a=[];setInterval(()=>a.push(Buffer.alloc(20*1024*1024,1)),20)"`;
    const supervision = run(grow, { memoryMb: 150, runtimeSeconds: 20 });
    const report = await supervision.finished;
    expect(report).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'OUT_OF_MEMORY' });
    expect(report.usage!.maxRssMb).toBeGreaterThan(150);
    expect(report.usage!.maxRssMb).toBeLessThan(2000);
    expect(report.errorMessage).toMatch(/over the limit of 150 MiB/);
    expect(groupMembers(supervision.pid)).toEqual([]);
  });

  it('kills a command at its runtime limit: RESOURCE_ERROR TIMEOUT', async () => {
    // TIMEOUT (not DONE) says it was killed before `sleep` ended; how soon after the limit is load's call.
    const report = await run('sleep 30', { runtimeSeconds: 1 }).finished;
    expect(report).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'TIMEOUT' });
    expect(report.usage!.wallSeconds).toBeGreaterThanOrEqual(0.9);
  });

  it('kills the whole process group on request, leaving no process behind', async () => {
    const supervision = run("sh -c 'sleep 100' & sleep 100 & sh -c 'sleep 100; echo never'");
    await waitFor(() => groupMembers(supervision.pid).length >= 4);
    supervision.kill('KILLED');
    const report = await supervision.finished;
    expect(report).toMatchObject({ outcome: 'KILLED', errorMessage: 'killed on request' });
    expect(groupMembers(supervision.pid)).toEqual([]);
  });

  it('SIGKILLs what ignores SIGTERM once the grace period is over', async () => {
    // The marker says the trap is set: counting processes alone raced a shell forked but not yet trapping.
    const trapped = path.join(logDir, `trapped-${nextId}`);
    const supervision = run(
      `sh -c "trap '' TERM; touch ${trapped}; sleep 100" & sleep 100`,
      {},
      { killGraceMs: 300 },
    );
    await waitFor(() => fs.existsSync(trapped) && groupMembers(supervision.pid).length >= 3);
    const started = Date.now();
    supervision.kill('KILLED');
    const report = await supervision.finished;
    expect(report.outcome).toBe('KILLED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(groupMembers(supervision.pid)).toEqual([]);
  });

  it('ends what a finished command left running in its group', async () => {
    const supervision = run('sleep 100 & echo started');
    const report = await supervision.finished;
    expect(report.outcome).toBe('DONE');
    await waitFor(() => groupMembers(supervision.pid).length === 0);
  });

  it('takes exit 137 (SIGKILL, as the kernel OOM killer sends) as OUT_OF_MEMORY', async () => {
    const report = await run('kill -9 $$').finished;
    expect(report).toMatchObject({ outcome: 'RESOURCE_ERROR', errorKind: 'OUT_OF_MEMORY', exitCode: 137 });
  });

  it('measures CPU time and memory of a busy command', async () => {
    // Spins until it has used 0.6 s of CPU (not of wall time: on a loaded machine it gets less CPU).
    const busy = `node -e "const b=Buffer.alloc(60*1024*1024,1);while(process.cpuUsage().user<6e5){}"`;
    const report = await run(busy).finished;
    expect(report.outcome).toBe('DONE');
    expect(report.usage!.cpuSeconds).toBeGreaterThan(0.3);
    expect(report.usage!.cpuSeconds).toBeLessThan(report.usage!.wallSeconds! * 2 + 0.1);
    expect(report.usage!.wallSeconds).toBeGreaterThan(0.5);
    expect(report.usage!.maxRssMb).toBeGreaterThan(55);
    expect(report.usage!.maxRssMb).toBeLessThan(500);
  });

  it('measures the max RSS of a command that ends before the first sample (from its rusage at exit)', async () => {
    // A monitor whose first sample never comes: only the exit sample can give the figure.
    const unsampled = new ProcessMonitor({ intervalMs: 60_000, firstSampleMs: 60_000 });
    const allocate = `node -e "Buffer.alloc(80*1024*1024,1)"`;
    const report = await run(allocate, {}, { monitor: unsampled }).finished;
    expect(report.outcome).toBe('DONE');
    expect(report.usage!.maxRssMb).toBeGreaterThan(75);
    expect(report.usage!.maxRssMb).toBeLessThan(1000);
    // The exit file keeps it for a later reader (an adopter, or the report from files).
    const fromFiles = reportFromFiles(
      {
        instanceId: report.id,
        workflowId: '7',
        command: allocate,
        nonce: `nonce-${report.id}-${process.pid}`,
      },
      options,
    );
    expect(fromFiles.usage!.maxRssMb).toBe(report.usage!.maxRssMb);
    expect(fromFiles.exitCode).toBe(0);
  });

  it('reads the exit code and CPU time of a failed command despite the rusage lines in its exit file', async () => {
    const unsampled = new ProcessMonitor({ intervalMs: 60_000, firstSampleMs: 60_000 });
    const report = await run('exit 3', {}, { monitor: unsampled }).finished;
    expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 3 });
    expect(report.usage!.cpuSeconds).not.toBeNull();
    expect(report.usage!.maxRssMb).toBeGreaterThan(0);
  });

  it('an adopter follows a command it did not start and reads its real exit code from the exit file', async () => {
    const began = Date.now();
    const first = run('sleep 0.6; echo bye; exit 7');
    first.detach();
    const adopted = adoptProcess(
      { instanceId: first.instanceId, workflowId: '7', command: '', nonce: first.nonce },
      first.pid,
      first.starttime,
      options,
    );
    expect(adopted).toBeDefined();
    const report = await adopted!.finished;
    expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 7, stdoutTail: 'bye\n' });
    // From the start time in /proc (10 ms) to the exit file's time.
    expect(report.usage!.wallSeconds).toBeGreaterThan(0.55);
    expect(report.usage!.wallSeconds).toBeLessThanOrEqual((Date.now() - began) / 1000 + 0.05);
    // Gone now: nothing to adopt, but the files tell how it ended.
    expect(
      adoptProcess(
        { instanceId: first.instanceId, workflowId: '7', command: '', nonce: first.nonce },
        first.pid,
        first.starttime,
        options,
      ),
    ).toBeUndefined();
    expect(
      reportFromFiles(
        { instanceId: first.instanceId, workflowId: '7', command: '', nonce: first.nonce },
        options,
      ),
    ).toMatchObject({ outcome: 'ERROR', exitCode: 7, stdoutTail: 'bye\n' });
  });

  it('an adopter can kill what it adopted', async () => {
    const first = run('sleep 100');
    first.detach();
    const adopted = adoptProcess(
      { instanceId: first.instanceId, workflowId: '7', command: '', nonce: first.nonce },
      first.pid,
      first.starttime,
      options,
    )!;
    adopted.kill('KILLED');
    expect((await adopted.finished).outcome).toBe('KILLED');
    expect(groupMembers(first.pid)).toEqual([]);
  });

  it('does not mistake a reused pid for the adopted process', () => {
    const stat = readStat(process.pid)!;
    const req = { instanceId: 'x', workflowId: '7', command: '', nonce: 'x' };
    expect(adoptProcess(req, process.pid, stat.starttime + 1, options)).toBeUndefined();
  });

  it('without an exit file, a process that ended unobserved is UNKNOWN_ERROR', () => {
    const report = reportFromFiles(
      { instanceId: 'never', workflowId: '7', command: '', nonce: 'n' },
      options,
    );
    expect(report).toMatchObject({ outcome: 'UNKNOWN_ERROR', errorKind: 'EXIT_STATUS_UNKNOWN' });
  });
});

describe('superviseWithLauncher', () => {
  it('a command forked by a launcher that died before saying so is found and followed, not called START_FAILED', async () => {
    const marker = path.join(logDir, 'forked-ran');
    const req = request(`echo ran >> ${marker}; sleep 0.3; echo out; exit 3`);
    // A launcher that forks the wrapper, then dies before its "S <id> <pid>" line is read.
    const dying = {
      start(launch: LaunchRequest) {
        spawn('/bin/sh', ['-c', launch.script, 'jobmon-task', ...launch.args], {
          detached: true,
          stdio: 'ignore',
          env: { ...process.env, ...launch.env },
        }).unref();
        launch.onLost();
      },
      forget: () => undefined,
      reap: () => undefined,
    } as unknown as Launcher;
    const supervision = await superviseWithLauncher(req, options, dying, exitWatch, supervisor);
    const report = await supervision.finished;
    expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 3, stdoutTail: 'out\n' });
    expect(fs.readFileSync(marker, 'utf8')).toBe('ran\n'); // it ran, once
  });

  it('a launcher that died before forking: START_FAILED, and nothing runs', async () => {
    const marker = path.join(logDir, 'never-forked');
    const req = request(`echo ran >> ${marker}`);
    const dead = {
      start: (launch: LaunchRequest) => launch.onLost(),
      forget: () => undefined,
      reap: () => undefined,
    } as unknown as Launcher;
    await expect(superviseWithLauncher(req, options, dead, exitWatch, supervisor)).rejects.toThrow(
      /before the command started/,
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("an exit file that does not carry the attempt's nonce is not its exit", async () => {
    const done = await run('exit 0').finished;
    expect(done.outcome).toBe('DONE');
    const exitPath = done.stdoutPath!.replace(/\.out$/, '.exit');
    expect(readExitFile(exitPath, `nonce-${done.id}-${process.pid}`)).toMatchObject({ exitCode: 0 });
    expect(readExitFile(exitPath, 'another nonce')).toBeUndefined();
    expect(readExitFile(exitPath, '')).toBeUndefined();
  });
});

describe.each([
  ["exec'd into /usr/bin/time", false],
  ['the shell wrapper (a host whose time fails the trial)', true],
])('the wrapper: %s', (_name, shell) => {
  // No sample and no /proc poll within the test: the end must be seen through the launcher's E line or
  // the exit file's watch, and the max RSS must come from the exit file.
  const unsampled = new ProcessMonitor({ intervalMs: 60_000, firstSampleMs: 60_000 });
  // The shell wrapper as on a host whose `time` fails the trial, or the trials' pick.
  const wrapped = new Supervisor(shell ? { shellWrapper: { withTime: true } } : {});
  let launcher: Launcher;
  beforeAll(() => {
    launcher = new Launcher();
  });
  afterAll(() => {
    launcher.close();
  });

  it('through a launcher: the nonce first in the exit file, then the exit code, max RSS and CPU time', async () => {
    const req = request('echo hi; exit 5');
    const supervision = await superviseWithLauncher(
      req,
      { ...options, monitor: unsampled },
      launcher,
      exitWatch,
      wrapped,
    );
    const report = await supervision.finished;
    expect(report).toMatchObject({ outcome: 'ERROR', exitCode: 5, stdoutTail: 'hi\n' });
    expect(report.usage!.maxRssMb).toBeGreaterThan(0);
    expect(report.usage!.cpuSeconds).not.toBeNull();
    expect(fs.readFileSync(supervision.paths.exitPath, 'utf8').split('\n')[0]).toBe(req.nonce);
    expect(readExitFile(supervision.paths.exitPath, req.nonce)).toEqual({
      exitCode: 5,
      maxRssMb: report.usage!.maxRssMb,
      cpuSeconds: report.usage!.cpuSeconds,
    });
  });

  it('a command ended by a signal has exit code 128 + N, through a launcher too', async () => {
    const supervision = await superviseWithLauncher(
      request('kill -TERM $$'),
      { ...options, monitor: unsampled },
      launcher,
      exitWatch,
      wrapped,
    );
    expect(await supervision.finished).toMatchObject({ outcome: 'ERROR', exitCode: 143 });
    const killed = supervise(request('kill -9 $$'), { ...options, monitor: unsampled }, wrapped);
    expect((await killed.finished).exitCode).toBe(137);
  });

  it('through a launcher: in a session of its own that its job id leads, with its environment', async () => {
    const marker = path.join(logDir, `session-${shell}`);
    const req = request(`echo "$JOBMON_TASK_INSTANCE_ID $JOBMON_WORKFLOW_ID" > ${marker}; sleep 30`);
    const supervision = await superviseWithLauncher(req, options, launcher, exitWatch, wrapped);
    try {
      await waitFor(() => groupMembers(supervision.pid).length >= 2);
      // The session (field 6 of /proc/PID/stat) of every process of the group is the leader's pid.
      const session = (pid: number) =>
        Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3]);
      expect(session(process.pid)).not.toBe(supervision.pid);
      for (const { pid } of groupMembers(supervision.pid)) expect(session(pid)).toBe(supervision.pid);
      await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').endsWith('\n'));
      expect(fs.readFileSync(marker, 'utf8')).toBe(`${req.instanceId} ${req.workflowId}\n`);
    } finally {
      supervision.kill('KILLED');
      await supervision.finished;
    }
  });

  it("the group leader's command line carries the nonce (adoption without a job id) and a group kill ends all", async () => {
    const req = request('sleep 30 & sleep 30');
    const supervision = await superviseWithLauncher(req, options, launcher, exitWatch, wrapped);
    await waitFor(() => findProcessByArgument(req.nonce)?.pid === supervision.pid);
    await waitFor(() => groupMembers(supervision.pid).length >= 3);
    supervision.kill('KILLED');
    expect(await supervision.finished).toMatchObject({ outcome: 'KILLED' });
    expect(groupMembers(supervision.pid)).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
