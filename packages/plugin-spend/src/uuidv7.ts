import { randomFillSync } from 'node:crypto';

// Random bytes come from a pool refilled in bulk: one syscall per 256 ids instead of one per id,
// because ids are minted on the request path (in onFinish, but still per request).
const POOL_SIZE = 16 * 256;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function random10(): Uint8Array {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return bytes;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
let counter = 0;

/**
 * An RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 12-bit `rand_a`, variant 0b10, 62 random
 * bits. Ids made by one process are strictly increasing (method 1 of RFC 9562 §6.2: `rand_a` is a
 * counter seeded randomly each millisecond; on overflow the timestamp advances by one), so spend rows
 * sort by creation in the primary-key index.
 *
 * @example uuidv7() // '01934b5e-1f2a-7c3d-9e4f-0123456789ab'
 */
export function uuidv7(now: number = Date.now()): string {
  const rand = random10();
  let ms = now;
  if (ms > lastMs) {
    lastMs = ms;
    // Seed below half the range so that bursts within one millisecond rarely overflow.
    counter = ((rand[0]! << 8) | rand[1]!) & 0x7ff;
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      ms = lastMs;
      counter = 0;
    }
  }
  const b = new Uint8Array(16);
  // 48-bit timestamp, big-endian. Split because bitwise operators truncate to 32 bits.
  const high = Math.floor(ms / 0x1_0000_0000);
  const low = ms >>> 0;
  b[0] = (high >>> 8) & 0xff;
  b[1] = high & 0xff;
  b[2] = (low >>> 24) & 0xff;
  b[3] = (low >>> 16) & 0xff;
  b[4] = (low >>> 8) & 0xff;
  b[5] = low & 0xff;
  b[6] = 0x70 | ((counter >>> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (rand[2]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = rand[i - 6]!;
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[b[i]!];
  }
  return out;
}

/** The Unix milliseconds encoded in a UUIDv7. */
export function uuidv7Timestamp(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
