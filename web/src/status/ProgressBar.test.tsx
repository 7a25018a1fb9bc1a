/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { MIN_SEGMENT_PX, ProgressBar } from './ProgressBar';
import { StatusBadge } from './StatusBadge';

describe('ProgressBar', () => {
  it('stacks one segment per status group, sized by its share, and spells the counts out', () => {
    render(
      <ProgressBar
        counts={[
          { status: 'DONE', count: 6 },
          { status: 'RUNNING', count: 2 },
          { status: 'ERROR_FATAL', count: 2 },
        ]}
        total={10}
      />,
    );
    const bar = screen.getByRole('img');
    expect(bar.getAttribute('aria-label')).toBe('Tasks: 6 done, 2 running, 2 failed');
    const segments = [...bar.querySelectorAll<HTMLElement>('.progress-segment')];
    expect(segments.map((s) => [s.dataset.group, s.style.width])).toEqual([
      ['done', '60%'],
      ['running', '20%'],
      ['failed', '20%'],
    ]);
  });

  it('gives every non-empty group a visible segment: 1 failed task among 100,000 has the minimum width', () => {
    render(
      <ProgressBar
        counts={[
          { status: 'DONE', count: 99_998 },
          { status: 'ERROR_FATAL', count: 1 },
          { status: 'QUEUED', count: 1 },
          { status: 'RUNNING', count: 0 },
        ]}
        total={100_000}
      />,
    );
    const bar = screen.getByRole('img');
    expect(bar.getAttribute('aria-label')).toBe('Tasks: 99,998 done, 1 failed, 1 pending');
    const segments = [...bar.querySelectorAll<HTMLElement>('.progress-segment')];
    expect(segments.map((s) => [s.dataset.group, s.dataset.count, s.style.minWidth])).toEqual([
      ['done', '99998', `${MIN_SEGMENT_PX}px`],
      ['failed', '1', `${MIN_SEGMENT_PX}px`],
      ['pending', '1', `${MIN_SEGMENT_PX}px`],
    ]);
    expect(MIN_SEGMENT_PX).toBeGreaterThanOrEqual(3);
  });

  it('says so when there are no tasks', () => {
    render(<ProgressBar counts={[]} total={0} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Tasks: no tasks');
  });
});

describe('StatusBadge', () => {
  it('shows the status as words with its group icon', () => {
    render(<StatusBadge status="ERROR_FATAL" />);
    const badge = screen.getByText(/ERROR FATAL/);
    expect(badge.dataset.statusGroup).toBe('failed');
    expect(badge.textContent).toContain('✕');
  });
});
