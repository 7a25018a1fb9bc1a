import { packLanes } from './lanes';

describe('packLanes', () => {
  it('packs non-overlapping intervals into one lane and overlapping ones apart', () => {
    const { lane, lanes } = packLanes([0, 5, 2, 6, null], [5, 10, 4, 7, null], 100);
    expect(lanes).toBe(2);
    // 2–4 takes lane 1; 5–10 reuses it (free since 4), 6–7 reuses lane 0 (free since 5)
    expect([...lane]).toEqual([0, 1, 1, 0, -1]);
  });

  it('runs an attempt without an end to the open end', () => {
    const { lane, lanes } = packLanes([0, 50], [null, 60], 100);
    expect(lanes).toBe(2);
    expect([...lane]).toEqual([0, 1]);
  });
});
