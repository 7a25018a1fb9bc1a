import { createApiToken, Role } from '@jobmon/api';
import type { TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, waitForTitle } from '../testing/web-ui';
import { submitWorkflow } from '../testing/scripted-distributor';

// Signing in to the web UI in Debian's Chromium against a real API server with authentication on, once
// on SQLite and once on MySQL. Tokens are made in the server's database, as `jobmon token create` does.
// Every wait is for a selector or a condition.

const TOKEN_STORAGE_KEY = 'jobmon.token';

describeWebUi(
  'web UI sign-in in Chromium',
  (ui) => {
    let page: Page;
    let server: TestServer;
    const tokens: Record<'alice' | 'bob' | 'root', { token: string; id: number }> = {} as never;
    let workflowCount = 0;

    /** A one-task workflow submitted with `token` (its owner is the token's user). */
    const submitAs = (token: string, name: string) =>
      submitWorkflow((query, variables) => server.graphql(query, variables, { token }), {
        tool: 'auth-e2e',
        workflowArgs: `${name}-${++workflowCount}`,
        name,
        templates: ['step'],
        tasks: [{ key: 'only', template: 'step', args: { n: workflowCount } }],
      });

    /** Opens the UI with nothing stored (a first visit), at the sign-in page. */
    const openSignedOut = async (path = '/') => {
      await page.goto(`${server.url}${path}`);
      await page.evaluate((key) => localStorage.removeItem(key), TOKEN_STORAGE_KEY);
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    };
    const signIn = async (token: string) => {
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    const storedToken = () =>
      page.evaluate((key) => localStorage.getItem(key), TOKEN_STORAGE_KEY) as Promise<string | null>;
    const header = () => page.locator('header.app-header');

    beforeAll(async () => {
      ({ page, server } = ui);
      for (const [user, role] of [
        ['alice', Role.USER],
        ['bob', Role.USER],
        ['root', Role.ADMIN],
      ] as const) {
        const { token, info } = await createApiToken(server.db, { user, role, name: 'web e2e' });
        tokens[user] = { token, id: info.id };
      }
    });

    it('asks for a token first, and refuses a bad one without storing it', async () => {
      await openSignedOut();
      await waitForTitle(page, 'Sign in · Jobmon');
      expect(await page.locator('main').textContent()).toContain('jobmon token create --user NAME');
      expect(await page.getByLabel('API token').getAttribute('type')).toBe('password');
      // The pages (and their queries) stay behind the sign-in page.
      expect(await page.locator('.empty, .pager, table').count()).toBe(0);

      await signIn(`jm_${'x'.repeat(43)}`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('This token was not accepted');
      expect(await storedToken()).toBeNull();
      expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    });

    it('signs in with a good token, shows who is signed in, and lists a new workflow live', async () => {
      await openSignedOut();
      await signIn(tokens.alice.token);
      await page.locator('.empty, .pager').first().waitFor();
      await waitForTitle(page, 'Workflows · Jobmon');
      expect(await header().textContent()).toContain('Signed in as alice (user)');
      expect(await storedToken()).toBe(tokens.alice.token);

      // Live over graphql-ws, whose connection carries the token.
      const workflow = await submitAs(tokens.alice.token, 'signed-in');
      const row = page.locator(`tr[data-workflow-id="${workflow.id}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('signed-in');

      // A reload keeps the session (the token is in localStorage).
      await page.reload();
      await row.waitFor();
      expect(await header().textContent()).toContain('Signed in as alice (user)');
    });

    it("disables the actions on someone else's workflow, not on one's own or for an admin", async () => {
      const alices = await submitAs(tokens.alice.token, 'owned-by-alice');
      const stop = page.getByRole('button', { name: 'Stop' });

      await openSignedOut(`/workflows/${alices.id}`);
      await signIn(tokens.bob.token);
      await page.locator(`article[data-workflow-id="${alices.id}"]`).waitFor();
      expect(await stop.isDisabled()).toBe(true);
      expect(await stop.getAttribute('title')).toBe(
        "This is alice's workflow: only its owner or an admin may stop, resume or change it.",
      );
      expect(await page.getByRole('button', { name: 'Set' }).first().isDisabled()).toBe(true);

      for (const user of ['alice', 'root'] as const) {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        expect(await storedToken()).toBeNull();
        await signIn(tokens[user].token);
        await page.locator(`article[data-workflow-id="${alices.id}"]`).waitFor();
        expect(await header().textContent()).toContain(`Signed in as ${user}`);
        expect(await stop.isDisabled()).toBe(false);
        expect(await stop.getAttribute('title')).toBeNull();
      }
    });

    it('a token revoked during the session sends the page back to the sign-in page, saying why', async () => {
      await openSignedOut();
      await signIn(tokens.bob.token);
      await page.locator('.empty, .pager').first().waitFor();
      const revoked = await server.graphql<{ revokeApiToken: { id: string } }>(
        'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
        { id: String(tokens.bob.id) },
        { token: tokens.root.token },
      );
      expect(revoked.errors).toBeUndefined();
      // The list refetches when a workflow changes; a verified token may be trusted for a few seconds
      // more (the server's token cache), so workflows are submitted until the refetch is refused.
      const notice = page.getByText('Your session ended: the token was revoked or expired');
      const deadline = Date.now() + 60_000;
      while (!(await notice.isVisible())) {
        if (Date.now() > deadline) throw new Error('the revoked token still worked after 60 s');
        await submitAs(tokens.root.token, 'after-revoke');
        await notice.waitFor({ timeout: 1_000 }).catch(() => undefined);
      }
      expect(await storedToken()).toBeNull();
      expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    });
  },
  {
    server: { auth: true },
    // Chromium's line for each refused request (a bad token, a revoked one): those are the point of the tests.
    allowConsole: /Failed to load resource: the server responded with a status of 401/,
  },
);
