import { Histogram, type LatencySummary } from './histogram.ts';
import { createPool, now, type RequestSpec, send } from './request.ts';

export interface OpenLoopResult {
  rate: number;
  /** Requests that completed with 2xx per second of schedule (below `rate` = the target fell behind). */
  achievedRps: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Intended send time → last byte. */
  latencyUs: LatencySummary;
  /** Intended send time → first body byte (what streaming clients feel). */
  ttfbUs: LatencySummary;
  /** How late the generator itself dispatched (intended → actual); must stay small for results to mean anything. */
  sendLagUs: LatencySummary;
}

/** Raw histograms, so interleaved rounds can be merged before taking percentiles. */
export interface OpenLoopRaw {
  latency: Histogram;
  ttfb: Histogram;
  sendLag: Histogram;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  durationMs: number;
  /** Wall time from the first due time to the last answer (longer than durationMs when the target fell behind). */
  elapsedMs: number;
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i/rate whatever happened before, and
 * is timed from that intended send time, so a stalled gateway is charged for the queue it causes
 * (no coordinated omission). Node timers have millisecond granularity, so the last stretch before a
 * due time is spun with setImmediate (which still polls sockets on every turn).
 */
export async function openLoop(
  spec: RequestSpec,
  rate: number,
  durationMs: number,
  maxConnections = 512,
): Promise<OpenLoopRaw> {
  const pool = createPool(spec.origin, maxConnections);
  const raw: OpenLoopRaw = {
    latency: new Histogram(),
    ttfb: new Histogram(),
    sendLag: new Histogram(),
    ok: 0,
    errors: 0,
    errorKinds: {},
    durationMs,
    elapsedMs: 0,
  };
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const intervalNs = 1e9 / rate;
  let outstanding = 0;
  let issued = 0;

  await new Promise<void>((resolve) => {
    const start = now() + 1e6;
    let next = start;
    let drainTimer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (drainTimer) clearTimeout(drainTimer);
      raw.elapsedMs = Math.max(durationMs, (now() - start) / 1e6);
      resolve();
    };
    const maybeDone = (): void => {
      if (issued === total && outstanding === 0) finish();
    };
    const fire = (intended: number): void => {
      outstanding++;
      raw.sendLag.record((now() - intended) / 1e3);
      send(pool, spec, (t) => {
        if (finished) return;
        outstanding--;
        if (t.error === null && t.status >= 200 && t.status < 300) {
          raw.ok++;
          raw.latency.record((t.endNs - intended) / 1e3);
          raw.ttfb.record((t.firstByteNs - intended) / 1e3);
        } else {
          raw.errors++;
          const kind = t.error ? t.error.name : String(t.status);
          raw.errorKinds[kind] = (raw.errorKinds[kind] ?? 0) + 1;
        }
        maybeDone();
      });
    };
    const tick = (): void => {
      const t = now();
      while (next <= t && issued < total) {
        fire(next);
        issued++;
        next = start + issued * intervalNs;
      }
      if (issued >= total) {
        // A target far behind its schedule would keep us waiting for its whole queue: cap the drain.
        drainTimer = setTimeout(() => {
          raw.errors += outstanding;
          if (outstanding > 0) raw.errorKinds.unfinished = (raw.errorKinds.unfinished ?? 0) + outstanding;
          outstanding = 0;
          finish();
        }, 10_000);
        maybeDone();
        return;
      }
      const waitMs = (next - now()) / 1e6;
      if (waitMs > 2) setTimeout(tick, Math.floor(waitMs) - 1);
      else setImmediate(tick);
    };
    tick();
  });
  await pool.destroy();
  return raw;
}

/** Merge several rounds of the same (target, rate) into one result. */
export function summarizeOpenLoop(rate: number, rounds: OpenLoopRaw[]): OpenLoopResult {
  const latency = new Histogram();
  const ttfb = new Histogram();
  const sendLag = new Histogram();
  const errorKinds: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let elapsedMs = 0;
  for (const r of rounds) {
    latency.merge(r.latency);
    ttfb.merge(r.ttfb);
    sendLag.merge(r.sendLag);
    ok += r.ok;
    errors += r.errors;
    elapsedMs += r.elapsedMs;
    for (const [k, v] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
  }
  return {
    rate,
    achievedRps: Math.round(ok / (elapsedMs / 1000)),
    ok,
    errors,
    errorKinds,
    latencyUs: latency.summary(),
    ttfbUs: ttfb.summary(),
    sendLagUs: sendLag.summary(),
  };
}
