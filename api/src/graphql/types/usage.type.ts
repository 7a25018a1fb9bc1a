import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

// Usage and timeline views: points come as parallel arrays (one entry per attempt at the same index),
// so thousands of attempts cost numbers, not objects.

@ObjectType({
  description:
    'Usage of the DONE attempts of one template of a workflow, as parallel arrays (index i is one attempt). At most `maxPointsPerTemplate` attempts: the latest by id; `capped` says when there were more.',
})
export class TemplateUsagePoints {
  @Field(() => ID, { description: 'The task template version.' }) id!: number;
  @Field(() => String, { description: 'The template name.' }) name!: string;
  @Field(() => Int, { description: 'DONE attempts of the template in the workflow (all of them).' })
  doneAttempts!: number;
  @Field(() => Boolean, {
    description: 'Whether the points are fewer than the DONE attempts (the latest kept).',
  })
  capped!: boolean;
  @Field(() => [Int], { description: 'Attempt (task instance) ids.' }) instanceIds!: number[];
  @Field(() => [Int], { description: 'Task ids.' }) taskIds!: number[];
  @Field(() => [Float], { nullable: 'items', description: 'Wall-clock runtime (s); null when not measured.' })
  runtimeSeconds!: (number | null)[];
  @Field(() => [Float], {
    nullable: 'items',
    description: 'Max RSS (MiB); null when not measured (never 0).',
  })
  maxRssMb!: (number | null)[];
  @Field(() => [Float], { nullable: 'items', description: 'Memory the attempt requested (MiB).' })
  requestedMemoryMb!: (number | null)[];
  @Field(() => [Float], { nullable: 'items', description: 'Runtime the attempt requested (s).' })
  requestedRuntimeSeconds!: (number | null)[];
}

@ObjectType({ description: 'A percentile of a measure.' })
export class PercentileValue {
  @Field(() => Float, { description: 'The percentile asked for (0–100].' }) percentile!: number;
  @Field(() => Float, { nullable: true, description: 'Nearest-rank value; null when nothing was measured.' })
  value!: number | null;
}

@ObjectType({
  description:
    'Resources suggested from past usage: the percentile × headroom, rounded up to the queue granularity (memory: 256 MB steps up to 4 GB, 1 GB steps above; runtime: whole minutes). Null where nothing was measured.',
})
export class ResourceSuggestion {
  @Field(() => Float, { description: 'The percentile of past usage it starts from.' }) percentile!: number;
  @Field(() => Float, { description: 'The factor applied on top of it (1.2: +20%).' }) headroom!: number;
  @Field(() => Int, { nullable: true, description: 'Suggested memory (MiB).' }) memoryMb!: number | null;
  @Field(() => Int, { nullable: true, description: 'Suggested runtime (s).' }) runtimeSeconds!: number | null;
  @Field(() => Int, { description: 'Attempts the suggestion is based on.' }) basedOnAttempts!: number;
}

@ObjectType({
  description:
    "Usage percentiles of a template's DONE attempts across all workflows of its tool (every version of the template), over its latest `sampleCap` attempts.",
})
export class TemplateUsagePercentiles {
  @Field(() => Int, { description: 'DONE attempts in all.' }) doneAttempts!: number;
  @Field(() => Int, { description: 'Workflows they ran in.' }) workflows!: number;
  @Field(() => Int, { description: 'Attempts the percentiles are computed over (the latest).' })
  sampleSize!: number;
  @Field(() => Int, { description: 'Attempts of the sample with a max RSS.' }) measuredMaxRss!: number;
  @Field(() => [PercentileValue], { description: 'Percentiles of the runtime (s).' })
  runtimeSeconds!: PercentileValue[];
  @Field(() => [PercentileValue], { description: 'Percentiles of the max RSS (MiB).' })
  maxRssMb!: PercentileValue[];
  @Field(() => [PercentileValue], { description: 'Percentiles of the memory the attempts requested (MiB).' })
  requestedMemoryMb!: PercentileValue[];
  @Field(() => [PercentileValue], { description: 'Percentiles of the runtime the attempts requested (s).' })
  requestedRuntimeSeconds!: PercentileValue[];
}

@ObjectType({
  description:
    'How many attempts ran over time, from the audit log (changes to and from RUNNING): a step series, `running[i]` from `atMs[i]` on. Only computed for the first page.',
})
export class Concurrency {
  @Field(() => [Float], { description: 'ms after the timeline origin.' }) atMs!: number[];
  @Field(() => [Int], { description: 'Attempts RUNNING from each `atMs` on.' }) running!: number[];
  @Field(() => Boolean, {
    description: 'Whether the audit log had more changes than were read (the earliest kept).',
  })
  truncated!: boolean;
}

@ObjectType({
  description:
    'Attempts of a workflow for a Gantt chart, as parallel arrays (index i is one attempt, ordered by id). Times are milliseconds after `origin`; null when the attempt has not reached that point.',
})
export class Timeline {
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'Time 0 of the ms offsets (the workflow creation).',
  })
  origin!: Date | null;
  @Field(() => [Int], { description: 'Attempt (task instance) ids.' }) instanceIds!: number[];
  @Field(() => [Int], { description: 'The task of each attempt.' }) taskIds!: number[];
  @Field(() => [Int], { description: 'Attempt number (1 = first try; higher = a retry).' })
  attempts!: number[];
  @Field(() => [String], { description: 'TaskInstanceStatus names that `statusCodes` index into.' })
  statusNames!: string[];
  @Field(() => [Int], { description: 'Status of each attempt, as an index into `statusNames`.' })
  statusCodes!: number[];
  @Field(() => [Float], { nullable: 'items', description: 'Submitted to the backend, ms after `origin`.' })
  submittedMs!: (number | null)[];
  @Field(() => [Float], { nullable: 'items', description: 'Started running, ms after `origin`.' })
  startedMs!: (number | null)[];
  @Field(() => [Float], { nullable: 'items', description: 'Ended, ms after `origin` (null: still going).' })
  finishedMs!: (number | null)[];
  @Field(() => Boolean, { description: 'More attempts follow: ask again with `after: endCursor`.' })
  hasMore!: boolean;
  @Field(() => Int, { nullable: true, description: 'The last attempt id of this page.' }) endCursor!:
    number | null;
  @Field(() => Concurrency, { description: 'How many attempts ran at once over time (first page only).' })
  concurrency!: Concurrency;
}
