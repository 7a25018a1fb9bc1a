import { useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PageTitle } from '../components/PageTitle';
import { ErrorMessage, Loading, NotFound } from '../components/QueryState';
import { formatCount, formatDuration, formatNumber } from '../components/format';
import { WorkflowTimelineDocument, type WorkflowTimelineQuery } from '../generated/graphql';
import { AGGREGATE_REFETCH_MS, useLiveRefetch } from '../live/useLiveRefetch';
import { OTHER_COLOUR, STATUS_COLOURS, packLanes } from './lanes';

/** Attempts the page asks for (the API's cap for one page). */
export const TIMELINE_CAP = 100_000;
const WIDTH = 1000;
const GANTT_HEIGHT = 420;
const CONCURRENCY_HEIGHT = 140;

type TimelineData = NonNullable<WorkflowTimelineQuery['workflow']>['timeline'];

/**
 * `/workflows/:id/timeline`: the attempts over time (Gantt, packed lanes) and how many ran at once. Live:
 * a task of the workflow changing status reads the timeline again (at most every AGGREGATE_REFETCH_MS),
 * the zoom and pan kept.
 */
export function TimelinePage() {
  const { id = '' } = useParams();
  // Not through the normalised cache: arrays of 100,000 numbers are read by this page alone.
  const { data, previousData, loading, error, refetch } = useQuery(WorkflowTimelineDocument, {
    variables: { id, limit: TIMELINE_CAP },
    fetchPolicy: 'no-cache',
  });
  const shown = data ?? previousData;
  useLiveRefetch({
    page: `timeline:${id}`,
    workflowId: shown?.workflow?.id,
    taskId: null,
    since: shown?.workflow?.lastEventId,
    refetch,
    intervalMs: AGGREGATE_REFETCH_MS,
  });
  const title = <PageTitle>{`Timeline · workflow ${id}`}</PageTitle>;
  if (error && !shown) return <ErrorMessage error={error} what={`the timeline of workflow ${id}`} />;
  if (!shown) return <Loading what={`the timeline of workflow ${id}`} />;
  const workflow = shown.workflow;
  if (!workflow) return <NotFound what="Workflow" id={id} />;
  return (
    <article className="timeline-page" data-workflow-id={workflow.id} aria-busy={loading}>
      {title}
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Workflows</Link> / <Link to={`/workflows/${workflow.id}`}>workflow {workflow.id}</Link> /{' '}
        <span>timeline</span>
      </nav>
      <h1>Timeline</h1>
      {error ? <ErrorMessage error={error} what="the latest timeline" /> : null}
      {/* Keyed by workflow: another workflow starts from its whole extent, not this one's zoom. */}
      <Timeline key={workflow.id} timeline={workflow.timeline} />
    </article>
  );
}

export function Timeline({ timeline }: { timeline: TimelineData }) {
  const layout = useMemo(() => {
    const ends = timeline.finishedMs;
    let max = 0;
    let min = Infinity;
    for (let i = 0; i < timeline.startedMs.length; i++) {
      const start = timeline.startedMs[i];
      if (start === null || start === undefined) continue;
      min = Math.min(min, start);
      max = Math.max(max, ends[i] ?? start);
    }
    for (const at of timeline.concurrency.atMs) {
      min = Math.min(min, at);
      max = Math.max(max, at);
    }
    if (!Number.isFinite(min)) min = 0;
    // Attempts still running end "now" on the chart.
    const openEnd = Math.max(max, Date.now() - (timeline.origin ? Date.parse(timeline.origin) : 0));
    const { lane, lanes } = packLanes(timeline.startedMs, ends, openEnd);
    return { lane, lanes, min, max: Math.max(openEnd, min + 1), openEnd };
  }, [timeline]);
  // The user's zoom or pan, kept when the timeline is read again; null: the whole extent, which grows
  // with the attempts a refetch brings.
  const [zoomed, setView] = useState<{ from: number; to: number } | null>(null);
  const view = useMemo(() => zoomed ?? { from: layout.min, to: layout.max }, [zoomed, layout]);
  const gantt = useRef<HTMLCanvasElement>(null);
  const concurrency = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; from: number; to: number } | null>(null);

  useEffect(() => {
    const canvas = gantt.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const drawn = drawGantt(context, timeline, layout.lane, layout.lanes, layout.openEnd, view);
    canvas.dataset.drawn = String(drawn);
  }, [timeline, layout, view]);

  useEffect(() => {
    const canvas = concurrency.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    drawConcurrency(context, timeline.concurrency.atMs, timeline.concurrency.running, view, layout.max);
    canvas.dataset.drawn = String(timeline.concurrency.atMs.length);
  }, [timeline, layout, view]);

  const span = view.to - view.from;
  const origin = timeline.origin ? Date.parse(timeline.origin) : 0;
  const zoom = (factor: number, centre = 0.5) => {
    const width = Math.max(1, span * factor);
    const at = view.from + span * centre;
    setView({ from: at - width * centre, to: at - width * centre + width });
  };
  const onWheel = (event: WheelEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const centre = box.width ? (event.clientX - box.left) / box.width : 0.5;
    zoom(event.deltaY < 0 ? 0.8 : 1.25, Math.min(1, Math.max(0, centre)));
  };
  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: event.clientX, from: view.from, to: view.to };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const start = drag.current;
    if (!start) return;
    const box = event.currentTarget.getBoundingClientRect();
    const shift = ((event.clientX - start.x) / (box.width || WIDTH)) * (start.to - start.from);
    setView({ from: start.from - shift, to: start.to - shift });
  };
  const onPointerUp = () => (drag.current = null);
  const retries = timeline.attempts.filter((attempt) => attempt > 1).length;
  const peak = timeline.concurrency.running.reduce((a, b) => Math.max(a, b), 0);
  const shown = new Set(timeline.statusCodes.map((code) => timeline.statusNames[code] ?? '?'));

  return (
    <section className="timeline" aria-label="Attempts over time">
      <p className="muted">
        {formatCount(timeline.instanceIds.length, 'attempt')} ({formatCount(retries, 'retry', 'retries')},
        outlined in black) in {formatCount(layout.lanes, 'lane')} · at most {formatNumber(peak)} running at
        once · {timeline.hasMore ? `only the first ${formatNumber(TIMELINE_CAP)} attempts are drawn · ` : ''}
        scroll to zoom, drag to pan.
      </p>
      <div className="timeline-controls" role="toolbar" aria-label="Zoom">
        <button type="button" onClick={() => zoom(0.5)}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(2)}>
          Zoom out
        </button>
        <button type="button" onClick={() => setView(null)}>
          Reset
        </button>
        <span className="muted" data-testid="timeline-view">
          {clock(origin + view.from)} – {clock(origin + view.to)} (
          {formatDuration((view.to - view.from) / 1000)})
        </span>
      </div>
      <ul
        className="timeline-legend"
        aria-label="Colours"
        style={{ listStyle: 'none', display: 'flex', gap: '1em', padding: 0 }}
      >
        {[...shown].map((status) => (
          <li key={status}>
            <span
              className="swatch"
              style={{
                display: 'inline-block',
                width: '0.8em',
                height: '0.8em',
                background: STATUS_COLOURS[status] ?? OTHER_COLOUR,
              }}
            />{' '}
            {status}
          </li>
        ))}
      </ul>
      <canvas
        ref={gantt}
        data-chart="gantt"
        data-attempts={timeline.instanceIds.length}
        data-lanes={layout.lanes}
        data-view-from={Math.round(view.from)}
        data-view-to={Math.round(view.to)}
        width={WIDTH}
        height={GANTT_HEIGHT}
        role="img"
        aria-label={`Gantt chart of ${formatCount(timeline.instanceIds.length, 'attempt')}`}
        style={{ width: '100%', maxWidth: WIDTH, touchAction: 'none', cursor: 'grab' }}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      />
      <h2>Running over time</h2>
      <canvas
        ref={concurrency}
        data-chart="concurrency"
        data-points={timeline.concurrency.atMs.length}
        data-peak={peak}
        width={WIDTH}
        height={CONCURRENCY_HEIGHT}
        role="img"
        aria-label={`Attempts running over time, at most ${peak}`}
        style={{ width: '100%', maxWidth: WIDTH, touchAction: 'none' }}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
      />
    </section>
  );
}

/** `2026-11-26 10:02:03` (UTC) of epoch ms. */
const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** Draws the attempts in view, one fillRect each, batched by colour; returns how many were drawn. */
function drawGantt(
  context: CanvasRenderingContext2D,
  timeline: TimelineData,
  lane: Int32Array,
  lanes: number,
  openEnd: number,
  view: { from: number; to: number },
): number {
  const { width, height } = context.canvas;
  context.clearRect(0, 0, width, height);
  const scale = width / Math.max(1, view.to - view.from);
  const rowHeight = height / Math.max(1, lanes);
  const barHeight = Math.max(1, rowHeight > 3 ? rowHeight - 1 : rowHeight);
  const byColour = new Map<string, number[]>();
  const retried: number[] = [];
  let drawn = 0;
  for (let i = 0; i < lane.length; i++) {
    const l = lane[i]!;
    if (l < 0) continue;
    const start = timeline.startedMs[i]!;
    const end = timeline.finishedMs[i] ?? openEnd;
    if (end < view.from || start > view.to) continue;
    const colour = STATUS_COLOURS[timeline.statusNames[timeline.statusCodes[i]!] ?? ''] ?? OTHER_COLOUR;
    let list = byColour.get(colour);
    if (!list) byColour.set(colour, (list = []));
    list.push(i);
    if (timeline.attempts[i]! > 1) retried.push(i);
    drawn++;
  }
  const rect = (i: number) => {
    const start = timeline.startedMs[i]!;
    const end = timeline.finishedMs[i] ?? openEnd;
    const x = (start - view.from) * scale;
    return [x, lane[i]! * rowHeight, Math.max(1, (end - start) * scale), barHeight] as const;
  };
  for (const [colour, list] of byColour) {
    context.fillStyle = colour;
    for (const i of list) context.fillRect(...rect(i));
  }
  if (rowHeight >= 3) {
    context.strokeStyle = '#000';
    context.lineWidth = 1;
    for (const i of retried) context.strokeRect(...rect(i));
  }
  return drawn;
}

/** Draws the number running as a step line over the view. */
function drawConcurrency(
  context: CanvasRenderingContext2D,
  at: readonly number[],
  running: readonly number[],
  view: { from: number; to: number },
  end: number,
): void {
  const { width, height } = context.canvas;
  context.clearRect(0, 0, width, height);
  if (!at.length) return;
  const peak = Math.max(1, ...running);
  const scale = width / Math.max(1, view.to - view.from);
  const y = (value: number) => height - 2 - (value / peak) * (height - 14);
  context.fillStyle = '#555';
  context.font = '11px sans-serif';
  context.fillText(`${peak} running`, 4, 11);
  context.strokeStyle = '#1565c0';
  context.lineWidth = 1.5;
  context.beginPath();
  context.moveTo((at[0]! - view.from) * scale, y(0));
  for (let i = 0; i < at.length; i++) {
    const x = (at[i]! - view.from) * scale;
    context.lineTo(x, y(i ? running[i - 1]! : 0));
    context.lineTo(x, y(running[i]!));
  }
  context.lineTo((Math.max(end, at[at.length - 1]!) - view.from) * scale, y(running[running.length - 1]!));
  context.stroke();
}
