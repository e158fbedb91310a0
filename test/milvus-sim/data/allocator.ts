/**
 * TSO-like allocator. Milvus's rootcoord hands out timestamps as hybrid timestamps
 * (pkg/util/tsoutil: physical milliseconds << 18 | logical counter) and ids from the same kind of
 * allocator, so ids and timestamps are ~4.6e17 — far above 2^53, which is exactly what the JS side must
 * survive. State persists (the caller saves `state()`), and a restart never hands out a value twice.
 */
export const LOGICAL_BITS = 18n;
const LOGICAL_MAX = (1n << LOGICAL_BITS) - 1n;

export interface AllocatorState {
  last: string; // last value handed out
}

export class TsoAllocator {
  private last: bigint;

  constructor(state?: AllocatorState, private readonly now: () => number = Date.now) {
    this.last = state ? BigInt(state.last) : 0n;
  }

  /** Reserves `count` consecutive values and returns the first. */
  allocRange(count = 1): bigint {
    if (count < 1) throw new Error('count must be ≥ 1');
    const n = BigInt(count);
    const physical = BigInt(this.now()) << LOGICAL_BITS;
    let start = this.last + 1n;
    if (physical > start) start = physical;
    // Keep whole ranges inside one millisecond where we can, like the TSO does; if the logical part would
    // overflow we simply continue into the next millisecond's space (still unique and increasing).
    if ((start & LOGICAL_MAX) + n > LOGICAL_MAX && n <= LOGICAL_MAX) {
      start = ((start >> LOGICAL_BITS) + 1n) << LOGICAL_BITS;
    }
    this.last = start + n - 1n;
    return start;
  }

  alloc(): bigint {
    return this.allocRange(1);
  }

  state(): AllocatorState {
    return { last: this.last.toString() };
  }
}

/** Physical milliseconds of a hybrid timestamp (tsoutil.ParseTS). */
export function physicalMs(ts: bigint | string): number {
  return Number(BigInt(ts) >> LOGICAL_BITS);
}

export function composeTs(physicalMs: number, logical = 0): bigint {
  return (BigInt(physicalMs) << LOGICAL_BITS) | BigInt(logical);
}
