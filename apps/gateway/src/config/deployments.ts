import type { Deployment } from '@warden/core';
import type { RawConfig } from './schema.ts';

const SECOND = 1000;

/** Turns `model_list` into deployments; `params` is accepted as an alias of `litellm_params`. */
export function buildDeployments(config: RawConfig): Deployment[] {
  const timeout = config.router_settings.timeout ?? 600;
  const streamTimeout = config.router_settings.stream_timeout ?? timeout;
  const counts = new Map<string, number>();
  return config.model_list.map((entry) => {
    const params = (entry.litellm_params ?? entry.params)!;
    const index = counts.get(entry.model_name) ?? 0;
    counts.set(entry.model_name, index + 1);
    const slash = params.model.indexOf('/');
    const { api_key: _secret, ...publicParams } = params;
    const modelId = (entry as Record<string, unknown>).model_id;
    return {
      id: typeof modelId === 'string' ? modelId : `${entry.model_name}#${index}`,
      modelName: entry.model_name,
      provider: params.model.slice(0, slash),
      model: params.model.slice(slash + 1),
      apiBase: params.api_base ?? null,
      apiKey: params.api_key ?? null,
      rpm: params.rpm ?? null,
      tpm: params.tpm ?? null,
      timeoutMs: (params.timeout ?? timeout) * SECOND,
      streamTimeoutMs: (params.stream_timeout ?? params.timeout ?? streamTimeout) * SECOND,
      inputCostPerToken: params.input_cost_per_token ?? null,
      outputCostPerToken: params.output_cost_per_token ?? null,
      modelInfo: entry.model_info ?? {},
      publicParams,
    };
  });
}
