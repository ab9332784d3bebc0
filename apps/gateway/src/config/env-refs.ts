/**
 * Resolves `os.environ/NAME` strings anywhere in the parsed config (LiteLLM's convention). Missing
 * variables are collected with their path rather than thrown one at a time, so a user sees every
 * problem of a config in one go.
 */
export function resolveEnvRefs(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path = '',
): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith('os.environ/')) return value;
    const name = value.slice('os.environ/'.length);
    const resolved = env[name];
    if (resolved === undefined) {
      problems.push(`${path || '(root)'}: environment variable ${name} is not set`);
      return value;
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvRefs(v, env, problems, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = resolveEnvRefs(v, env, problems, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
