/**
 * Latency samples in microseconds, kept exactly (a growable Float64Array, sorted on read). A bench
 * phase records at most a few hundred thousand samples, so exact percentiles cost a few MB and one
 * sort; an HDR bucket scheme would only add rounding. (autocannon's histogram rounds to whole
 * milliseconds, which is coarser than the overheads we measure.)
 */
export class Histogram {
  private data = new Float64Array(4096);
  private n = 0;
  private sorted = true;

  record(us: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = us;
    this.sorted = false;
  }

  get count(): number {
    return this.n;
  }

  /** Add every sample of `other` (used to merge interleaved rounds). */
  merge(other: Histogram): void {
    for (let i = 0; i < other.n; i++) this.record(other.data[i] as number);
  }

  /** Percentile (0–100) by nearest rank; NaN when empty. */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    this.sort();
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1));
    return this.data[rank] as number;
  }

  mean(): number {
    if (this.n === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += this.data[i] as number;
    return sum / this.n;
  }

  summary(): LatencySummary {
    return {
      count: this.n,
      p50: round1(this.percentile(50)),
      p90: round1(this.percentile(90)),
      p99: round1(this.percentile(99)),
      max: round1(this.percentile(100)),
      mean: round1(this.mean()),
    };
  }

  private sort(): void {
    if (this.sorted) return;
    const view = this.data.subarray(0, this.n);
    view.sort();
    this.sorted = true;
  }
}

/** Percentiles in microseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function round1(x: number): number {
  return Number.isNaN(x) ? x : Math.round(x * 10) / 10;
}
