import { ErrorCode } from '@jobmon/core';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

// The web UI (web/dist, built by `npm run build`): its files at `/`, and index.html for every other GET
// so that client-side routes (/workflows/12, /tasks/5, …) load the app. /graphql and /healthz are
// answered before this.

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Jobmon: web UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 640px; margin: 48px auto">
<h1>The Jobmon web UI is not built</h1>
<p>Run <code>npm run build</code> at the root of the repository (or <code>npm run build -w web</code>),
then reload this page. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>
</body></html>`;

const NOT_FOUND_BODY = { errors: [{ message: 'Not found', extensions: { code: ErrorCode.NOT_FOUND } }] };

/**
 * Serves the built UI from `dir`; a clear page (503) when it has not been built. Source maps (`*.map`)
 * only with `sourceMaps`: the build writes them for debugging, not for every visitor.
 */
export function webUiHandler(dir: string, options: { sourceMaps?: boolean } = {}): RequestHandler {
  const index = path.join(dir, 'index.html');
  // Vite names the files under assets/ by content hash: they never change, browsers may keep them.
  const assets = express.static(path.join(dir, 'assets'), {
    immutable: true,
    maxAge: '1y',
    fallthrough: false,
  });
  const files = express.static(dir, { index: false });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!fs.existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT_PAGE);
      return;
    }
    if (!options.sourceMaps && req.path.endsWith('.map')) {
      res.status(404).json(NOT_FOUND_BODY);
      return;
    }
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      return assets(req, res, next);
    }
    files(req, res, () => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(index);
    });
  };
}
