import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built admin SPA from `dir` at /ui/, with index.html for client-side routes. Assets under
 * /ui/assets/ carry content hashes, so they are cached for a year; index.html never is.
 */
export function createUiRoute(dir: string | null) {
  const root = dir && existsSync(join(dir, 'index.html')) ? dir : null;
  return (ctx: Context): void => {
    if (!root) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body =
        'The admin UI is not built. Run `pnpm --filter @warden/admin build` (pnpm start does it for you).\n';
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path.replace(/^\/ui\/?/, ''));
    } catch {
      rel = ''; // a malformed escape is not a file: serve the app, which shows its own not-found page
    }
    const file = normalize(join(root, rel));
    const inside = file.startsWith(root + sep) || file === root;
    const target =
      inside && rel !== '' && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    ctx.type = TYPES[extname(target)] ?? 'application/octet-stream';
    ctx.set(
      'cache-control',
      target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = readFileSync(target);
  };
}
