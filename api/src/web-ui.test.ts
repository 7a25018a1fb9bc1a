import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from './testing';

describe('web UI serving', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-web-ui-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js.map'), '{"sources":["/home/me/src/app.tsx"]}');
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    server = await startTestServer('sqlite', { webDir: dir });
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes', async () => {
    for (const route of ['/', '/workflows/12', '/tasks/3?x=1', '/task-instances/9']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves the built files, hashed assets as immutable', async () => {
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${server.url}/favicon.svg`)).status).toBe(200);
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it('leaves /graphql and /healthz to the API', async () => {
    expect((await server.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
  });

  it('serves every page with a content security policy, no framing and no sniffing', async () => {
    for (const route of [
      '/',
      '/workflows/12',
      '/assets/app-abc123.js',
      '/healthz',
      '/graphql?query=%7B__typename%7D',
    ]) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("object-src 'none'");
    }
  });

  it('answers 404 without the server’s file paths', async () => {
    for (const route of ['/assets/missing.js', '/assets/..%2f..%2fetc%2fpasswd', '/assets/%00']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const text = await response.text();
      expect(text).not.toContain(dir);
      expect(text).not.toMatch(/ENOENT|\/tmp\/|stat /);
    }
  });

  it('does not serve source maps unless asked to', async () => {
    expect((await fetch(`${server.url}/assets/app-abc123.js.map`)).status).toBe(404);
    const withMaps = await startTestServer('sqlite', { webDir: dir, webSourceMaps: true });
    try {
      const response = await fetch(`${withMaps.url}/assets/app-abc123.js.map`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('sources');
    } finally {
      await withMaps.stop();
    }
  });

  it('answers a clear page when the UI is not built', async () => {
    const unbuilt = await startTestServer('sqlite', { webDir: path.join(dir, 'nothing-here') });
    try {
      const response = await fetch(`${unbuilt.url}/workflows/1`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      await unbuilt.stop();
    }
  });
});
