// The benchmark's upstream, run as its own process so it can be pinned next to the load generator:
//   node --import tsx tools/bench/src/mock-server.ts --port N --api-key K
// It is the strict testkit mock with counters only (no request log, so long runs do not grow it),
// zero added latency, whole responses in one write, and per-model stream lengths so the per-chunk
// cost can be separated from the per-request cost.
import { parseArgs } from 'node:util';
import { startMockUpstream } from '@warden/testkit';
import { MOCK_MODELS } from './chain/models.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'api-key': { type: 'string' } },
});

const mock = await startMockUpstream({
  port: Number(values.port),
  apiKey: values['api-key'],
  record: false,
  chunks: MOCK_MODELS.plain.chunks,
  behaviors: {
    [MOCK_MODELS.stream.name]: { chunks: MOCK_MODELS.stream.chunks },
    [MOCK_MODELS.streamShort.name]: { chunks: MOCK_MODELS.streamShort.chunks },
  },
  models: Object.values(MOCK_MODELS).map((m) => m.name),
});
process.stdout.write(`mock upstream listening on ${mock.url}\n`);

const stop = (): void => {
  process.stdout.write(`mock upstream: ${mock.stats.requests} requests, ${mock.stats.aborted} aborted\n`);
  void mock.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
