// Standalone mock upstream for benchmarks and manual runs:
//   tsx packages/testkit/src/mock-upstream/cli.ts --port 9999 [--api-key sk-up] [--chunks 50]
//     [--chunk-delay-ms N] [--latency-ms N] [--record]
// Counter-only by default (no request log) so a long benchmark does not grow memory.
import { parseArgs } from 'node:util';
import { startMockUpstream } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9999' },
    'api-key': { type: 'string' },
    chunks: { type: 'string' },
    'chunk-delay-ms': { type: 'string' },
    'latency-ms': { type: 'string' },
    record: { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const mock = await startMockUpstream({
  port: Number(values.port),
  apiKey: values['api-key'],
  chunks: num(values.chunks),
  chunkDelayMs: num(values['chunk-delay-ms']),
  latencyMs: num(values['latency-ms']),
  record: values.record,
});
process.stdout.write(`mock upstream listening on ${mock.url}\n`);

const stop = () => {
  process.stdout.write(`mock upstream: ${mock.stats.requests} requests, ${mock.stats.aborted} aborted\n`);
  void mock.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
