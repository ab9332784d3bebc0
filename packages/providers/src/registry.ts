import type { Deployment } from '@warden/core';
import { MockProvider } from './mock-provider.ts';
import { OpenAICompatibleProvider } from './openai-compatible.ts';
import type { Provider } from './types.ts';

/** Provider prefixes accepted in `litellm_params.model`; all but `mock` speak the OpenAI wire format. */
export const KNOWN_PROVIDERS = [
  'openai',
  'mock',
  'azure_ai',
  'openrouter',
  'together_ai',
  'groq',
  'deepseek',
  'mistral',
  'fireworks_ai',
  'hosted_vllm',
  'ollama_chat',
  'lm_studio',
  'custom_openai',
] as const;

/** One instance per provider kind for the whole process, so upstream connections are pooled. */
export class ProviderRegistry {
  readonly #openai = new OpenAICompatibleProvider();
  readonly #mock = new MockProvider();

  for(deployment: Deployment): Provider {
    return deployment.provider === 'mock' ? this.#mock : this.#openai;
  }

  async close(): Promise<void> {
    await Promise.all([this.#openai.close(), this.#mock.close()]);
  }
}
