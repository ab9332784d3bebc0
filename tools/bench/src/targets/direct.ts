import { type MockModelKind, requestBody } from '../chain/models.ts';
import { JSON_HEADERS, type Target, type TargetContext } from './types.ts';

/** The client talking to the mock upstream itself: the baseline every gateway is compared with. */
export function directTarget(ctx: TargetContext): Target {
  const origin = `http://127.0.0.1:${ctx.mockPort}`;
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${ctx.mockApiKey}` };
  return {
    name: 'direct',
    process: null,
    workers: 1,
    spec: (kind: MockModelKind) => ({
      origin,
      path: '/v1/chat/completions',
      headers,
      body: requestBody(kind),
    }),
    info: { upstream: `${origin}/v1` },
    stop: async () => {},
  };
}
