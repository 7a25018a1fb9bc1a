import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import { Connection } from './connection';
import { WorkflowStatus } from './enums';

// Saved reports (SPEC §9) and the aggregates the shipped example reports read.

@ObjectType({
  description:
    'A saved report: a named GraphQL query with its variables, stored with its owner. Anyone signed in ' +
    'lists and runs reports; only the owner or an admin overwrites or deletes one; the shipped examples stay.',
})
export class Report {
  @Field(() => ID, { description: 'Pass it to saveReport to overwrite the report, or to deleteReport.' })
  id!: number;
  @Field(() => String, { description: 'Unique among the reports of its owner.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'What the report shows, in a sentence.' })
  description!: string | null;
  @Field(() => String, { description: 'The GraphQL document the report runs (queries only).' })
  query!: string;
  @Field(() => JSONObjectResolver, {
    nullable: true,
    description: 'The variables it runs with, unless the runner gives others.',
  })
  variables!: Record<string, unknown> | null;
  @Field(() => String, {
    nullable: true,
    description: 'The user who saved it; null for the shipped examples and reports saved in open mode.',
  })
  owner!: string | null;
  @Field(() => Boolean, { description: 'A shipped example: it cannot be overwritten or deleted.' })
  example!: boolean;
  @Field(() => DateTimeISOResolver, { description: 'When it was first saved.' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When it was last saved.' }) updatedAt!: Date;
}

export const ReportConnection = Connection(Report, 'Report');

@InputType({ description: 'A report to save: a new one, or (with id) an overwrite of an existing one.' })
export class ReportInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The report to overwrite (yours, or anyone’s for an admin); omit it to save a new report.',
  })
  id?: string | null;
  @Field(() => String, { description: 'Unique among your reports; at most the name length limit.' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'What the report shows (at most 4096 bytes).' })
  description?: string | null;
  @Field(() => String, {
    description: 'A GraphQL document of queries only, at most 32768 bytes; it must parse.',
  })
  query!: string;
  @Field(() => JSONObjectResolver, {
    nullable: true,
    description: 'Variables to run it with (a JSON object, at most 8192 bytes).',
  })
  variables?: Record<string, unknown> | null;
}

@InputType({ description: 'Which reports to list.' })
export class ReportFilter {
  @Field(() => String, {
    nullable: true,
    description: "Reports saved by this user; the empty string selects nobody's (examples, open mode's).",
  })
  owner?: string | null;
  @Field(() => String, { nullable: true, description: 'The report of this exact name.' }) name?:
    string | null;
  @Field(() => Boolean, { nullable: true, description: 'Only the shipped examples (true) or none (false).' })
  example?: boolean | null;
}

@ObjectType({
  description:
    'The spread of a measure over attempts: min, mean, max and nearest-rank percentiles (null with no value).',
})
export class Distribution {
  @Field(() => Float, { nullable: true, description: 'The smallest value.' }) min!: number | null;
  @Field(() => Float, { nullable: true, description: 'The median (50th percentile).' }) p50!: number | null;
  @Field(() => Float, { nullable: true, description: 'The 90th percentile.' }) p90!: number | null;
  @Field(() => Float, { nullable: true, description: 'The 95th percentile.' }) p95!: number | null;
  @Field(() => Float, { nullable: true, description: 'The 99th percentile.' }) p99!: number | null;
  @Field(() => Float, { nullable: true, description: 'The largest value.' }) max!: number | null;
  @Field(() => Float, { nullable: true, description: 'The arithmetic mean.' }) mean!: number | null;
}

@ObjectType({
  description: 'Usage of the DONE attempts of one task template (of one tool) across every workflow.',
})
export class TemplateUsage {
  @Field(() => String, { description: 'The tool the template belongs to.' }) tool!: string;
  @Field(() => String, { description: 'The task template name.' }) template!: string;
  @Field(() => Int, { description: 'Workflows with at least one DONE attempt of the template.' })
  workflows!: number;
  @Field(() => Int, { description: 'DONE attempts measured.' }) doneAttempts!: number;
  @Field(() => Distribution, { description: 'Wall-clock runtime of the attempts, in seconds.' })
  runtimeSeconds!: Distribution;
  @Field(() => Distribution, { description: 'Peak memory (max RSS) of the attempts, in MiB.' })
  maxRssMb!: Distribution;
}

@ObjectType({ description: 'How many workflows one user created that are in one status.' })
export class WorkflowCount {
  @Field(() => String, { nullable: true, description: 'Who created them (null: open mode).' })
  user!: string | null;
  @Field(() => WorkflowStatus, { description: 'Their current status.' }) status!: WorkflowStatus;
  @Field(() => Int, { description: 'How many.' }) count!: number;
}
