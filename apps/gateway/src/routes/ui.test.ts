import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { createUiRoute } from './ui.ts';

function serve(dir: string | null, path: string) {
  const headers: Record<string, string> = {};
  const ctx = {
    path,
    status: 200,
    type: '',
    body: undefined as unknown,
    set: (k: string, v: string) => {
      headers[k] = v;
    },
  };
  createUiRoute(dir)(ctx as unknown as Context);
  return { ...ctx, headers, text: Buffer.isBuffer(ctx.body) ? ctx.body.toString() : String(ctx.body) };
}

describe('admin UI static route', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ui-'));
  writeFileSync(join(dir, 'index.html'), '<html>app</html>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'secret-outside.txt'), 'secret');

  it('serves assets with long caching and the app for client-side routes', () => {
    const asset = serve(dir, '/ui/assets/app-123.js');
    expect(asset.text).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    const route = serve(dir, '/ui/keys/abc');
    expect(route.text).toBe('<html>app</html>');
    expect(route.headers['cache-control']).toBe('no-cache');
  });

  it('never serves a file outside the folder, and survives malformed escapes', () => {
    expect(serve(dir, '/ui/../secret-outside.txt').text).toBe('<html>app</html>');
    expect(serve(dir, '/ui/%2e%2e/secret-outside.txt').text).toBe('<html>app</html>');
    expect(serve(dir, '/ui/%E0%A4%A').text).toBe('<html>app</html>');
  });

  it('says how to build the UI when it is missing', () => {
    const missing = serve(null, '/ui/');
    expect(missing.status).toBe(503);
    expect(missing.text).toContain('pnpm --filter @warden/admin build');
  });
});
