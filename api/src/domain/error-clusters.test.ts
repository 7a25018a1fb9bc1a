import fs from 'node:fs';
import path from 'node:path';
import {
  clusterTexts,
  ERROR_SIMILARITY_THRESHOLD,
  ErrorClusterer,
  errorText,
  normaliseError,
  tokens,
} from './error-clusters';

interface Labelled {
  label: string;
  errorMessage: string | null;
  stderrTail: string | null;
}

const LABELLED = (
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'labelled-errors.json'), 'utf8')) as {
    messages: Labelled[];
  }
).messages;

/**
 * Purity: the share of messages that are of their cluster's most common label (clusters do not mix errors).
 * Completeness (inverse purity): the share that are in their label's biggest cluster (an error is not split).
 */
function scores(labels: string[], clusters: number[][]): { purity: number; completeness: number } {
  const n = labels.length;
  let pure = 0;
  for (const members of clusters) {
    const counts = new Map<string, number>();
    for (const i of members) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
    pure += Math.max(...counts.values());
  }
  const clusterOf = new Map<number, number>();
  clusters.forEach((members, c) => members.forEach((i) => clusterOf.set(i, c)));
  let complete = 0;
  for (const label of new Set(labels)) {
    const counts = new Map<number, number>();
    labels.forEach((l, i) => {
      if (l === label) counts.set(clusterOf.get(i)!, (counts.get(clusterOf.get(i)!) ?? 0) + 1);
    });
    complete += Math.max(...counts.values());
  }
  return { purity: pure / n, completeness: complete / n };
}

describe('normaliseError', () => {
  it.each([
    ["KeyError: 'location_102'", 'keyerror: <str>'],
    [
      'Slurm job 4412345 ran out of memory (OUT_OF_MEMORY)',
      'slurm job <num> ran out of memory (out_of_memory)',
    ],
    ['cannot open /ihme/scratch/alice/run_12/draws_3.csv', 'cannot open <path>'],
    ['Failing at address: 0x7ffd3a2b10c0', 'failing at address: <hex>'],
    ['commit 3f9a2c1d8e7b ok', 'commit <hex> ok'],
    ['CANCELLED AT 2024-03-14T12:01:02 DUE TO TIME LIMIT', 'cancelled at <ts> due to time limit'],
    ['at 12:01:02.345 on 10.0.3.17:3306', 'at <time> on <ip>'],
    ['run 123e4567-e89b-12d3-a456-426614174000 failed', 'run <uuid> failed'],
    ['see https://sqlalche.me/e/14/e3q8 now', 'see <url> now'],
    [
      'Error in library(INLA) : there is no package called ‘INLA’',
      'error in library(inla) : there is no package called <str>',
    ],
    ['used 4096.5 MiB,   over   the limit', 'used <num> mib, over the limit'],
  ])('%s → %s', (text, expected) => {
    expect(normaliseError(text)).toBe(expected);
  });

  it('makes messages that differ only in numbers, paths, ids and times the same text', () => {
    const a = normaliseError(
      `slurmstepd: error: *** JOB 4412345 ON node-p101 CANCELLED AT 2024-03-14T12:01:02 DUE TO TIME LIMIT ***`,
    );
    const b = normaliseError(
      `slurmstepd: error: *** JOB 99 ON node-p7 CANCELLED AT 2025-11-01T00:00:59 DUE TO TIME LIMIT ***`,
    );
    expect(a).toBe(b);
  });

  it('keeps the words that tell errors apart', () => {
    expect(normaliseError('ZeroDivisionError: division by zero')).not.toBe(
      normaliseError('OverflowError: math range error'),
    );
    expect(tokens(normaliseError("KeyError: 'x' in /a/b/c.py"))).toEqual([
      'keyerror',
      '<str>',
      'in',
      '<path>',
    ]);
  });
});

describe('errorText', () => {
  it('is the message and the last non-empty lines of stderr', () => {
    const tail = ['one', 'two', '', 'three', 'four', 'five', 'six', 'seven', 'eight', ''].join('\n');
    expect(errorText('exit code 1: eight', tail)).toBe(
      'exit code 1: eight\nthree\nfour\nfive\nsix\nseven\neight',
    );
    expect(errorText(null, 'boom\n')).toBe('boom');
    expect(errorText('only', null)).toBe('only');
  });

  it('bounds what it reads of a long tail', () => {
    const text = errorText('m', `${'x'.repeat(100_000)}\nlast line`);
    expect(text.length).toBeLessThan(1000);
    expect(text.endsWith('last line')).toBe(true);
  });
});

describe('clustering the labelled set', () => {
  const texts = LABELLED.map((m) => errorText(m.errorMessage, m.stderrTail));
  const labels = LABELLED.map((m) => m.label);

  it('is a set of at least 150 messages in at least 20 classes', () => {
    expect(LABELLED.length).toBeGreaterThanOrEqual(150);
    expect(new Set(labels).size).toBeGreaterThanOrEqual(20);
  });

  it('keeps purity and completeness above 0.95 at the chosen threshold (and prints the sweep)', () => {
    const sweep = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99].map((threshold) => {
      const clusters = clusterTexts(texts, threshold);
      return { threshold, clusters: clusters.length, ...scores(labels, clusters) };
    });
    const chosen = clusterTexts(texts, ERROR_SIMILARITY_THRESHOLD);
    const result = scores(labels, chosen);
    console.log(
      `labelled set: ${texts.length} messages, ${new Set(labels).size} classes\n` +
        sweep
          .map(
            (row) =>
              `threshold ${row.threshold.toFixed(2)}: ${row.clusters} clusters, purity ${row.purity.toFixed(3)}, completeness ${row.completeness.toFixed(3)}`,
          )
          .join('\n') +
        `\nchosen ${ERROR_SIMILARITY_THRESHOLD}: ${chosen.length} clusters, purity ${result.purity.toFixed(3)}, completeness ${result.completeness.toFixed(3)}`,
    );
    expect(result.purity).toBeGreaterThanOrEqual(0.95);
    expect(result.completeness).toBeGreaterThanOrEqual(0.95);
  });

  it('merges nothing at a threshold above 1 but identical normalised texts', () => {
    const clusters = clusterTexts(texts, 1.01);
    const patterns = new Set(texts.map(normaliseError));
    expect(clusters).toHaveLength(patterns.size);
  });
});

describe('ErrorClusterer', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

  it('counts attempts, distinct tasks, templates, samples and first/last seen per cluster', () => {
    const clusterer = new ErrorClusterer({ sampleSize: 2 });
    const oom = (taskId: number, minute: number, template = 'fit') =>
      clusterer.add({
        errorMessage: `Slurm job ${1000 + minute} ran out of memory (OUT_OF_MEMORY)`,
        stderrTail: null,
        taskId,
        templateName: template,
        at: at(minute),
      });
    oom(1, 5);
    oom(1, 9); // a second attempt of task 1
    oom(2, 3, 'aggregate');
    oom(3, 7);
    clusterer.add({
      errorMessage: 'exit code 1: KeyError: draws',
      stderrTail: 'Traceback (most recent call last):\nKeyError: draws\n',
      taskId: 4,
      templateName: 'fit',
      at: at(1),
    });
    const clusters = clusterer.clusters();
    expect(clusters).toHaveLength(2);
    expect(clusters[0]).toEqual({
      representative: 'Slurm job 1005 ran out of memory (OUT_OF_MEMORY)',
      pattern: 'slurm job <num> ran out of memory (out_of_memory)',
      attempts: 4,
      tasks: 3,
      templateNames: ['aggregate', 'fit'],
      sampleTaskIds: [1, 2],
      firstAt: at(3),
      lastAt: at(9),
    });
    expect(clusters[1]).toMatchObject({ attempts: 1, tasks: 1, sampleTaskIds: [4], firstAt: at(1) });
    expect(clusterer.size).toBe(5);
  });

  it('gives attempts without any text one cluster of their own', () => {
    const clusterer = new ErrorClusterer();
    for (const taskId of [1, 2])
      clusterer.add({ errorMessage: null, stderrTail: null, taskId, templateName: 't', at: at(0) });
    expect(clusterer.clusters()).toEqual([
      expect.objectContaining({ representative: '(no error message)', attempts: 2, tasks: 2 }),
    ]);
  });

  it('bounds the distinct texts it keeps by merging similar ones, with the same clusters at the end', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
    const samples = words.flatMap((word, i) => [
      {
        errorMessage: `exit code 1: ValueError: could not broadcast input array from shape into column ${word}`,
        stderrTail: null,
        taskId: i,
        templateName: 'fit',
        at: at(i),
      },
      {
        errorMessage: `Error in merge(x, y) : object ${word} not found in the location hierarchy table`,
        stderrTail: null,
        taskId: 100 + i,
        templateName: 'agg',
        at: at(30 + i),
      },
    ]);
    const bounded = new ErrorClusterer({ maxGroups: 4 });
    const unbounded = new ErrorClusterer();
    for (const sample of samples) {
      bounded.add(sample);
      unbounded.add(sample);
      expect(bounded.groupCount).toBeLessThanOrEqual(4);
    }
    const summary = (clusterer: ErrorClusterer) =>
      clusterer.clusters().map((c) => [c.attempts, c.tasks, c.templateNames, c.firstAt, c.lastAt]);
    expect(summary(bounded)).toEqual(summary(unbounded));
    expect(summary(bounded)).toEqual([
      [10, 10, ['fit'], at(0), at(9)],
      [10, 10, ['agg'], at(30), at(39)],
    ]);
  });
});
