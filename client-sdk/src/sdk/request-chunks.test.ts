import { BadUserInputError } from '@jobmon/core';
import { requestChunks } from './client';

// A submission is cut by the server's items per request (a task or an upstream key each), not only by
// tasks: a DAG of few tasks and many edges goes in several requests.

const items = (chunk: readonly { upstream?: readonly string[] }[]) =>
  chunk.reduce((sum, task) => sum + 1 + (task.upstream?.length ?? 0), 0);

/** `side` upper tasks and `lower` tasks below every one of them. */
function fan(side: number, lower: number) {
  const uppers = Array.from({ length: side }, (_, i) => ({ key: `u${i}`, upstream: [] as string[] }));
  const keys = uppers.map((task) => task.key);
  return [...uppers, ...Array.from({ length: lower }, (_, i) => ({ key: `d${i}`, upstream: keys }))];
}

describe('requestChunks', () => {
  it('cuts many edges on few tasks by items, keeping every task once and in order', () => {
    const tasks = fan(40, 20); // 60 tasks, 800 edges
    const chunks = requestChunks(tasks, 1000, 100);
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) expect(items(chunk)).toBeLessThanOrEqual(100);
    expect(chunks.flat().map((task) => task.key)).toEqual(tasks.map((task) => task.key));
  });

  it('still cuts by tasks', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => ({ key: `t${i}` }));
    expect(requestChunks(tasks, 4, 1000).map((chunk) => chunk.length)).toEqual([4, 4, 2]);
  });

  it('keeps a submission within both limits in one request', () => {
    expect(requestChunks(fan(3, 3), 1000, 15)).toHaveLength(1); // 3 + 3 × 4 = 15 items
    expect(requestChunks(fan(3, 3), 1000, 14)).toHaveLength(2);
  });

  it('refuses a task with more upstream keys than one request carries', () => {
    expect(() => requestChunks(fan(100, 1), 1000, 100)).toThrow(BadUserInputError);
    expect(() => requestChunks(fan(100, 1), 1000, 100)).toThrow(/may list at most 99/);
  });
});
