/** @jest-environment jsdom */
import { render } from '@testing-library/react';
import { KeyValueList } from './KeyValueList';

describe('KeyValueList', () => {
  it('shows default resources as readable key/value pairs, in their units, nested per cluster', () => {
    const { container } = render(
      <KeyValueList
        value={{
          memoryMb: 2048,
          runtimeSeconds: 3600,
          cores: 2,
          queue: 'all.q',
          slurm: { memoryMb: 512, constraints: ['avx2', 'ssd'] },
        }}
      />,
    );
    const pairs = [...container.querySelectorAll(':scope > dl > div')].map((pair) => [
      pair.querySelector('dt')!.textContent,
      pair.querySelector('dd')!.textContent,
    ]);
    expect(pairs).toEqual([
      ['memory', '2.0 GiB'],
      ['runtime', '1 h 0 min'],
      ['cores', '2'],
      ['queue', 'all.q'],
      ['slurm', 'memory512 MiBconstraintsavx2, ssd'],
    ]);
    expect(container.textContent).not.toContain('{');
  });

  it('shows a dash for nothing', () => {
    expect(render(<KeyValueList value={null} />).container.textContent).toBe('—');
    expect(render(<KeyValueList value={{}} />).container.textContent).toBe('—');
  });
});
