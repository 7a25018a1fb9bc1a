import fs from 'node:fs';

import path from 'node:path';
import { testDialects } from '@jobmon/api/testing';
import { JobmonClient } from '@jobmon/client-sdk';
import { parse } from 'yaml';
import { JOBMON_CLI as cliJs, runProcess } from '../testing/processes';
import { useCliSession } from '../testing/cli-session';

// `jobmon resources` (a child process) and the SDK's resource usage against `jobmon server` running the
// parameter-sweep example for real: usage measured by the local distributor, percentiles and a
// suggestion across the tool's workflows.

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const examples = path.join(repoRoot, 'examples');

describe.each(testDialects())('resource usage and suggestions [%s]', (dialect) => {
  let workflowId: string;
  const tool = `example-parameter-sweep-usage-${dialect}`;

  const cli = useCliSession(dialect, { scratchPrefix: 'jobmon-resources-' });
  const { jobmon } = cli;

  beforeAll(async () => {
    const sweep = JSON.parse(fs.readFileSync(path.join(examples, 'parameter-sweep', 'sweep.json'), 'utf8'));
    const file = path.join(cli.dir, 'sweep.json');
    fs.writeFileSync(file, JSON.stringify({ ...sweep, tool, workflowArgs: `usage-${dialect}` }));
    const result = await runProcess(process.execPath, [cliJs, 'submit', file, '--wait'], {
      env: cli.env,
      cwd: cli.dir,
    });
    if (result.code !== 0) throw new Error(`submit exited ${result.code}: ${result.stderr}`);
    workflowId = result.stdout.match(/^Submitted workflow (\d+)/m)![1]!;
  }, 120_000);

  it('the SDK gives every DONE attempt its runtime, max RSS (measured even for commands this short) and request', async () => {
    const client = new JobmonClient({ serverUrl: cli.server.url });
    const usage = await client.resourceUsage(workflowId);
    const fit = usage.find((template) => template.template === 'fit')!;
    expect(fit).toMatchObject({ doneAttempts: 9, capped: false });
    expect(fit.attempts).toHaveLength(9);
    for (const attempt of fit.attempts) {
      expect(attempt.requested).toEqual({ memoryMb: 256, runtimeSeconds: 300 });
      expect(attempt.runtimeSeconds).toBeGreaterThanOrEqual(0);
      expect(attempt.maxRssMb).toBeGreaterThan(0);
    }
    expect(usage.find((template) => template.template === 'collect')).toMatchObject({ doneAttempts: 1 });
  });

  it('jobmon resources --yaml prints template resources rounded to the queue granularity', async () => {
    const result = await jobmon('resources', 'fit', '--tool', tool, '--yaml');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# jobmon resources fit --tool .*: from 9 DONE attempts/);
    // echo and awk use a few MB and well under a second: the smallest steps.
    expect(parse(result.stdout)).toEqual({
      task_template_resources: { fit: { memory: '256M', runtime: '1m' } },
    });
  });

  it('jobmon resources shows percentiles (human and --json); an unknown template exits 4', async () => {
    const human = await jobmon('resources', 'fit', '--tool', tool, '--percentile', '90');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^fit \(tool .*\): 9 DONE attempts in 1 workflow;/);
    // One of each: the singular (collect's first attempt fails on purpose; its retry is its DONE one).
    const one = await jobmon('resources', 'collect', '--tool', tool);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^collect \(tool .*\): 1 DONE attempt in 1 workflow;/);
    expect(human.stdout).toMatch(/requested memory\s+│ 256M/);
    expect(human.stdout).toMatch(/suggested \(p90 × 1\.2, rounded up\): memory 256M, runtime 1m 00s/);
    const json = await jobmon('resources', 'fit', '--tool', tool, '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      usage: {
        doneAttempts: number;
        measuredMaxRss: number;
        maxRssMb: { percentile: number; value: number }[];
      };
      suggestion: { memoryMb: number; runtimeSeconds: number; percentile: number };
    };
    expect(parsed.usage).toMatchObject({ doneAttempts: 9, measuredMaxRss: 9 });
    expect(parsed.usage.maxRssMb.map((p) => p.percentile)).toEqual([50, 90, 95, 99]);
    expect(parsed.suggestion).toMatchObject({ memoryMb: 256, runtimeSeconds: 60, percentile: 95 });
    const missing = await jobmon('resources', 'nope', '--tool', tool);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/task template nope of tool .* not found/);
    const bad = await jobmon('resources', 'fit', '--tool', tool, '--percentile', '0');
    expect(bad.code).toBe(2);
  });
});
