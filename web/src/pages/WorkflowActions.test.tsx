/** @jest-environment jsdom */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  ResumeWorkflowDocument,
  SetMaxConcurrentlyRunningDocument,
  StopWorkflowDocument,
} from '../generated/graphql';
import { renderWithApollo } from '../testing/renderWithApollo';
import { WorkflowActions } from './WorkflowActions';

const workflowResult = (status: string) => ({ __typename: 'Workflow', id: '4', status });

afterEach(() => jest.restoreAllMocks());

describe('WorkflowActions', () => {
  it('changes the concurrency limit and reports back', async () => {
    const onChanged = jest.fn();
    renderWithApollo(
      <WorkflowActions workflowId="4" status="RUNNING" maxConcurrentlyRunning={100} onChanged={onChanged} />,
      {
        mocks: [
          {
            request: { query: SetMaxConcurrentlyRunningDocument, variables: { workflowId: '4', limit: 7 } },
            result: {
              data: {
                setMaxConcurrentlyRunning: { __typename: 'Workflow', id: '4', maxConcurrentlyRunning: 7 },
              },
            },
          },
        ],
      },
    );
    fireEvent.change(screen.getByLabelText('Max concurrently running'), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('stops a running workflow after confirmation, and shows why a stop failed', async () => {
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithApollo(
      <WorkflowActions workflowId="4" status="RUNNING" maxConcurrentlyRunning={1} onChanged={jest.fn()} />,
      {
        mocks: [
          {
            request: {
              query: StopWorkflowDocument,
              variables: { id: '4', reason: 'stopped from the web UI' },
            },
            result: {
              errors: [
                { message: 'You may only stop your own workflows', extensions: { code: 'FORBIDDEN' } },
              ],
            },
          },
        ],
      },
    );
    expect((screen.getByRole('button', { name: 'Resume' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect((await screen.findByRole('alert')).textContent).toContain('You may only stop your own workflows');
  });

  it('resumes a halted workflow in the chosen mode', async () => {
    const onChanged = jest.fn();
    renderWithApollo(
      <WorkflowActions workflowId="4" status="HALTED" maxConcurrentlyRunning={1} onChanged={onChanged} />,
      {
        mocks: [
          {
            request: { query: ResumeWorkflowDocument, variables: { id: '4', mode: 'HOT' } },
            result: { data: { resumeWorkflow: workflowResult('QUEUED') } },
          },
        ],
      },
    );
    expect((screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Resume mode'), { target: { value: 'HOT' } });
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });
});
