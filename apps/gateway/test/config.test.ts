import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, resolveConfig } from '../src/config/load.ts';

const problemsOf = (doc: unknown, env: NodeJS.ProcessEnv = {}) => {
  try {
    resolveConfig(doc, '/tmp', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('config loading', () => {
  it('builds deployments, with params as an alias and os.environ/ references anywhere', () => {
    const config = resolveConfig(
      {
        model_list: [
          {
            model_name: 'a',
            litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_KEY', rpm: 10, timeout: 5 },
          },
          { model_name: 'a', params: { model: 'mock/x' } },
        ],
        general_settings: {
          master_key: 'os.environ/MK',
          enforced_params: ['metadata.project'],
          max_request_size_mb: 1,
        },
        router_settings: { num_retries: 2, timeout: 30 },
      },
      '/tmp',
      { OPENAI_KEY: 'sk-up', MK: 'sk-master' },
    );
    expect(config.masterKey).toBe('sk-master');
    expect(config.deployments).toHaveLength(2);
    expect(config.deployments[0]).toMatchObject({
      id: 'a#0',
      provider: 'openai',
      model: 'gpt-4o',
      apiKey: 'sk-up',
      rpm: 10,
      timeoutMs: 5000,
    });
    expect(config.deployments[0]!.publicParams).not.toHaveProperty('api_key');
    expect(config.deployments[1]).toMatchObject({ id: 'a#1', provider: 'mock', timeoutMs: 30_000 });
    expect(config.maxRequestBytes).toBe(1024 * 1024);
    expect(config.numRetries).toBe(2);
    expect(config.policySettings.enforcedParams).toEqual(['metadata.project']);
  });

  it('shows only an allow-list of params, never credentials under any name', () => {
    const config = resolveConfig(
      {
        model_list: [
          {
            model_name: 'a',
            litellm_params: {
              model: 'openai/x',
              api_base: 'http://user:pass@127.0.0.1:9/v1?token=abc',
              api_key: 'sk-secret',
              aws_secret_access_key: 'os.environ/SECRETX',
              vertex_credentials: '{"private_key":"xyz"}',
              rpm: 5,
            },
          },
        ],
      },
      '/tmp',
      { SECRETX: 'TOPSECRET' },
    );
    const shown = JSON.stringify(config.deployments[0]!.publicParams);
    expect(config.deployments[0]!.publicParams).toEqual({
      model: 'openai/x',
      api_base: 'http://127.0.0.1:9/v1',
      rpm: 5,
    });
    for (const secret of ['sk-secret', 'TOPSECRET', 'xyz', 'pass', 'abc'])
      expect(shown).not.toContain(secret);
  });

  it('reports every problem with its path', () => {
    const problems = problemsOf(
      {
        model_list: [
          { model_name: 'ok', litellm_params: { model: 'mock/x' } },
          { model_name: 'b', litellm_params: { model: 'no-slash' } },
          { model_name: 'c', litellm_params: { model: 'madeup/x', api_base: 'http://x' } },
          { model_name: 'd', litellm_params: { model: 'openai/x', rpm: 'lots' } },
        ],
        general_settings: { master_key: 'os.environ/MISSING_VAR' },
      },
      {},
    );
    expect(problems).toContainEqual(
      'general_settings.master_key: environment variable MISSING_VAR is not set',
    );
    const shape = problemsOf({
      model_list: [
        { model_name: 'b', litellm_params: { model: 'no-slash' } },
        { model_name: 'd', litellm_params: { model: 'openai/x', rpm: 'lots' } },
      ],
    });
    expect(shape.some((p) => p.startsWith('model_list[0].litellm_params.model:'))).toBe(true);
    expect(shape.some((p) => p.startsWith('model_list[1].litellm_params.rpm:'))).toBe(true);
    expect(
      problemsOf({
        model_list: [{ model_name: 'c', litellm_params: { model: 'madeup/x', api_base: 'http://x' } }],
      }),
    ).toEqual([expect.stringMatching(/^model_list\[0\]\.litellm_params\.model: unknown provider "madeup"/)]);
  });

  it('refuses enforced_params that can never be checked', () => {
    expect(
      problemsOf({
        general_settings: {
          enforced_params: ['metadata..x'],
          service_account_settings: { enforced_params: ['metadata.__proto__.x'] },
        },
      }),
    ).toEqual([
      expect.stringMatching(/^general_settings\.enforced_params\[0\]: .*empty segment/),
      expect.stringMatching(/^general_settings\.service_account_settings\.enforced_params\[0\]: .*__proto__/),
    ]);
  });

  it('refuses an invalid policy naming the rule', () => {
    const problems = problemsOf({
      policies: [
        { name: 'p', rules: [{ id: 'evil', require: { method: [{ var: 'request.user' }, 'toString'] } }] },
      ],
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/policies\[0\].*(evil|rules\[0\])/);
  });

  it('warns on unknown and not-yet-applied settings instead of failing', () => {
    const config = resolveConfig(
      {
        model_list: [{ model_name: 'a', litellm_params: { model: 'mock/a', weird: 1 } }],
        general_settings: { alerting: ['slack'] },
        router_settings: { fallbacks: [{ a: ['b'] }] },
        litellm_settings: { drop_params: true },
      },
      '/tmp',
    );
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        'general_settings.alerting: unknown setting, ignored',
        'model_list[0].litellm_params.weird: unknown setting, ignored',
        'router_settings.fallbacks is accepted but not applied yet',
        'litellm_settings.drop_params is accepted but not applied yet',
      ]),
    );
  });

  it('loads YAML from a file and names unreadable or invalid files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'model_list:\n  - model_name: m\n    litellm_params: {model: mock/m}\n');
    expect(loadConfigFile(file).deployments[0]!.modelName).toBe('m');
    writeFileSync(file, 'model_list: [unclosed\n');
    expect(() => loadConfigFile(file)).toThrow(/not valid YAML/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read/);
  });
});
