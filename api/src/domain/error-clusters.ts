/**
 * Error clusters (Workflow.errorClusters): failed attempts grouped by what went wrong. Pure: no I/O.
 *
 * 1. Each attempt's text (its error message and the last lines of its stderr tail) is normalised: numbers,
 *    paths, ids, hex, timestamps, addresses and quoted values become placeholders, so messages differing only
 *    in them become the same text. Identical normalised texts form one group (a Map: 100k attempts of a few
 *    dozen kinds of failure are a few dozen groups, whatever their values).
 * 2. Groups are then merged by TF-IDF cosine similarity over their tokens (leader clustering, biggest group
 *    first): texts that share their rare tokens (an exception's name and words) fall together, texts that
 *    only share the common ones (traceback frames of one script, "exit code") stay apart. The threshold
 *    was chosen on a labelled set of realistic messages (fixtures/labelled-errors.json, see its test).
 */

/** How similar (cosine of TF-IDF vectors) a group must be to a cluster's leader to join it. */
export const ERROR_SIMILARITY_THRESHOLD = 0.5;

/** How many of the stderr tail's last non-empty lines take part (the error is at the end of a traceback). */
export const STDERR_LINES = 6;
/** Longest text (characters) normalised per attempt: the message's head and the tail's end. */
const MAX_TEXT = 1500;

// Digit runs become one "0" first: most of what varies between two messages of one error is numbers, so
// the collapsed texts repeat and the placeholder passes below (the costly part) run once per distinct
// collapsed text (memoised). The passes then see "0" for every number, in this order: a url or path takes
// its numbers and dots with it, a uuid goes before a date could take its head.
const DIGITS = /\d+/g;
const PASSES: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>()]+/g, '<url>'],
  // Absolute or relative paths of two or more parts, or of one part with a file extension.
  [
    /(?:\b[a-z]:)?(?:~|\.{1,2})?(?:\/[\w.@+~=-]+){2,}\/?|(?:\b[\w.-]+)?(?:\/[\w.@+~=-]+)+\.[a-z]\w{0,5}\b/g,
    '<path>',
  ],
  // Quoted values: a key, a file name, a value that did not parse ('…', "…", R's ‘…’, `…`).
  [/'[^'\n]{1,120}'|"[^"\n]{1,120}"|‘[^’\n]{1,120}’|“[^”\n]{1,120}”|`[^`\n]{1,120}`/g, '<str>'],
  [/\b[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\b/g, '<uuid>'],
  [/\b0-0-0(?:[t ]0:0(?::0(?:[.,]0)?)?(?:z|\s?[+-]0(?::0)?)?)?/g, '<ts>'],
  [/\b0:0:0(?:[.,]0)?\b/g, '<time>'],
  [/\b0\.0\.0\.0(?::0)?\b/g, '<ip>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*0)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/g, '<hex>'],
  [/[-+]?0(?:[.,]0)*(?:e[-+]?0)?/g, '<num>'],
];

/** Collapsed text → normalised text; dropped whole when full (a bound, not an LRU: it refills at once). */
const memo = new Map<string, string>();
const MEMO_SIZE = 20_000;

/**
 * A text with its variable parts replaced by `<kind>` placeholders and its whitespace collapsed, lower case:
 * `KeyError: 'loc_102' at /data/x.csv line 12` → `keyerror: <str> at <path> line <num>`.
 */
export function normaliseError(text: string): string {
  const collapsed = text.toLowerCase().replace(DIGITS, '0');
  let normalised = memo.get(collapsed);
  if (normalised === undefined) {
    normalised = collapsed;
    for (const [pattern, placeholder] of PASSES) normalised = normalised.replace(pattern, placeholder);
    normalised = normalised.replace(/\s+/g, ' ').trim();
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(collapsed, normalised);
  }
  return normalised;
}

/**
 * The text an attempt is clustered by: its error message, then the last lines of its stderr tail that the
 * message does not already end with (the worker puts stderr's last line into the message).
 */
export function errorText(errorMessage: string | null, stderrTail: string | null): string {
  const message = (errorMessage ?? '').slice(0, MAX_TEXT / 2);
  if (!stderrTail) return message;
  const tail = stderrTail.length > 8 * MAX_TEXT ? stderrTail.slice(-8 * MAX_TEXT) : stderrTail;
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-STDERR_LINES);
  let text = lines.join('\n');
  if (text.length > MAX_TEXT / 2) text = text.slice(-MAX_TEXT / 2);
  return message ? `${message}\n${text}` : text;
}

const TOKEN = /<[a-z]+>|[\p{L}_][\p{L}\p{N}_]*/gu;

/** The words of a normalised text (placeholders count as words: `<path>` at the same place is shared). */
export function tokens(normalised: string): string[] {
  return normalised.match(TOKEN) ?? [];
}

/** One failed attempt, as the clustering needs it. */
export interface ErrorSample {
  /** Its error message (null: none recorded). */
  errorMessage: string | null;
  /** The end of its stderr (null: none). */
  stderrTail: string | null;
  taskId: number;
  templateName: string;
  /** When it failed (finished, else last changed). */
  at: Date;
}

export interface ErrorClusterSummary {
  /** An actual message of the cluster's biggest group (not the normalised text: readers see real values). */
  representative: string;
  /** Its normalised text. */
  pattern: string;
  attempts: number;
  tasks: number;
  templateNames: string[];
  /** Up to `sampleSize` task ids, in the order their attempts were added. */
  sampleTaskIds: number[];
  firstAt: Date;
  lastAt: Date;
}

interface Group {
  pattern: string;
  representative: string;
  attempts: number;
  tasks: Set<number>;
  templateNames: Set<string>;
  samples: number[];
  firstAt: Date;
  lastAt: Date;
}

export interface ErrorClustererOptions {
  threshold?: number;
  /** How many task ids each cluster keeps as samples. */
  sampleSize?: number;
  /**
   * Distinct normalised texts kept before similar ones are merged into one group (default 10,000): what
   * bounds memory when texts vary in more than numbers, paths and ids.
   */
  maxGroups?: number;
}

/**
 * Collects attempts one at a time (memory grows with the number of distinct normalised texts, not with the
 * number of attempts, but for each group's set of task ids) and clusters them at the end.
 */
export class ErrorClusterer {
  private readonly groups = new Map<string, Group>();
  private readonly threshold: number;
  private readonly sampleSize: number;
  private maxGroups: number;
  private count = 0;

  constructor(options: ErrorClustererOptions = {}) {
    this.threshold = options.threshold ?? ERROR_SIMILARITY_THRESHOLD;
    this.sampleSize = options.sampleSize ?? 5;
    this.maxGroups = options.maxGroups ?? 10_000;
  }

  /** Distinct groups held now (at most about maxGroups). */
  get groupCount(): number {
    return this.groups.size;
  }

  /** Attempts added so far. */
  get size(): number {
    return this.count;
  }

  add(sample: ErrorSample): void {
    this.count++;
    const text = errorText(sample.errorMessage, sample.stderrTail);
    const pattern = normaliseError(text);
    let group = this.groups.get(pattern);
    if (!group) {
      group = {
        pattern,
        representative: text || '(no error message)',
        attempts: 0,
        tasks: new Set(),
        templateNames: new Set(),
        samples: [],
        firstAt: sample.at,
        lastAt: sample.at,
      };
      if (this.groups.size >= this.maxGroups) this.compact();
      this.groups.set(pattern, group);
    }
    group.attempts++;
    if (!group.tasks.has(sample.taskId)) {
      group.tasks.add(sample.taskId);
      if (group.samples.length < this.sampleSize) group.samples.push(sample.taskId);
    }
    group.templateNames.add(sample.templateName);
    if (sample.at < group.firstAt) group.firstAt = sample.at;
    if (sample.at > group.lastAt) group.lastAt = sample.at;
  }

  /** The clusters, most attempts first (ties: the earliest first). */
  clusters(): ErrorClusterSummary[] {
    return this.merged()
      .map((group) => ({
        representative: group.representative,
        pattern: group.pattern,
        attempts: group.attempts,
        tasks: group.tasks.size,
        templateNames: [...group.templateNames].sort(),
        sampleTaskIds: group.samples,
        firstAt: group.firstAt,
        lastAt: group.lastAt,
      }))
      .sort((a, b) => b.attempts - a.attempts || a.firstAt.getTime() - b.firstAt.getTime());
  }

  /**
   * Too many distinct texts: the similar ones become one group under their leader's text (the clusters
   * at the end are the same but for the order of merging). When they are too unlike to merge, the bound
   * grows rather than mixing errors.
   */
  private compact(): void {
    const merged = this.merged();
    this.groups.clear();
    for (const group of merged) this.groups.set(group.pattern, group);
    if (this.groups.size > this.maxGroups / 2) this.maxGroups *= 2;
  }

  /** Groups merged by similarity (leader clustering, biggest group first), each as one group. */
  private merged(): Group[] {
    const groups = [...this.groups.values()].sort(
      (a, b) => b.attempts - a.attempts || a.firstAt.getTime() - b.firstAt.getTime(),
    );
    const members = clusterVectors(
      groups.map((group) => tokens(group.pattern)),
      this.threshold,
    );
    return members.map((indexes) => this.merge(indexes.map((i) => groups[i]!)));
  }

  private merge(groups: Group[]): Group {
    const leader = groups[0]!;
    if (groups.length === 1) return leader;
    const merged: Group = {
      ...leader,
      attempts: 0,
      tasks: new Set(),
      templateNames: new Set(),
      samples: [],
    };
    for (const group of groups) {
      merged.attempts += group.attempts;
      for (const id of group.tasks) merged.tasks.add(id);
      for (const name of group.templateNames) merged.templateNames.add(name);
      for (const id of group.samples)
        if (merged.samples.length < this.sampleSize && !merged.samples.includes(id)) merged.samples.push(id);
      if (group.firstAt < merged.firstAt) merged.firstAt = group.firstAt;
      if (group.lastAt > merged.lastAt) merged.lastAt = group.lastAt;
    }
    return merged;
  }
}

/** Clusters raw texts (each one attempt): the labelled-set test and the benchmark use it. */
export function clusterTexts(texts: readonly string[], threshold = ERROR_SIMILARITY_THRESHOLD): number[][] {
  const byPattern = new Map<string, number[]>();
  texts.forEach((text, i) => {
    const pattern = normaliseError(text);
    const same = byPattern.get(pattern);
    if (same) same.push(i);
    else byPattern.set(pattern, [i]);
  });
  const patterns = [...byPattern.entries()].sort((a, b) => b[1].length - a[1].length);
  return clusterVectors(
    patterns.map(([pattern]) => tokens(pattern)),
    threshold,
  ).map((indexes) => indexes.flatMap((i) => patterns[i]![1]));
}

type Vector = Map<number, number>;

/**
 * Leader clustering of token lists (in priority order) by the cosine of their TF-IDF vectors: each list
 * joins the most similar leader at or above `threshold`, else leads a cluster of its own. Candidate leaders
 * come from an inverted index (token → leaders), so unrelated clusters cost nothing. Returns the indexes
 * of each cluster's members, its leader first.
 */
export function clusterVectors(documents: readonly string[][], threshold: number): number[][] {
  const vocabulary = new Map<string, number>();
  const termCounts = documents.map((words) => {
    const counts = new Map<number, number>();
    for (const word of words) {
      let id = vocabulary.get(word);
      if (id === undefined) vocabulary.set(word, (id = vocabulary.size));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  });
  const documentFrequency = new Float64Array(vocabulary.size);
  for (const counts of termCounts) for (const id of counts.keys()) documentFrequency[id]!++;
  const n = documents.length;
  // Smoothed IDF (as scikit-learn's): a token in every document still weighs a little.
  const idf = Array.from(documentFrequency, (df) => Math.log((1 + n) / (1 + df)) + 1);
  const vectors: Vector[] = termCounts.map((counts) => {
    const vector: Vector = new Map();
    let norm = 0;
    for (const [id, count] of counts) {
      // Sub-linear term frequency: a frame repeated ten times does not outweigh the exception's name.
      const weight = (1 + Math.log(count)) * idf[id]!;
      vector.set(id, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [id, weight] of vector) vector.set(id, weight / norm);
    return vector;
  });

  const clusters: number[][] = [];
  const leaders: Vector[] = [];
  const leadersByToken = new Map<number, number[]>();
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const vector = vectors[i]!;
    const touched: number[] = [];
    for (const [id, weight] of vector) {
      for (const cluster of leadersByToken.get(id) ?? []) {
        if (scores[cluster] === 0) touched.push(cluster);
        scores[cluster]! += weight * leaders[cluster]!.get(id)!;
      }
    }
    let best = -1;
    let bestScore = threshold - 1e-9;
    for (const cluster of touched) {
      if (scores[cluster]! > bestScore) [best, bestScore] = [cluster, scores[cluster]!];
      scores[cluster] = 0;
    }
    if (best >= 0) {
      clusters[best]!.push(i);
      continue;
    }
    const cluster = clusters.length;
    clusters.push([i]);
    leaders.push(vector);
    for (const id of vector.keys()) {
      let list = leadersByToken.get(id);
      if (!list) leadersByToken.set(id, (list = []));
      list.push(cluster);
    }
  }
  return clusters;
}
