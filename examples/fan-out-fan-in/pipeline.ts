// A fan-out/fan-in pipeline with the TypeScript SDK: one model per location (in parallel), then one
// aggregate that waits for all of them. Against a running `npm start`:
//
//   npx ts-node examples/fan-out-fan-in/pipeline.ts [RUN_NAME]
//
// Running it again with the same RUN_NAME finds the same workflow (nothing runs twice); a new name makes a
// new workflow. JOBMON_SERVER_URL picks another server; the results go to ./.jobmon/examples/RUN_NAME/.
import fs from 'node:fs';
import path from 'node:path';
import { progressBar, Tool } from '@jobmon/client-sdk';

const runName = process.argv[2] ?? 'demo';
const here = __dirname;
// Commands run on the distributor's host with its working directory: give them absolute paths.
const outDir = path.resolve('.jobmon', 'examples', runName);
fs.mkdirSync(outDir, { recursive: true });

const tool = new Tool('example-fan-out-fan-in');
const model = tool.taskTemplate({
  name: 'model',
  commandTemplate: 'sh {script} {location} {year} {out}',
  nodeArgs: ['location', 'year'],
  taskArgs: ['out'],
  opArgs: ['script'],
  defaultResources: { memory: '256M', runtime: '00:05:00', cores: 1 },
});
const aggregate = tool.taskTemplate({
  name: 'aggregate',
  commandTemplate: 'sh {script} {out}',
  nodeArgs: [],
  taskArgs: ['out'],
  opArgs: ['script'],
  defaultResources: { memory: '256M', runtime: '10m' },
});

const locations = ['kenya', 'peru', 'india', 'norway', 'chile', 'japan'];
const models = locations.map((location) =>
  model.createTask({
    args: { script: path.join(here, 'model.sh'), location, year: 2025, out: outDir },
  }),
);
const summary = aggregate.createTask({
  key: 'aggregate',
  args: { script: path.join(here, 'aggregate.sh'), out: outDir },
  upstream: models,
});

const workflow = tool
  .workflow({ workflowArgs: runName, name: `fan-out/fan-in (${runName})`, maxConcurrentlyRunning: 4 })
  .addTasks(...models, summary);

async function main(): Promise<void> {
  // run() submits (or finds) the workflow and follows it live until it is DONE, FAILED or HALTED.
  const result = await workflow.run({ onProgress: progressBar().onProgress });
  console.log(`workflow ${result.workflowId} ended ${result.status}`);
  if (result.status === 'DONE') console.log(fs.readFileSync(path.join(outDir, 'summary.txt'), 'utf8').trim());
  process.exitCode = result.status === 'DONE' ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
