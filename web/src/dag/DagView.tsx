import { useCallback, useContext, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
  type NodeMouseHandler,
} from '@xyflow/react';
// With the DAG's code (the workflow page's chunk): the list page loads neither.
import '@xyflow/react/dist/style.css';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { WorkflowDagDocument, type TaskStatus } from '../generated/graphql';
import { ErrorMessage, Loading } from '../components/QueryState';
import { StatusLegend } from '../status/StatusLegend';
import { STATUS_GROUPS, TASK_STATUS_GROUP, type StatusCount } from '../status/statusStyle';
import { formatCount } from '../components/format';
import { DagLayoutContext } from './DagLayoutContext';
import { NODE_TYPES, ToggleTemplateContext } from './DagNodes';
import {
  buildFlowEdges,
  buildFlowNodes,
  patchTaskStatuses,
  patchTemplateCounts,
  toLayoutInput,
  type Dag,
  type DagFlowNode,
} from './dagModel';
import { useTaskStatusStream, type TaskStatusChange } from './useTaskStatusStream';

/** Above this many tasks the server collapses the DAG by template (each template can be expanded). */
export const COLLAPSE_ABOVE = 300;
/** Above this many nodes only the visible ones are rendered. */
const LARGE_GRAPH = 500;
/** How often a large graph takes status changes (each update walks all its nodes and edges). */
const LARGE_GRAPH_UPDATE_MS = 250;
/** The minimap draws every node on each change: above this it costs more than a frame. */
const MINIMAP_MAX_NODES = 2000;

export interface DagViewProps {
  workflowId: string;
  /** Live task counts per template name (from the workflow's taskTemplates). */
  templateCounts: ReadonlyMap<string, readonly StatusCount[]>;
}

interface Drawing {
  dag: Dag;
  nodes: DagFlowNode[];
  edges: Edge[];
  layout: string;
  /** Increases with each new layout: React Flow is remounted, and fits the view, per layout. */
  version: number;
  /** The graph's bounds, for the first view. */
  bounds: Bounds;
}

let drawingVersion = 0;

export function DagView({ workflowId, templateCounts }: DagViewProps) {
  const layout = useContext(DagLayoutContext);
  if (!layout) throw new Error('DagView needs a DagLayoutContext provider');
  const navigate = useNavigate();
  // Expanded templates live in the URL (?expand=fit&expand=…): a view can be shared and reloaded.
  const [params, setParams] = useSearchParams();
  const expandParam = params.getAll('expand').join('\u0000');
  const expanded = useMemo(() => (expandParam ? expandParam.split('\u0000') : []), [expandParam]);
  // The DAG is fetched outside the normalised cache: thousands of nodes are drawn, not shared.
  const { data, error, loading } = useQuery(WorkflowDagDocument, {
    variables: { id: workflowId, collapseAbove: COLLAPSE_ABOVE, expand: [...expanded] },
    fetchPolicy: 'no-cache',
  });
  const dag = data?.workflow?.dag;
  // Changes are followed from the first DAG read on (its lastEventId: nothing is missed in between);
  // each DAG read later (another expansion) shows every change up to its own lastEventId.
  const [since, setSince] = useState<string>();
  if (since === undefined && dag) setSince(dag.lastEventId ?? '0');

  // Every status seen live, so that a graph fetched later starts up to date.
  const liveStatuses = useRef(new Map<string, TaskStatusChange>());
  const countsRef = useRef(templateCounts);
  countsRef.current = templateCounts;
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const [layoutError, setLayoutError] = useState<Error | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!dag) return;
    let current = true;
    layout(toLayoutInput(dag)).then(
      (result) => {
        if (!current) return;
        setLayoutError(null);
        const cursor = Number(dag.lastEventId ?? 0);
        const nodes = buildFlowNodes(
          dag,
          result.positions,
          changesAfter(liveStatuses.current, cursor),
          countsRef.current,
        );
        setDrawing({
          dag,
          nodes,
          edges: buildFlowEdges(dag),
          layout: `${result.algorithm} ${Math.round(result.millis)} ms`,
          version: ++drawingVersion,
          bounds: boundsOf(nodes),
        });
      },
      (failure: unknown) => current && setLayoutError(failure as Error),
    );
    return () => {
      current = false;
    };
  }, [dag, layout]);

  useTaskStatusStream(
    workflowId,
    since,
    (changes) => {
      for (const [taskId, change] of changes) liveStatuses.current.set(taskId, change);
      setDrawing(
        (prev) =>
          prev &&
          withNodes(
            prev,
            patchTaskStatuses(prev.nodes, changesAfter(changes, Number(prev.dag.lastEventId ?? 0))),
          ),
      );
    },
    (drawing?.nodes.length ?? 0) > LARGE_GRAPH ? LARGE_GRAPH_UPDATE_MS : 0,
  );
  useEffect(() => {
    setDrawing((prev) => prev && withNodes(prev, patchTemplateCounts(prev.nodes, templateCounts)));
  }, [templateCounts]);

  const toggleTemplate = useCallback(
    (template: string) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          const current = next.getAll('expand');
          next.delete('expand');
          const wanted = current.includes(template)
            ? current.filter((t) => t !== template)
            : [...current, template];
          for (const t of wanted) next.append('expand', t);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const onNodeClick: NodeMouseHandler<DagFlowNode> = useCallback(
    (event, node) => {
      // Links and buttons inside the node handle their own clicks.
      if ((event.target as HTMLElement).closest('a, button')) return;
      if (node.type === 'task') void navigate(`/tasks/${node.data.taskId}`);
    },
    [navigate],
  );
  // Nodes are tab stops (React Flow's nodesFocusable; it pans to a focused node that is off screen):
  // Enter opens a task, or expands a collapsed template.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== 'Enter') return;
      const target = event.target as HTMLElement;
      if (!target.classList.contains('react-flow__node')) return;
      const node = drawing?.nodes.find((n) => n.id === target.dataset.id);
      if (!node) return;
      event.preventDefault();
      if (node.type === 'task') void navigate(`/tasks/${node.data.taskId}`);
      else toggleTemplate(node.data.template);
    },
    [drawing, navigate, toggleTemplate],
  );

  if (error) return <ErrorMessage error={error} what="the DAG" />;
  if (layoutError) return <ErrorMessage error={layoutError} what="the DAG layout" />;
  if (!drawing) return <Loading what="the DAG" />;
  if (drawing.nodes.length === 0) return <p className="empty">This workflow has no tasks.</p>;

  const collapsedTemplates = drawing.dag.nodes.filter((n) => n.collapsed).length;
  return (
    <section className="dag" aria-label="Task graph">
      <div className="dag-toolbar">
        <StatusLegend />
        <span className="muted" data-layout={drawing.layout}>
          {formatCount(drawing.nodes.length, 'node')}
          {drawing.dag.collapsed ? `, ${formatCount(collapsedTemplates, 'template')} collapsed` : ''}
          {loading ? ' · updating…' : ''}
        </span>
        {expanded.map((template) => (
          <button key={template} type="button" onClick={() => toggleTemplate(template)}>
            Collapse {template}
          </button>
        ))}
      </div>
      <div className="dag-canvas" data-testid="dag-canvas" data-node-count={drawing.nodes.length}>
        {/* One provider for the flow and its minimap: the minimap sits beside the flow, never over a node. */}
        <ReactFlowProvider key={drawing.version}>
          <div className="dag-flow" ref={canvasRef}>
            <ToggleTemplateContext.Provider value={toggleTemplate}>
              <ReactFlow<DagFlowNode>
                nodes={drawing.nodes}
                edges={drawing.edges}
                nodeTypes={NODE_TYPES}
                onNodeClick={onNodeClick}
                onKeyDown={onKeyDown}
                ariaLabelConfig={ARIA_LABELS}
                nodesDraggable={false}
                nodesConnectable={false}
                nodesFocusable
                edgesFocusable={false}
                elementsSelectable={false}
                onlyRenderVisibleElements={drawing.nodes.length > LARGE_GRAPH}
                minZoom={0.02}
                maxZoom={2}
                onInit={(instance) => {
                  const canvas = canvasRef.current;
                  const viewport =
                    canvas && initialViewport(drawing.bounds, canvas.clientWidth, canvas.clientHeight);
                  if (viewport) void instance.setViewport(viewport);
                  else void instance.fitView({ maxZoom: MAX_FIT_ZOOM });
                }}
                proOptions={{ hideAttribution: true }}
              >
                <Background />
                <Controls showInteractive={false} fitViewOptions={{ maxZoom: MAX_FIT_ZOOM }} />
              </ReactFlow>
            </ToggleTemplateContext.Provider>
          </div>
          {drawing.nodes.length <= MINIMAP_MAX_NODES ? (
            <div className="dag-minimap">
              {/* Outside React Flow's container its CSS variables do not apply: colours given here. */}
              <MiniMap
                position="top-left"
                bgColor="#ffffff"
                maskColor="rgba(215, 221, 226, 0.7)"
                maskStrokeColor="#5f6b76"
                maskStrokeWidth={2}
                pannable
                zoomable
                ariaLabel="DAG overview"
                nodeColor={(node) =>
                  STATUS_GROUPS[TASK_STATUS_GROUP[(node as DagFlowNode).data.status]].color
                }
              />
            </div>
          ) : null}
        </ReactFlowProvider>
      </div>
    </section>
  );
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** The horizontal centre of the top row (the nodes at minY): where a graph too wide to fit opens. */
  topCenterX?: number;
}

function boundsOf(nodes: readonly DagFlowNode[]): Bounds {
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const node of nodes) {
    bounds.minX = Math.min(bounds.minX, node.position.x);
    bounds.minY = Math.min(bounds.minY, node.position.y);
    bounds.maxX = Math.max(bounds.maxX, node.position.x + (node.width ?? 0));
    bounds.maxY = Math.max(bounds.maxY, node.position.y + (node.height ?? 0));
  }
  let topMinX = Infinity;
  let topMaxX = -Infinity;
  for (const node of nodes)
    if (node.position.y === bounds.minY) {
      topMinX = Math.min(topMinX, node.position.x);
      topMaxX = Math.max(topMaxX, node.position.x + (node.width ?? 0));
    }
  return { ...bounds, topCenterX: (topMinX + topMaxX) / 2 };
}

/** React Flow's screen reader texts, for a graph that is read and opened rather than edited. */
const ARIA_LABELS = {
  'node.a11yDescription.default': 'Press Enter to open the task, or to expand a collapsed template.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter to open the task, or to expand a collapsed template.',
  'controls.ariaLabel': 'Zoom controls',
  'minimap.ariaLabel': 'DAG overview',
};

const MAX_FIT_ZOOM = 1.5;
/** The font size of node labels (`.dag-node` in styles.css). */
export const DAG_LABEL_PX = 12;
/** The smallest label size on screen that reads comfortably. */
export const MIN_LABEL_PX = 11;
/** Below this zoom node labels are smaller than MIN_LABEL_PX. */
export const MIN_READABLE_ZOOM = MIN_LABEL_PX / DAG_LABEL_PX;
const VIEW_MARGIN = 24;

/**
 * The first view, its top near the top of the canvas: the whole graph when it fits at a readable zoom
 * (at most MAX_FIT_ZOOM), otherwise as much of its top as fits at the smallest readable zoom, centred
 * on its top row when it is too wide (the fit button and the minimap show the rest). Also keeps the first render of a 10,000-node graph
 * down to the nodes on screen. Null when the canvas has no size yet (React Flow's fitView then).
 */
export function initialViewport(
  bounds: Bounds,
  width: number,
  height: number,
): { x: number; y: number; zoom: number } | null {
  if (width <= 0 || height <= 0) return null;
  const fitZoom = Math.min(
    (width - 2 * VIEW_MARGIN) / Math.max(1, bounds.maxX - bounds.minX),
    (height - 2 * VIEW_MARGIN) / Math.max(1, bounds.maxY - bounds.minY),
  );
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(MIN_READABLE_ZOOM, fitZoom));
  // Wider than the canvas: centred on its top row (the roots), where reading starts.
  const wide = (bounds.maxX - bounds.minX) * zoom > width - 2 * VIEW_MARGIN;
  const centerX =
    wide && bounds.topCenterX !== undefined && Number.isFinite(bounds.topCenterX)
      ? bounds.topCenterX
      : (bounds.minX + bounds.maxX) / 2;
  return {
    x: width / 2 - centerX * zoom,
    y: VIEW_MARGIN - bounds.minY * zoom,
    zoom,
  };
}

/** The statuses set by events after `cursor` (older ones are already in a DAG read at `cursor`). */
function changesAfter(
  changes: ReadonlyMap<string, TaskStatusChange>,
  cursor: number,
): Map<string, TaskStatus> {
  const statuses = new Map<string, TaskStatus>();
  for (const [taskId, change] of changes) if (change.eventId > cursor) statuses.set(taskId, change.status);
  return statuses;
}

function withNodes(drawing: Drawing, nodes: DagFlowNode[]): Drawing {
  return nodes === drawing.nodes ? drawing : { ...drawing, nodes };
}
