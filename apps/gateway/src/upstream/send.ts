import type { Cancellation, Deployment, GatewayError } from '@warden/core';
import { isRetryable, type ProviderRegistry, type UpstreamResult } from '@warden/providers';
import type { ModelRouter } from '../routing/model-router.ts';
import { prepareUpstreamBody, type PreparedBody } from './prepare.ts';
import type { RequestState } from '@warden/core';
import type { Endpoint } from '@warden/core';

export interface SendOutcome {
  result: UpstreamResult;
  prepared: PreparedBody;
  deployment: Deployment;
}

/**
 * Calls the upstream, retrying (up to `numRetries`, on the next deployment of the group) only when
 * a retry cannot bill twice: the connection was refused, or the upstream answered 429/5xx. Streams
 * are retried only here, before any byte reached the client.
 */
export async function sendWithRetries(
  state: RequestState,
  endpoint: Endpoint,
  rawBytes: Buffer,
  providers: ProviderRegistry,
  router: ModelRouter,
  numRetries: number,
  cancellation: Cancellation,
): Promise<SendOutcome> {
  let deployment = state.deployment!;
  for (let attempt = 0; ; attempt++) {
    const prepared = prepareUpstreamBody(state.body, rawBytes, state.bodyChanged, deployment, state.stream);
    try {
      const result = await providers.for(deployment).send({
        deployment,
        endpoint,
        body: prepared.body,
        bytes: prepared.bytes,
        gatewayFields: prepared.gatewayFields,
        stream: state.stream,
        requestId: state.requestId,
        cancellation,
      });
      return { result, prepared, deployment };
    } catch (err) {
      if (attempt >= numRetries || !isRetryable(err) || cancellation.cancelled) throw err as GatewayError;
      const next = router.pick(state.model);
      if (next) {
        deployment = next;
        state.setDeployment(next);
      }
    }
  }
}
