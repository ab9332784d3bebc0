import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, PluginLoadError } from '@warden/core';

/**
 * Finds a plugin package by name from the config file's folder, then the working directory, the way
 * Node would (walking up node_modules folders), and imports its ESM entry. Node 20 has no stable
 * `import.meta.resolve(name, parent)`, hence the small walk here.
 */
export async function importPlugin(name: string, fromDirs: readonly string[]): Promise<unknown> {
  const entry = fromDirs.map((d) => findEntry(name, d)).find((e) => e !== null);
  if (!entry) throw new PluginLoadError(name, `package not found from ${fromDirs.join(' or ')}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginLoadError(name, `failed to import ${entry}: ${(err as Error).message}`);
  }
  if (isPlugin(mod.plugin)) return mod.plugin;
  if (isPlugin(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isPlugin);
  if (found.length === 1) return found[0];
  throw new PluginLoadError(
    name,
    'exports no plugin made by definePlugin({...}) (export it as `plugin` or `default`)',
  );
}

function findEntry(name: string, from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const manifest = join(pkgDir, 'package.json');
    if (existsSync(manifest))
      return entryOf(pkgDir, JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>);
    if (dirname(dir) === dir) return null;
  }
}

function entryOf(pkgDir: string, manifest: Record<string, unknown>): string {
  const exp = manifest.exports as unknown;
  const root =
    typeof exp === 'string'
      ? exp
      : exp && typeof exp === 'object'
        ? ((exp as Record<string, unknown>)['.'] ?? exp)
        : undefined;
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return pick(o.import) ?? pick(o.node) ?? pick(o.default);
    }
    return undefined;
  };
  return join(pkgDir, pick(root) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js'));
}
