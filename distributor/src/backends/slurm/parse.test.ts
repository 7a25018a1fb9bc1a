import { formatSlurmDuration } from './sbatch-args';
import {
  expandJobIds,
  isSubmitLimitError,
  parseConfig,
  parseNodes,
  parsePartitions,
  parseSacct,
  parseSbatchJobId,
  parseSlurmDuration,
  parseSqueue,
  parseSubmitLimit,
  queuesFromPartitions,
} from './parse';
import { NODES, PARTITIONS } from './testing';

describe('Slurm output parsing', () => {
  it('reads and writes durations', () => {
    expect(parseSlurmDuration('00:02:00')).toBe(120);
    expect(parseSlurmDuration('2')).toBe(120);
    expect(parseSlurmDuration('1:30')).toBe(90);
    expect(parseSlurmDuration('1-00:00:00')).toBe(86_400);
    expect(parseSlurmDuration('2-3')).toBe(2 * 86_400 + 3 * 3600);
    expect(parseSlurmDuration('1-02:03')).toBe(86_400 + 2 * 3600 + 3 * 60);
    expect(parseSlurmDuration('UNLIMITED')).toBeNull();
    expect(parseSlurmDuration('INFINITE')).toBeNull();
    expect(formatSlurmDuration(130)).toBe('0-00:02:10');
    expect(formatSlurmDuration(90_061.2)).toBe('1-01:01:02');
    expect(parseSlurmDuration(formatSlurmDuration(7321))).toBe(7321);
  });

  it('turns partitions and their nodes into queues with bounds', () => {
    const partitions = parsePartitions(PARTITIONS);
    expect(partitions.map((p) => [p.name, p.default, p.maxTimeSeconds])).toEqual([
      ['short', true, 120],
      ['long', false, 86_400],
      ['gpu', false, null],
    ]);
    const nodes = parseNodes(NODES);
    expect(nodes[1]).toMatchObject({
      name: 'big',
      cpus: 64,
      realMemoryMb: 512000,
      partitions: ['long', 'gpu'],
    });
    expect(queuesFromPartitions(partitions, nodes)).toEqual([
      { name: 'short', minCores: 1, maxCores: 4, maxMemoryMb: 23081, maxRuntimeSeconds: 120 },
      // MaxCPUsPerNode and MaxMemPerNode bound the largest node.
      { name: 'long', minCores: 1, maxCores: 2, maxMemoryMb: 8000, maxRuntimeSeconds: 86_400 },
      { name: 'gpu', minCores: 1, maxCores: 64, maxMemoryMb: 512000 },
    ]);
    expect(queuesFromPartitions(partitions, nodes, ['long']).map((q) => q.name)).toEqual(['long']);
    expect(() => queuesFromPartitions(partitions, nodes, ['nope'])).toThrow(
      /no partition "nope".*short, long, gpu/,
    );
  });

  it('reads the configuration and submit limits', () => {
    const config = parseConfig('MaxArraySize            = 5001\nMinJobAge               = 300 sec\n');
    expect(config.get('MaxArraySize')).toBe('5001');
    expect(parseSubmitLimit('|\n500\n', 'normal|\n')).toBe(500);
    expect(parseSubmitLimit('\n', '')).toBeNull();
    expect(parseSubmitLimit('1000\n', '200\n')).toBe(200);
  });

  it('reads the job id sbatch prints', () => {
    expect(parseSbatchJobId('1234\n')).toBe('1234');
    expect(parseSbatchJobId('1234;cluster\n')).toBe('1234');
    expect(() => parseSbatchJobId('Submitted batch job\n')).toThrow(/no job id/);
  });

  it('expands array job ids and reads squeue and sacct', () => {
    expect(expandJobIds('12_3')).toEqual(['12_3']);
    expect(expandJobIds('12_[4-6,9%2]')).toEqual(['12_4', '12_5', '12_6', '12_9']);
    const queued = parseSqueue(
      '12_0|RUNNING|None\n12_[1-2%1]|PENDING|JobArrayTaskLimit\n13_0|TIMEOUT|TimeLimit\n',
    );
    expect([...queued.keys()]).toEqual(['12_0', '12_1', '12_2', '13_0']);
    expect(queued.get('12_2')).toEqual({ state: 'PENDING', reason: 'JobArrayTaskLimit' });
    const accounted = parseSacct(
      [
        '20_0|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:03|2|vm',
        '20_0.batch|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:03|2|vm',
        '20_1|CANCELLED by 0|0:15|2026-11-26T21:50:01|2026-11-26T21:50:09|8|vm',
        '20_2|OUT_OF_MEMORY|0:125|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm',
        '20_[3-4]|PENDING|0:0|Unknown|Unknown|0|None assigned',
      ].join('\n'),
    );
    expect(accounted.get('20_0')).toMatchObject({
      state: 'COMPLETED',
      exitCode: 0,
      elapsedSeconds: 2,
      nodeList: 'vm',
    });
    expect(accounted.get('20_1')).toMatchObject({ state: 'CANCELLED', cancelledBy: '0', signal: 15 });
    expect(accounted.get('20_2')?.state).toBe('OUT_OF_MEMORY');
    expect(accounted.get('20_4')).toMatchObject({ state: 'PENDING', start: null, nodeList: null });
    expect(accounted.has('20_0.batch')).toBe(false);
  });

  it("reads a job's max RSS from its steps' MaxRSS (the largest), none when no step has one", () => {
    const accounted = parseSacct(
      [
        '30_0|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:03|2|vm|',
        '30_0.batch|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:03|2|vm|204800K',
        '30_0.extern|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:03|2|vm|1024K',
        '30_1|OUT_OF_MEMORY|0:125|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm|',
        '30_1.batch|OUT_OF_MEMORY|0:125|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm|1.5G',
        '30_2|FAILED|1:0|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm|',
        '30_2.batch|FAILED|1:0|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm|',
        '31|COMPLETED|0:0|2026-11-26T21:50:01|2026-11-26T21:50:02|1|vm',
      ].join('\n'),
    );
    expect(accounted.get('30_0')?.maxRssMb).toBe(200);
    expect(accounted.get('30_1')?.maxRssMb).toBe(1536);
    expect(accounted.get('30_2')?.maxRssMb).toBeNull();
    expect(accounted.get('31')?.maxRssMb).toBeNull();
  });

  it('tells a full queue from a refusal', () => {
    expect(
      isSubmitLimitError(
        "Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)",
      ),
    ).toBe(true);
    expect(isSubmitLimitError('QOSMaxSubmitJobPerUserLimit')).toBe(true);
    expect(isSubmitLimitError('Batch job submission failed: Invalid feature specification')).toBe(false);
  });
});
