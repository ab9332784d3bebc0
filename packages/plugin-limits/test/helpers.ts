import {
  createMemoryLogger,
  type Deployment,
  type FinishSummary,
  HookDriver,
  type KeyContext,
  type LimitScope,
  type PluginDefinition,
  RequestState,
} from '@warden/core';

export function scope(kind: LimitScope['kind'], id: string, limits: Partial<LimitScope> = {}): LimitScope {
  return {
    kind,
    id,
    rpmLimit: null,
    tpmLimit: null,
    maxParallelRequests: null,
    maxBudgetMicros: null,
    budgetDuration: null,
    budgetResetAt: null,
    spendMicros: 0,
    ...limits,
  };
}

export function key(scopes: LimitScope[], hash = 'a'.repeat(64)): KeyContext {
  return {
    hash,
    alias: null,
    keyName: 'sk-...abcd',
    ownerType: 'user',
    keyType: 'default',
    teamId: null,
    userId: null,
    serviceAccountId: null,
    isAdmin: false,
    models: [],
    aliases: {},
    metadata: {},
    enforcedParams: [],
    allowedRoutes: [],
    scopes,
  };
}

export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'gpt-4o#0',
    modelName: 'gpt-4o',
    provider: 'openai',
    model: 'gpt-4o',
    apiBase: null,
    apiKey: null,
    rpm: null,
    tpm: null,
    timeoutMs: 30_000,
    streamTimeoutMs: 60_000,
    inputCostPerToken: null,
    outputCostPerToken: null,
    modelInfo: {},
    publicParams: {},
    ...overrides,
  };
}

export const chatBody = (content = 'hello', maxTokens: number | undefined = 100) => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content }],
  ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
});

export function summary(overrides: Partial<FinishSummary> = {}): FinishSummary {
  return {
    requestId: 'r',
    status: 200,
    error: null,
    stream: false,
    upstreamCalled: true,
    aborted: false,
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    usageEstimated: false,
    costMicros: 75,
    unpriced: false,
    startedAt: 0,
    ttfbMs: 1,
    durationMs: 2,
    ...overrides,
  };
}

/** Runs requests through the real hook driver, as the gateway does after routing. */
export function harness(plugin: PluginDefinition, hookTimeoutMs = 1000) {
  const logger = createMemoryLogger();
  const driver = new HookDriver([{ definition: plugin, options: {} }], { logger, hookTimeoutMs });
  let n = 0;
  return {
    logger,
    driver,
    /** beforeUpstream for one request; resolves with its state and the error it threw, if any. */
    async request(o: {
      key?: KeyContext | null;
      deployment?: Deployment | null;
      body?: Record<string, unknown>;
      endpoint?: 'chat' | 'embeddings' | null;
    }) {
      const endpoint = o.endpoint === undefined ? 'chat' : o.endpoint;
      const state = new RequestState({
        requestId: `req-${++n}`,
        method: 'POST',
        route: endpoint === null ? '/models' : '/chat/completions',
        endpoint,
        headers: {},
        signal: new AbortController().signal,
        body: o.body ?? chatBody(),
      });
      if (o.key) state.setKey(o.key);
      if (o.deployment !== null) state.setDeployment(o.deployment ?? deployment());
      let error: unknown = null;
      try {
        await driver.beforeUpstream(state);
      } catch (err) {
        error = err;
      }
      return { state, error };
    },
    /** onFinish as the gateway fires it (in the background), awaited here. */
    async finish(state: RequestState, s: FinishSummary) {
      const hook = plugin.onFinish;
      if (!hook) throw new Error('no onFinish');
      await hook.call(plugin, state, s);
    },
  };
}
