// The web dashboard (src/web, built by Vite into dist/web) served by the API process at `/`. The built
// files are read once into memory, with a gzip copy of each text file; only files of the build are
// served (no path from the URL ever reaches the file system). Until the dashboard is built, `/` says how.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface DashboardDeps {
  /** Directory of the built dashboard (holds index.html). */
  webRoot: string;
}

interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  contentType: string;
  /** Hashed asset names never change content, so they may be cached for good. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The page may talk to its own origin only: no third-party scripts, styles, fonts or requests. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // uPlot positions its elements with inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Every file of the build by URL path (`/index.html`, `/assets/index-3f2a.js`). */
export function loadDashboardFiles(webRoot: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const path of walk(webRoot)) {
    const urlPath = `/${relative(webRoot, path).split(sep).join('/')}`;
    const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    const body = readFileSync(path);
    const compressible = /^(text\/|application\/json|image\/svg)/.test(contentType);
    files.set(urlPath, {
      body,
      gzip: compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
      contentType,
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  return files;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>wattline</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>wattline</h1><p>The dashboard is not built yet. Run <code>npm run build:web</code> and reload.</p>
<p>The API is up: <a href="/docs">/docs</a>.</p></body></html>`;

export const dashboardRoutes: FastifyPluginAsync<DashboardDeps> = async (app, { webRoot }) => {
  let files: Map<string, StaticFile> | undefined;
  // Read on first use rather than at start, so a build finished after the server started is picked up.
  const built = (): Map<string, StaticFile> | undefined => {
    if (files === undefined && existsSync(join(webRoot, 'index.html'))) files = loadDashboardFiles(webRoot);
    return files;
  };

  const send = (req: FastifyRequest, reply: FastifyReply, file: StaticFile) => {
    reply
      .type(file.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file.contentType.startsWith('text/html'))
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (file.gzip !== undefined) {
      reply.header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  };

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const index = built()?.get('/index.html');
    if (index === undefined) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return send(req, reply, index);
  });

  app.get('/assets/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const file = built()?.get(path);
    if (file === undefined) return reply.callNotFound();
    return send(req, reply, file);
  });

  app.get('/favicon.svg', { schema: { hide: true } }, async (req, reply) => {
    const file = built()?.get('/favicon.svg');
    if (file === undefined) return reply.callNotFound();
    return send(req, reply, file);
  });
};
