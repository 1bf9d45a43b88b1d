/** `x` limited to [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
