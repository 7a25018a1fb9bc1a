#!/usr/bin/env node
/* global process, console, setTimeout, fetch, document */
// Screenshots of the web UI for docs/: starts `jobmon server` (local backend) on a temporary SQLite
// database, submits a small workflow in which one task fails, and saves a PNG of each route into
// docs/screenshots/ with Debian's Chromium (playwright-core, as web/src/testing/chromium.ts launches it).
//
//   npx tsc -b && npm run build -w web && node scripts/screenshots.mjs [NAME ...]
//
// NAME picks routes from ROUTES below (default: all). A route whose page this build does not have (the
// app answers "No such page") is skipped and said so. Add a route: one entry in ROUTES.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs', 'screenshots');
const cli = path.join(root, 'client-sdk', 'dist', 'cli', 'jobmon.js');
const CHROMIUM_PATH = process.env.JOBMON_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The routes to capture: `path` may name `:id` (the submitted workflow); `ready` waits for what the page
 * must show, `prepare` acts on it first (e.g. runs a report).
 */
const ROUTES = [
  { name: 'workflow', path: '/workflows/:id', ready: '.react-flow__node' },
  { name: 'workflow-tasks', path: '/workflows/:id/tasks', ready: '[data-task-id]' },
  { name: 'workflow-errors', path: '/workflows/:id/errors', ready: '[data-cluster-size]' },
  { name: 'workflow-usage', path: '/workflows/:id/usage', ready: '[data-chart]' },
  { name: 'workflow-timeline', path: '/workflows/:id/timeline', ready: '[data-chart]' },
  {
    name: 'reports',
    path: '/reports',
    ready: '.graphiql-container .monaco-editor',
    async prepare(page) {
      await page
        .locator('.saved-reports button', { hasText: 'Runtime and memory percentiles by template' })
        .click();
      await page.waitForFunction(() =>
        document.querySelector('.graphiql-query-editor')?.textContent?.includes('UsagePercentiles'),
      );
      await page.locator('.graphiql-execute-button').click();
      await page.locator('[data-testid="report-table"]').waitFor();
    },
  },
];

/** prepare → fit × 4 → summarise; fit 3 exits 3 (its one attempt): the workflow ends FAILED. */
const SUBMISSION = {
  tool: 'screenshots',
  workflowArgs: `screenshots-${Date.now()}`,
  name: 'model fit (screenshots)',
  maxAttempts: 1,
  taskTemplates: [
    { name: 'prepare', commandTemplate: 'sh -c {code}' },
    { name: 'fit', commandTemplate: 'sh -c {code} {loc}', nodeArgs: ['loc'], taskArgs: ['code'] },
    { name: 'summarise', commandTemplate: 'sh -c {code}' },
  ],
  tasks: [
    { key: 'prepare', template: 'prepare', args: { code: '"sleep 0.3; echo prepared"' } },
    ...[1, 2, 3, 4].map((loc) => ({
      key: `fit-${loc}`,
      template: 'fit',
      args: {
        loc,
        code:
          loc === 3
            ? '"echo singular matrix >&2; exit 3"'
            : `"sleep 0.${loc}; head -c ${loc}000000 /dev/zero | tail -c 1 >/dev/null; echo fitted"`,
      },
      upstream: ['prepare'],
    })),
    {
      key: 'summarise',
      template: 'summarise',
      args: { code: '"echo summary"' },
      upstream: [1, 2, 3, 4].map((loc) => `fit-${loc}`),
    },
  ],
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(url, child, log) {
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    if (child.exitCode !== null) throw new Error(`jobmon server exited ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`jobmon server did not answer /healthz within a minute:\n${log()}`);
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !ROUTES.some((route) => route.name === name));
  if (unknown.length)
    throw new Error(`unknown route(s) ${unknown.join(', ')}; known: ${ROUTES.map((r) => r.name).join(', ')}`);
  const routes = wanted.length ? ROUTES.filter((route) => wanted.includes(route.name)) : ROUTES;
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npx tsc -b first`);
  if (!fs.existsSync(path.join(root, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: run npm run build -w web first');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-screenshots-'));
  const port = await freePort();
  const env = { ...process.env, NO_COLOR: '1', JOBMON_LOG_LEVEL: 'warn', JOBMON_AUTH: 'off' };
  const server = spawn(
    process.execPath,
    [
      cli,
      'server',
      '--port',
      String(port),
      '--database-url',
      `sqlite:${path.join(dir, 'jobmon.db')}`,
      '--log-dir',
      path.join(dir, 'logs'),
    ],
    { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let serverLog = '';
  server.stdout.on('data', (chunk) => (serverLog += chunk));
  server.stderr.on('data', (chunk) => (serverLog += chunk));
  const url = `http://127.0.0.1:${port}`;
  let browser;
  try {
    await waitUntilHealthy(url, server, () => serverLog);
    const file = path.join(dir, 'workflow.json');
    fs.writeFileSync(file, JSON.stringify(SUBMISSION));
    const submitted = await run(['submit', file, '--wait', '--json', '--server', url], env);
    if (submitted.code !== 1)
      throw new Error(`the workflow should end FAILED (exit 1), got ${submitted.code}: ${submitted.stderr}`);
    const workflowId = JSON.parse(submitted.stdout).workflowId;

    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    fs.mkdirSync(outDir, { recursive: true });
    for (const route of routes) {
      const target = route.path.replace(':id', workflowId);
      await page.goto(`${url}${target}`);
      await page.locator(`${route.ready}, .error:has-text("No such page")`).first().waitFor();
      if (await page.locator('.error:has-text("No such page")').count()) {
        console.log(`${route.name}: skipped (${target} is no page of this build)`);
        continue;
      }
      await route.prepare?.(page);
      // Nothing still loading.
      await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
      const png = path.join(outDir, `${route.name}.png`);
      await page.screenshot({ path: png, fullPage: true });
      console.log(`${route.name}: ${path.relative(root, png)}`);
    }
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.on('close', resolve)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
