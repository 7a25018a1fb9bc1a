import { arrayChunks, arrayThrottle, extraFlags, sbatchArgs } from './sbatch-args';

describe('the sbatch command line', () => {
  it('builds the sbatch command line of an array', () => {
    const args = sbatchArgs({
      jobName: 'jobmon-fit',
      partition: 'short',
      memoryMb: 1152,
      cores: 2,
      timeLimitSeconds: 90,
      size: 50,
      throttle: 10,
      stdoutPattern: '/logs/1/slurm-%A_%a.out',
      stderrPattern: '/logs/1/slurm-%A_%a.err',
      extra: { account: 'proj', constraint: ['avx2', 'ib'], ignoredByThisBackend: 1 },
    });
    expect(args).toEqual([
      '--parsable',
      '--job-name=jobmon-fit',
      '--array=0-49%10',
      '--output=/logs/1/slurm-%A_%a.out',
      '--error=/logs/1/slurm-%A_%a.err',
      '--no-requeue',
      '--nodes=1',
      '--ntasks=1',
      '--partition=short',
      '--cpus-per-task=2',
      '--mem=1152M',
      '--time=0-00:01:30',
      '--account=proj',
      '--constraint=avx2&ib',
    ]);
    expect(extraFlags({ qos: 'high', exclusive: true, sbatchArgs: ['--licenses=matlab'] })).toEqual([
      '--qos=high',
      '--exclusive',
      '--licenses=matlab',
    ]);
    expect(arrayChunks(2500, 1001)).toEqual([
      [0, 1001],
      [1001, 1001],
      [2002, 498],
    ]);
  });
});

describe('the %N throttle of a job array', () => {
  it('is the smallest concurrency limit, never more than the array, and absent when nothing limits', () => {
    expect(arrayThrottle(6, [2, 2], null)).toBe(2);
    expect(arrayThrottle(6, [3, 2, 5], null)).toBe(2);
    expect(arrayThrottle(2, [10_000], null)).toBe(2);
    expect(arrayThrottle(6, [4], { arrayThrottle: 3 })).toBe(3);
    expect(arrayThrottle(6, [2], { arrayThrottle: 3 })).toBe(2);
    expect(arrayThrottle(6, [null, undefined], { arrayThrottle: 3 })).toBe(3);
    expect(arrayThrottle(6, [null, undefined], null)).toBeNull();
    // A paused workflow (0) does not stop what was claimed before the pause.
    expect(arrayThrottle(6, [0], null)).toBeNull();
  });

  it('goes on --array as %N, and not at all without a throttle', () => {
    const base = {
      jobName: 'jobmon-t',
      partition: null,
      memoryMb: null,
      cores: null,
      timeLimitSeconds: null,
      stdoutPattern: '/logs/o',
      stderrPattern: '/logs/e',
      extra: null,
    };
    expect(sbatchArgs({ ...base, size: 6, throttle: 2 })).toContain('--array=0-5%2');
    expect(sbatchArgs({ ...base, size: 6, throttle: null })).toContain('--array=0-5');
  });
});
