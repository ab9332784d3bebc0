import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Every workspace package is a vitest project. A package with its own vitest config (the admin SPA,
// which needs a DOM environment) is used as-is; the rest inherit the settings below.
const roots = ['packages', 'apps', 'tools']
  .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []))
  .concat('e2e')
  .filter((dir) => existsSync(join(dir, 'package.json')));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
    projects: roots.map((root) =>
      existsSync(join(root, 'vitest.config.ts'))
        ? root
        : {
            extends: true,
            test: {
              name: basename(root),
              root,
              include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            },
          },
    ),
  },
});
