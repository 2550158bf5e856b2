/**
 * The 128-bit SIMD peak this core reaches from WebAssembly, for the bench's "share of peak":
 * a loop of 10 independent f32x4 multiply-add chains (relaxed_madd, or mul then add for the
 * strict build) with no loads, so only the arithmetic units limit it. 8 FLOP per f32x4 FMA.
 * Compiled here with wabt (a dev dependency); best of 7 timings of 2·10⁷ rounds.
 */
import wabtInit from 'wabt';
import type { SimdChoice } from '../src/engine/model/wasmKernels';
import { wasmSupported } from '../src/engine/model/wasmKernels';

export async function simdPeakGflops(simd: Exclude<SimdChoice, 'auto'>): Promise<number> {
  if (!wasmSupported(simd)) return NaN; // also turns on Node 20's relaxed-SIMD flag
  const acc = Array.from({ length: 10 }, (_, i) => `$a${i}`);
  const madd = (a: string) => (simd === 'relaxed'
    ? `(local.set ${a} (f32x4.relaxed_madd (local.get ${a}) (local.get $x) (local.get $y)))`
    : `(local.set ${a} (f32x4.add (f32x4.mul (local.get ${a}) (local.get $x)) (local.get $y)))`);
  const wat = `(module (func (export "peak") (param $n i32) (result f32) (local $x v128) (local $y v128) ${acc.map((a) => `(local ${a} v128)`).join(' ')}
    (local.set $x (f32x4.splat (f32.const 0.999))) (local.set $y (f32x4.splat (f32.const 0.001)))
    (block $d (loop $l (br_if $d (i32.eqz (local.get $n)))
      ${acc.map(madd).join('\n      ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    (f32x4.extract_lane 0 ${acc.slice(1).reduce((e, a) => `(f32x4.add ${e} (local.get ${a}))`, `(local.get ${acc[0]})`)})))`;
  const wabt = await wabtInit();
  const mod = wabt.parseWat('peak.wat', wat, { simd: true, relaxed_simd: true });
  const peak = new WebAssembly.Instance(new WebAssembly.Module(mod.toBinary({}).buffer)).exports.peak as (n: number) => number;
  peak(1000);
  const rounds = 2e7;
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    peak(rounds);
    best = Math.min(best, performance.now() - t0);
  }
  return (rounds * acc.length * 8) / best / 1e6;
}
