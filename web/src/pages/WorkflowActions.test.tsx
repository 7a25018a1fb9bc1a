/** @jest-environment jsdom */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  ResumeWorkflowDocument,
  SetMaxConcurrentlyRunningDocument,
  StopWorkflowDocument,
} from '../generated/graphql';
import { ViewerContext, type Viewer } from '../auth/viewer';
import { renderWithApollo } from '../testing/renderWithApollo';
import { WorkflowActions } from './WorkflowActions';

const workflowResult = (status: string) => ({ __typename: 'Workflow', id: '4', status });

afterEach(() => jest.restoreAllMocks());

describe('WorkflowActions', () => {
  it('changes the concurrency limit and reports back', async () => {
    const onChanged = jest.fn();
    renderWithApollo(
      <WorkflowActions
        workflowId="4"
        status="RUNNING"
        maxConcurrentlyRunning={100}
        owner="alice"
        onChanged={onChanged}
      />,
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
      <WorkflowActions
        workflowId="4"
        status="RUNNING"
        maxConcurrentlyRunning={1}
        owner="alice"
        onChanged={jest.fn()}
      />,
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
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Not allowed: You may only stop your own workflows');
  });

  it('resumes a halted workflow in the chosen mode', async () => {
    const onChanged = jest.fn();
    renderWithApollo(
      <WorkflowActions
        workflowId="4"
        status="HALTED"
        maxConcurrentlyRunning={1}
        owner="alice"
        onChanged={onChanged}
      />,
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

  describe('with authentication on', () => {
    const signedIn = (user: string, role: Viewer['role']): Viewer => ({ authRequired: true, user, role });
    const renderAs = (viewer: Viewer, status = 'RUNNING') =>
      renderWithApollo(
        <ViewerContext.Provider value={viewer}>
          <WorkflowActions
            workflowId="4"
            status={status}
            maxConcurrentlyRunning={3}
            owner="alice"
            onChanged={jest.fn()}
          />
        </ViewerContext.Provider>,
      );
    const controls = () => [
      screen.getByRole('button', { name: 'Stop' }),
      screen.getByRole('button', { name: 'Set' }),
      screen.getByLabelText('Max concurrently running'),
    ];

    it("disables stop, resume and the limit for someone else's workflow, saying why", () => {
      renderAs(signedIn('bob', 'USER'), 'FAILED');
      const resume = screen.getByRole('button', { name: 'Resume' });
      for (const control of [...controls(), resume]) {
        expect((control as HTMLButtonElement).disabled).toBe(true);
        expect(control.title).toBe(
          "This is alice's workflow: only its owner or an admin may stop, resume or change it.",
        );
      }
      expect(screen.getByText(/only its owner or an admin/, { selector: '.not-allowed' })).toBeTruthy();
    });

    it('leaves them enabled for an admin and for the owner', () => {
      for (const viewer of [signedIn('root', 'ADMIN'), signedIn('alice', 'USER')]) {
        const view = renderAs(viewer);
        for (const control of controls()) {
          expect((control as HTMLButtonElement).disabled).toBe(false);
          expect(control.title).toBe('');
        }
        expect(document.querySelector('.not-allowed')).toBeNull();
        view.unmount();
      }
    });
  });
});
