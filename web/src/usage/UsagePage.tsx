import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import * as Plot from '@observablehq/plot';
import { Link, useParams } from 'react-router-dom';
import { PageTitle } from '../components/PageTitle';
import { ErrorMessage, Loading, NotFound } from '../components/QueryState';
import { formatCount, formatNumber } from '../components/format';
import {
  TemplateSuggestionDocument,
  WorkflowUsageDocument,
  type WorkflowUsageQuery,
} from '../generated/graphql';
import { AGGREGATE_REFETCH_MS, useLiveRefetch } from '../live/useLiveRefetch';
import { PlotFigure } from './PlotFigure';
import { medianWaste, pairs, percentileOf } from './usageFigures';

/** Points per template the page asks for (the latest DONE attempts; the API says when there were more). */
export const POINTS_PER_TEMPLATE = 2000;

type TemplateUsage = NonNullable<WorkflowUsageQuery['workflow']>['resourceUsage'][number];

const fmt = (value: number | null, unit: string) =>
  value === null ? '—' : `${formatNumber(Math.round(value))} ${unit}`;
const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

/**
 * `/workflows/:id/usage`: per template, used vs requested memory and runtime of DONE attempts. Live: a
 * task of the workflow changing status reads the usage again (at most every AGGREGATE_REFETCH_MS).
 */
export function UsagePage() {
  const { id = '' } = useParams();
  const { data, previousData, loading, error, refetch } = useQuery(WorkflowUsageDocument, {
    variables: { id, maxPointsPerTemplate: POINTS_PER_TEMPLATE },
  });
  const shown = data ?? previousData;
  useLiveRefetch({
    page: `usage:${id}`,
    workflowId: shown?.workflow?.id,
    taskId: null,
    since: shown?.workflow?.lastEventId,
    refetch,
    intervalMs: AGGREGATE_REFETCH_MS,
  });
  const title = <PageTitle>{`Usage · workflow ${id}`}</PageTitle>;
  if (error && !shown) return <ErrorMessage error={error} what={`the usage of workflow ${id}`} />;
  if (!shown) return <Loading what={`the usage of workflow ${id}`} />;
  const workflow = shown.workflow;
  if (!workflow) return <NotFound what="Workflow" id={id} />;
  return (
    <article className="usage-page" data-workflow-id={workflow.id} aria-busy={loading}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> / <Link to={`/workflows/${workflow.id}`}>workflow {workflow.id}</Link> /{' '}
        <span>usage</span>
      </nav>
      <h1>Resource usage</h1>
      <p className="muted">
        DONE attempts per template: what they used against what they requested. At most{' '}
        {formatNumber(POINTS_PER_TEMPLATE)} attempts per template are drawn (the latest). Attempts whose max
        RSS was never measured are left out of memory figures, never counted as 0.
      </p>
      {error ? <ErrorMessage error={error} what="the latest usage" /> : null}
      {workflow.resourceUsage.map((template) => (
        <TemplateUsageSection key={template.id} tool={workflow.tool.name} template={template} />
      ))}
    </article>
  );
}

function TemplateUsageSection({ tool, template }: { tool: string; template: TemplateUsage }) {
  const memory = pairs(template.maxRssMb, template.requestedMemoryMb);
  const runtime = pairs(template.runtimeSeconds, template.requestedRuntimeSeconds);
  const rows = [
    {
      measure: 'Memory (MiB)',
      requested: percentileOf(template.requestedMemoryMb, 50),
      p50: percentileOf(template.maxRssMb, 50),
      p95: percentileOf(template.maxRssMb, 95),
      max: percentileOf(template.maxRssMb, 100),
      waste: medianWaste(template.maxRssMb, template.requestedMemoryMb),
      unit: 'MiB',
    },
    {
      measure: 'Runtime (s)',
      requested: percentileOf(template.requestedRuntimeSeconds, 50),
      p50: percentileOf(template.runtimeSeconds, 50),
      p95: percentileOf(template.runtimeSeconds, 95),
      max: percentileOf(template.runtimeSeconds, 100),
      waste: medianWaste(template.runtimeSeconds, template.requestedRuntimeSeconds),
      unit: 's',
    },
  ];
  const distribution = [
    ...template.maxRssMb.flatMap((v) => (v === null ? [] : [{ measure: 'max RSS (MiB)', value: v }])),
    ...template.runtimeSeconds.flatMap((v) => (v === null ? [] : [{ measure: 'runtime (s)', value: v }])),
  ];
  return (
    <section
      className="usage-template"
      data-template={template.name}
      aria-labelledby={`usage-${template.id}`}
    >
      <h2 id={`usage-${template.id}`}>
        {template.name}{' '}
        <span className="muted">
          {formatCount(template.doneAttempts, 'DONE attempt')}
          {template.capped ? ` (latest ${formatNumber(template.instanceIds.length)} drawn)` : ''}
        </span>
      </h2>
      {template.doneAttempts === 0 ? (
        <p className="muted">No DONE attempt yet.</p>
      ) : (
        <>
          <table className="usage-summary">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Requested (median)</th>
                <th scope="col">Used p50</th>
                <th scope="col">Used p95</th>
                <th scope="col">Used max</th>
                <th scope="col">Unused at the median</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.measure} data-measure={row.unit}>
                  <th scope="row">{row.measure}</th>
                  <td>{fmt(row.requested, row.unit)}</td>
                  <td>{fmt(row.p50, row.unit)}</td>
                  <td>{fmt(row.p95, row.unit)}</td>
                  <td>{fmt(row.max, row.unit)}</td>
                  <td>{pct(row.waste)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Suggestion tool={tool} name={template.name} doneAttempts={template.doneAttempts} />
          <div className="usage-charts">
            <PlotFigure
              kind="usage-scatter"
              label={`${template.name}: memory used against requested`}
              points={memory.length}
              make={() => scatter(memory, 'requested memory (MiB)', 'max RSS (MiB)')}
            />
            <PlotFigure
              kind="usage-scatter"
              label={`${template.name}: runtime used against requested`}
              points={runtime.length}
              make={() => scatter(runtime, 'requested runtime (s)', 'runtime (s)')}
            />
            <PlotFigure
              kind="usage-distribution"
              label={`${template.name}: distribution of max RSS and runtime`}
              points={distribution.length}
              make={() => ({
                width: 420,
                height: 200,
                marginLeft: 100,
                x: { label: 'value', grid: true },
                y: { label: null },
                marks: [Plot.boxX(distribution, { x: 'value', y: 'measure' })],
              })}
            />
          </div>
        </>
      )}
    </section>
  );
}

/** Used (y) against requested (x), with the diagonal y = x: everything far below it is waste. */
function scatter(
  points: { used: number; requested: number }[],
  xLabel: string,
  yLabel: string,
): Plot.PlotOptions {
  const top = Math.max(1, ...points.map((p) => Math.max(p.used, p.requested)));
  return {
    width: 320,
    height: 260,
    grid: true,
    x: { label: xLabel, domain: [0, top] },
    y: { label: yLabel, domain: [0, top] },
    marks: [
      Plot.line(
        [
          [0, 0],
          [top, top],
        ],
        { stroke: '#999', strokeDasharray: '4 4' },
      ),
      Plot.dot(points, { x: 'requested', y: 'used', r: 2.5, fill: 'steelblue', fillOpacity: 0.5 }),
    ],
  };
}

/** Suggested resources across the tool's workflows (p95 × headroom, rounded: see docs/web.md). */
function Suggestion({ tool, name, doneAttempts }: { tool: string; name: string; doneAttempts: number }) {
  const { data, refetch } = useQuery(TemplateSuggestionDocument, {
    variables: { tool, name, percentile: 95 },
  });
  // More DONE attempts (the live page read them) move the percentiles: read the suggestion again.
  const seen = useRef(doneAttempts);
  useEffect(() => {
    if (seen.current === doneAttempts) return;
    seen.current = doneAttempts;
    // A failure leaves the suggestion read before (the page's own query reports errors).
    refetch().catch(() => undefined);
  }, [doneAttempts, refetch]);
  const suggestion = data?.taskTemplate?.resourceSuggestion;
  if (!suggestion) return null;
  return (
    <p className="usage-suggestion" data-suggested-memory-mb={suggestion.memoryMb ?? ''}>
      Suggested from {formatCount(suggestion.basedOnAttempts, 'attempt')} across the workflows of {tool} (p
      {suggestion.percentile} × {suggestion.headroom}, rounded up): memory{' '}
      <strong>{suggestion.memoryMb === null ? '—' : `${formatNumber(suggestion.memoryMb)} MiB`}</strong>,
      runtime{' '}
      <strong>
        {suggestion.runtimeSeconds === null ? '—' : `${formatNumber(suggestion.runtimeSeconds / 60)} min`}
      </strong>
      .{' '}
      <code>
        jobmon resources {name} --tool {tool} --yaml
      </code>
    </p>
  );
}
