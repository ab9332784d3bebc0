import type { LoadedPlugin } from './driver.ts';
import type { Logger } from './logger.ts';
import { API_VERSION, isPlugin, type PluginDefinition } from './plugin.ts';
import { validateStandard } from './standard-schema.ts';

export interface PluginEntry {
  /** Where it came from (package name or "built-in"), for error messages. */
  source: string;
  definition: unknown;
  options?: unknown;
}

/** Raised at start-up; the message names the plugin, and start-up stops. */
export class PluginLoadError extends Error {
  constructor(source: string, message: string) {
    super(`plugin ${source}: ${message}`);
    this.name = 'PluginLoadError';
  }
}

const major = (version: string) => version.split('.')[0];

/**
 * Validates each plugin (shape, apiVersion major, options) and runs its setup, in order. Everything
 * here happens once at start-up so that the request path can trust the plugin list.
 */
export async function loadPlugins(entries: readonly PluginEntry[], logger: Logger): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  const names = new Set<string>();
  for (const entry of entries) {
    if (!isPlugin(entry.definition)) {
      throw new PluginLoadError(entry.source, 'export is not a plugin made by definePlugin({...})');
    }
    const definition = entry.definition as PluginDefinition<unknown>;
    if (names.has(definition.name))
      throw new PluginLoadError(entry.source, `duplicate plugin name "${definition.name}"`);
    names.add(definition.name);
    if (typeof definition.apiVersion !== 'string' || major(definition.apiVersion) !== major(API_VERSION)) {
      throw new PluginLoadError(
        definition.name,
        `apiVersion ${String(definition.apiVersion)} is not compatible with this gateway's ${API_VERSION}`,
      );
    }
    let options: unknown = entry.options ?? {};
    if (definition.options) {
      const result = await validateStandard(definition.options, options);
      if (!result.ok)
        throw new PluginLoadError(definition.name, `invalid options: ${result.problems.join('; ')}`);
      options = result.value;
    }
    if (definition.setup) {
      try {
        await definition.setup(options, { logger: logger.child({ plugin: definition.name }) });
      } catch (err) {
        throw new PluginLoadError(
          definition.name,
          `setup failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    loaded.push({ definition, options });
  }
  return loaded;
}
