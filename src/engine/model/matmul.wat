;; matmul.wat — the engine's hot loops, in WebAssembly SIMD (128-bit, f32x4): the matmul,
;; and at the end of the file the two loops that call exp (attention's softmax rows, GPT-2's GELU).
;;
;;   out[T, OC] = inp[T, C] · w[OC, C]ᵀ (+ bias[OC])
;;
;; All arguments are byte offsets into the imported memory. C must be a multiple of 4
;; (the caller pads otherwise). Row-major, nn.Linear layout for w (see weights.ts).
;; `ldo` is the output's row stride in floats: a call may fill a slice of columns of a
;; wider output (the threads in wasmKernels.ts each take slices of 24 or 32 columns).
;;
;; Two blocked products: matmulPanels (below matmulStrided; packed weight panels, 3 input rows
;; × 12 columns, the relaxed build's kernel) and matmul / matmulStrided, described here (the
;; strict build's, and attention's q·kᵀ).
;; Blocking: 2 weight rows × 4 input rows at a time, each with its own f32x4 accumulator
;; (8 accumulators + 6 loaded vectors fit the 16 xmm registers), so every step loads 6
;; vectors for 8 multiply-adds. The loop runs weight rows outside and input rows inside,
;; so two weight rows (2·C floats) stay in L1 while the input block streams from L2; the
;; caller hands over at most 64 input rows at a time to keep that block in L2.
;; Accumulation is float32, like BLAS; sums are reduced lane-wise at the end of a row.
;;
;; The memory is shared so helper threads (wasmKernels.ts) can each take a slice of the rows.
;; Compiled by tools/build-wasm.mjs into matmulWasm.generated.ts (checked by a test).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; a + b + c + d of the four lanes
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Σ a[i]·b[i] over n floats (n a multiple of 4)
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $acc v128) (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $step)))
    (call $hsum (local.get $acc)))

  (func $biasAt (param $bias i32) (param $o i32) (result f32)
    (if (result f32) (local.get $bias)
      (then (f32.load (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2)))))
      (else (f32.const 0))))

  (func (export "matmul") (param $out i32) (param $inp i32) (param $w i32) (param $bias i32)
                          (param $T i32) (param $C i32) (param $OC i32) (param $ldo i32)
    (call $matmulStrided (local.get $out) (local.get $inp) (local.get $w) (local.get $bias)
      (local.get $T) (local.get $C) (local.get $OC) (local.get $ldo) (local.get $C) (local.get $C)))

  ;; matmul with input rows `ldi` and weight rows `ldw` floats apart (C ≤ both): attention's
  ;; q·kᵀ of one head, its q and k being HD floats of each wider row of q and of K.
  (func $matmulStrided (export "matmulStrided") (param $out i32) (param $inp i32) (param $w i32) (param $bias i32)
                          (param $T i32) (param $C i32) (param $OC i32) (param $ldo i32) (param $ldi i32) (param $ldw i32)
    (local $o i32) (local $t i32) (local $c i32) (local $ldiBytes i32) (local $ldwBytes i32)
    (local $rowBytes i32) (local $w0 i32) (local $w1 i32)
    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $i3 i32)
    (local $x0 v128) (local $x1 v128) (local $v v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $b0 f32) (local $b1 f32) (local $dst i32) (local $T4 i32) (local $OC2 i32)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $ldiBytes (i32.shl (local.get $ldi) (i32.const 2)))
    (local.set $ldwBytes (i32.shl (local.get $ldw) (i32.const 2)))
    (local.set $T4 (i32.and (local.get $T) (i32.const -4)))
    (local.set $OC2 (i32.and (local.get $OC) (i32.const -2)))

    ;; pairs of weight rows
    (local.set $o (i32.const 0))
    (block $oDone
      (loop $oLoop
        (br_if $oDone (i32.ge_u (local.get $o) (local.get $OC2)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $ldwBytes))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $ldwBytes)))
        (local.set $b0 (call $biasAt (local.get $bias) (local.get $o)))
        (local.set $b1 (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 1))))
        ;; blocks of 4 input rows
        (local.set $t (i32.const 0))
        (block $tDone
          (loop $tLoop
            (br_if $tDone (i32.ge_u (local.get $t) (local.get $T4)))
            (local.set $i0 (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $ldiBytes))))
            (local.set $i1 (i32.add (local.get $i0) (local.get $ldiBytes)))
            (local.set $i2 (i32.add (local.get $i1) (local.get $ldiBytes)))
            (local.set $i3 (i32.add (local.get $i2) (local.get $ldiBytes)))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a01 (v128.const i32x4 0 0 0 0))
            (local.set $a10 (v128.const i32x4 0 0 0 0)) (local.set $a11 (v128.const i32x4 0 0 0 0))
            (local.set $a20 (v128.const i32x4 0 0 0 0)) (local.set $a21 (v128.const i32x4 0 0 0 0))
            (local.set $a30 (v128.const i32x4 0 0 0 0)) (local.set $a31 (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $x0 (v128.load (i32.add (local.get $w0) (local.get $c))))
                (local.set $x1 (v128.load (i32.add (local.get $w1) (local.get $c))))
                (local.set $v (v128.load (i32.add (local.get $i0) (local.get $c))))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $v) (local.get $x0))))
                (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $v) (local.get $x1))))
                (local.set $v (v128.load (i32.add (local.get $i1) (local.get $c))))
                (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $v) (local.get $x0))))
                (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $v) (local.get $x1))))
                (local.set $v (v128.load (i32.add (local.get $i2) (local.get $c))))
                (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $v) (local.get $x0))))
                (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $v) (local.get $x1))))
                (local.set $v (v128.load (i32.add (local.get $i3) (local.get $c))))
                (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $v) (local.get $x0))))
                (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $v) (local.get $x1))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cLoop)))
            ;; out[t + r, o] and out[t + r, o + 1]
            (local.set $dst (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $ldo)) (local.get $o)) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $hsum (local.get $a00)) (local.get $b0)))
            (f32.store offset=4 (local.get $dst) (f32.add (call $hsum (local.get $a01)) (local.get $b1)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $ldo) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $hsum (local.get $a10)) (local.get $b0)))
            (f32.store offset=4 (local.get $dst) (f32.add (call $hsum (local.get $a11)) (local.get $b1)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $ldo) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $hsum (local.get $a20)) (local.get $b0)))
            (f32.store offset=4 (local.get $dst) (f32.add (call $hsum (local.get $a21)) (local.get $b1)))
            (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $ldo) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $hsum (local.get $a30)) (local.get $b0)))
            (f32.store offset=4 (local.get $dst) (f32.add (call $hsum (local.get $a31)) (local.get $b1)))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br $tLoop)))
        ;; leftover input rows, one at a time
        (block $rDone
          (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $t) (local.get $T)))
            (local.set $i0 (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $ldiBytes))))
            (local.set $dst (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $ldo)) (local.get $o)) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $dot (local.get $i0) (local.get $w0) (local.get $C)) (local.get $b0)))
            (f32.store offset=4 (local.get $dst) (f32.add (call $dot (local.get $i0) (local.get $w1) (local.get $C)) (local.get $b1)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $rLoop)))
        (local.set $o (i32.add (local.get $o) (i32.const 2)))
        (br $oLoop)))

    ;; a last odd weight row
    (if (i32.lt_u (local.get $o) (local.get $OC))
      (then
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $ldwBytes))))
        (local.set $b0 (call $biasAt (local.get $bias) (local.get $o)))
        (local.set $t (i32.const 0))
        (block $lDone
          (loop $lLoop
            (br_if $lDone (i32.ge_u (local.get $t) (local.get $T)))
            (f32.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $ldo)) (local.get $o)) (i32.const 2)))
              (f32.add (call $dot (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $ldiBytes))) (local.get $w0) (local.get $C)) (local.get $b0)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $lLoop))))))
  ;; The blocked product with packed weight panels (the kernel for ≥ 4 input rows;
  ;; wasmKernels.ts): the same out[T, OC] = inp[T, C] · w[OC, C]ᵀ (+ bias), W = 12 output
  ;; columns at a time ($wide = 0, the relaxed build's) or 16 ($wide = 1, panelRows16: 2 rows ×
  ;; 16 columns, the strict build's, whose separate mul needs a register more). Each thread
  ;; first packs its W weight rows into its own `panel` scratch (C × W floats, then 16 for the
  ;; bias and 36 for a partial panel's stores), transposed so that input column c's W weights are
  ;; adjacent f32x4: panel[c][0..W). Then, with W = 12, for
  ;; every 3 input rows, 9 accumulators (3 rows × 12 columns, started at the bias) take
  ;; splat(inp[t + r][c]) × panel[c] per c: 3 vector loads and 3 splats for 9 multiply-adds,
  ;; with no lane sums at the end. 9 FMA chains cover the FMA's latency on two pipes; 12
  ;; accumulators (4 × 12, 6 × 8) spill out of V8's 15 usable xmm registers here and run
  ;; at half the speed. Packing costs 12·C loads and stores per panel against its T·C·12
  ;; multiply-adds. T not a multiple of 3: the last block starts at T − 3 (redoing up to two
  ;; rows, the same sums stored again); a last panel under 12 columns repeats its first weight
  ;; row and stores only its columns. C a multiple of 4; T ≥ 3 (fewer rows take matvec).
  (func (export "matmulPanels") (param $out i32) (param $inp i32) (param $w i32) (param $bias i32)
                                (param $T i32) (param $C i32) (param $OC i32) (param $ldo i32) (param $panel i32) (param $wide i32)
    (local $W i32) (local $PB i32) (local $o i32) (local $n i32) (local $t i32) (local $c i32) (local $g i32) (local $j i32)
    (local $rowBytes i32) (local $ldoBytes i32) (local $pend i32) (local $bp i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $d i32)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $u v128) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $ldoBytes (i32.shl (local.get $ldo) (i32.const 2)))
    (local.set $W (select (i32.const 16) (i32.const 12) (local.get $wide)))
    (local.set $PB (i32.shl (local.get $W) (i32.const 2)))
    (local.set $pend (i32.add (local.get $panel) (i32.mul (local.get $rowBytes) (local.get $W))))
    (local.set $bp (local.get $pend))
    (block $oDone
      (loop $oLoop
        (br_if $oDone (i32.ge_u (local.get $o) (local.get $OC)))
        (local.set $n (select (local.get $W) (i32.sub (local.get $OC) (local.get $o))
          (i32.ge_u (i32.sub (local.get $OC) (local.get $o)) (local.get $W))))
        ;; pack rows o … o+11 (a missing row: row o again), four rows at a time, 4×4 transposes
        (local.set $g (i32.const 0))
        (block $gDone
          (loop $gLoop
            (br_if $gDone (i32.ge_u (i32.shl (local.get $g) (i32.const 2)) (local.get $W)))
            (local.set $j (i32.add (local.get $o) (i32.shl (local.get $g) (i32.const 2))))
            (local.set $r0 (i32.add (local.get $w) (i32.mul (select (local.get $j) (local.get $o) (i32.lt_u (local.get $j) (local.get $OC))) (local.get $rowBytes))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $r1 (i32.add (local.get $w) (i32.mul (select (local.get $j) (local.get $o) (i32.lt_u (local.get $j) (local.get $OC))) (local.get $rowBytes))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $r2 (i32.add (local.get $w) (i32.mul (select (local.get $j) (local.get $o) (i32.lt_u (local.get $j) (local.get $OC))) (local.get $rowBytes))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (local.set $r3 (i32.add (local.get $w) (i32.mul (select (local.get $j) (local.get $o) (i32.lt_u (local.get $j) (local.get $OC))) (local.get $rowBytes))))
            (local.set $d (i32.add (local.get $panel) (i32.shl (local.get $g) (i32.const 4))))
            (local.set $c (i32.const 0))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $q0 (v128.load (i32.add (local.get $r0) (local.get $c))))
                (local.set $q1 (v128.load (i32.add (local.get $r1) (local.get $c))))
                (local.set $q2 (v128.load (i32.add (local.get $r2) (local.get $c))))
                (local.set $q3 (v128.load (i32.add (local.get $r3) (local.get $c))))
                ;; u = r0.0 r1.0 r0.1 r1.1, v = r2.0 r3.0 r2.1 r3.1 → columns c, c + 1
                (local.set $u (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $q0) (local.get $q1)))
                (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $q2) (local.get $q3)))
                (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v)))
                (v128.store (i32.add (local.get $d) (local.get $PB)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v)))
                ;; the same of lanes 2 and 3 → columns c + 2, c + 3
                (local.set $u (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $q0) (local.get $q1)))
                (local.set $v (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $q2) (local.get $q3)))
                (v128.store (i32.add (local.get $d) (i32.shl (local.get $PB) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v)))
                (v128.store (i32.add (local.get $d) (i32.mul (local.get $PB) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v)))
                (local.set $d (i32.add (local.get $d) (i32.shl (local.get $PB) (i32.const 2))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cLoop)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $gLoop)))
        ;; the panel's bias, zeros past its n columns (or everywhere without a bias)
        (local.set $j (i32.const 0))
        (block $bDone
          (loop $bLoop
            (br_if $bDone (i32.ge_u (local.get $j) (local.get $W)))
            (f32.store (i32.add (local.get $bp) (i32.shl (local.get $j) (i32.const 2)))
              (if (result f32) (i32.and (i32.ne (local.get $bias) (i32.const 0)) (i32.lt_u (local.get $j) (local.get $n)))
                (then (f32.load (i32.add (local.get $bias) (i32.shl (i32.add (local.get $o) (local.get $j)) (i32.const 2)))))
                (else (f32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $bLoop)))
        (if (local.get $wide)
          (then (call $panelRows16 (local.get $out) (local.get $inp) (local.get $T) (local.get $rowBytes) (local.get $ldoBytes)
            (local.get $o) (local.get $n) (local.get $panel) (local.get $pend)))
          (else (call $panelRows (local.get $out) (local.get $inp) (local.get $T) (local.get $rowBytes) (local.get $ldoBytes)
            (local.get $o) (local.get $n) (local.get $panel) (local.get $pend))))
        (local.set $o (i32.add (local.get $o) (local.get $W)))
        (br $oLoop))))

  ;; matmulPanels' inner part: one packed panel (at $panel … $pend, its bias at $pend) against
  ;; every input row, 3 rows a step, storing columns o … o+n−1 of each row. Its own function, so
  ;; V8 allocates the 9 accumulators' registers without the packing loop's values around
  ;; (inside matmulPanels it ran ~15% slower here, as it did with per-row bounds in the loop).
  (func $panelRows (param $out i32) (param $inp i32) (param $T i32) (param $rowBytes i32) (param $ldoBytes i32)
                   (param $o i32) (param $n i32) (param $panel i32) (param $pend i32)
    (local $t i32) (local $c i32) (local $p i32) (local $bp i32) (local $tmp i32)
    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $dst i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $s v128)
    (local $a00 v128) (local $a01 v128) (local $a02 v128)
    (local $a10 v128) (local $a11 v128) (local $a12 v128)
    (local $a20 v128) (local $a21 v128) (local $a22 v128)
    (local.set $bp (local.get $pend))
    (local.set $tmp (i32.add (local.get $pend) (i32.const 64)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $T)))
        ;; the last block ends at row T: it starts at T − 3, redoing (and storing again) rows already done
        (local.set $t (select (local.get $t) (i32.sub (local.get $T) (i32.const 3)) (i32.le_u (i32.add (local.get $t) (i32.const 3)) (local.get $T))))
        (local.set $i0 (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $i1 (i32.add (local.get $i0) (local.get $rowBytes)))
        (local.set $i2 (i32.add (local.get $i1) (local.get $rowBytes)))
        (local.set $a00 (v128.load (local.get $bp))) (local.set $a01 (v128.load offset=16 (local.get $bp))) (local.set $a02 (v128.load offset=32 (local.get $bp)))
        (local.set $a10 (local.get $a00)) (local.set $a11 (local.get $a01)) (local.set $a12 (local.get $a02))
        (local.set $a20 (local.get $a00)) (local.set $a21 (local.get $a01)) (local.set $a22 (local.get $a02))
        (local.set $p (local.get $panel))
        (local.set $c (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $x0 (v128.load (local.get $p)))
            (local.set $x1 (v128.load offset=16 (local.get $p)))
            (local.set $x2 (v128.load offset=32 (local.get $p)))
            (local.set $s (v128.load32_splat (i32.add (local.get $i0) (local.get $c))))
            (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $x0))))
            (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $x1))))
            (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s) (local.get $x2))))
            (local.set $s (v128.load32_splat (i32.add (local.get $i1) (local.get $c))))
            (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $x0))))
            (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $x1))))
            (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s) (local.get $x2))))
            (local.set $s (v128.load32_splat (i32.add (local.get $i2) (local.get $c))))
            (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $x0))))
            (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $x1))))
            (local.set $a22 (f32x4.add (local.get $a22) (f32x4.mul (local.get $s) (local.get $x2))))
            (local.set $p (i32.add (local.get $p) (i32.const 48)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $kLoop)))
        (local.set $dst (i32.add (local.get $out) (i32.add (i32.mul (local.get $t) (local.get $ldoBytes)) (i32.shl (local.get $o) (i32.const 2)))))
        (if (i32.eq (local.get $n) (i32.const 12))
          (then
            (v128.store (local.get $dst) (local.get $a00)) (v128.store offset=16 (local.get $dst) (local.get $a01)) (v128.store offset=32 (local.get $dst) (local.get $a02))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldoBytes)))
            (v128.store (local.get $dst) (local.get $a10)) (v128.store offset=16 (local.get $dst) (local.get $a11)) (v128.store offset=32 (local.get $dst) (local.get $a12))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldoBytes)))
            (v128.store (local.get $dst) (local.get $a20)) (v128.store offset=16 (local.get $dst) (local.get $a21)) (v128.store offset=32 (local.get $dst) (local.get $a22)))
          (else ;; a partial panel: through the tmp rows, n floats each
            (v128.store (local.get $tmp) (local.get $a00)) (v128.store offset=16 (local.get $tmp) (local.get $a01)) (v128.store offset=32 (local.get $tmp) (local.get $a02))
            (v128.store offset=48 (local.get $tmp) (local.get $a10)) (v128.store offset=64 (local.get $tmp) (local.get $a11)) (v128.store offset=80 (local.get $tmp) (local.get $a12))
            (v128.store offset=96 (local.get $tmp) (local.get $a20)) (v128.store offset=112 (local.get $tmp) (local.get $a21)) (v128.store offset=128 (local.get $tmp) (local.get $a22))
            (memory.copy (local.get $dst) (local.get $tmp) (i32.shl (local.get $n) (i32.const 2)))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldoBytes)))
            (memory.copy (local.get $dst) (i32.add (local.get $tmp) (i32.const 48)) (i32.shl (local.get $n) (i32.const 2)))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldoBytes)))
            (memory.copy (local.get $dst) (i32.add (local.get $tmp) (i32.const 96)) (i32.shl (local.get $n) (i32.const 2)))))
        (local.set $t (i32.add (local.get $t) (i32.const 3)))
        (br $tLoop))))
  ;; matmulPanels' inner part for 16-column panels: 2 input rows × 16 columns a step, 8
  ;; accumulators (4 panel vectors, a splat and mul's result stay in registers: the strict
  ;; build's 3 × 12 spills, ~19 GFLOP/s against ~38 here). T ≥ 2; the last block starts at T − 2.
  (func $panelRows16 (param $out i32) (param $inp i32) (param $T i32) (param $rowBytes i32) (param $ldoBytes i32)
                     (param $o i32) (param $n i32) (param $panel i32) (param $pend i32)
    (local $t i32) (local $c i32) (local $p i32) (local $bp i32) (local $tmp i32)
    (local $i0 i32) (local $i1 i32) (local $dst i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $s v128)
    (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a03 v128)
    (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a13 v128)
    (local.set $bp (local.get $pend))
    (local.set $tmp (i32.add (local.get $pend) (i32.const 64)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $t (select (local.get $t) (i32.sub (local.get $T) (i32.const 2)) (i32.le_u (i32.add (local.get $t) (i32.const 2)) (local.get $T))))
        (local.set $i0 (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $i1 (i32.add (local.get $i0) (local.get $rowBytes)))
        (local.set $a00 (v128.load (local.get $bp))) (local.set $a01 (v128.load offset=16 (local.get $bp)))
        (local.set $a02 (v128.load offset=32 (local.get $bp))) (local.set $a03 (v128.load offset=48 (local.get $bp)))
        (local.set $a10 (local.get $a00)) (local.set $a11 (local.get $a01)) (local.set $a12 (local.get $a02)) (local.set $a13 (local.get $a03))
        (local.set $p (local.get $panel))
        (local.set $c (i32.const 0))
        (block $kDone
          (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $x0 (v128.load (local.get $p)))
            (local.set $x1 (v128.load offset=16 (local.get $p)))
            (local.set $x2 (v128.load offset=32 (local.get $p)))
            (local.set $x3 (v128.load offset=48 (local.get $p)))
            (local.set $s (v128.load32_splat (i32.add (local.get $i0) (local.get $c))))
            (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $x0))))
            (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $x1))))
            (local.set $a02 (f32x4.add (local.get $a02) (f32x4.mul (local.get $s) (local.get $x2))))
            (local.set $a03 (f32x4.add (local.get $a03) (f32x4.mul (local.get $s) (local.get $x3))))
            (local.set $s (v128.load32_splat (i32.add (local.get $i1) (local.get $c))))
            (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $x0))))
            (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $x1))))
            (local.set $a12 (f32x4.add (local.get $a12) (f32x4.mul (local.get $s) (local.get $x2))))
            (local.set $a13 (f32x4.add (local.get $a13) (f32x4.mul (local.get $s) (local.get $x3))))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $kLoop)))
        (local.set $dst (i32.add (local.get $out) (i32.add (i32.mul (local.get $t) (local.get $ldoBytes)) (i32.shl (local.get $o) (i32.const 2)))))
        (if (i32.eq (local.get $n) (i32.const 16))
          (then
            (v128.store (local.get $dst) (local.get $a00)) (v128.store offset=16 (local.get $dst) (local.get $a01))
            (v128.store offset=32 (local.get $dst) (local.get $a02)) (v128.store offset=48 (local.get $dst) (local.get $a03))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldoBytes)))
            (v128.store (local.get $dst) (local.get $a10)) (v128.store offset=16 (local.get $dst) (local.get $a11))
            (v128.store offset=32 (local.get $dst) (local.get $a12)) (v128.store offset=48 (local.get $dst) (local.get $a13)))
          (else ;; a partial panel: through the tmp rows, n floats each
            (v128.store (local.get $tmp) (local.get $a00)) (v128.store offset=16 (local.get $tmp) (local.get $a01))
            (v128.store offset=32 (local.get $tmp) (local.get $a02)) (v128.store offset=48 (local.get $tmp) (local.get $a03))
            (v128.store offset=64 (local.get $tmp) (local.get $a10)) (v128.store offset=80 (local.get $tmp) (local.get $a11))
            (v128.store offset=96 (local.get $tmp) (local.get $a12)) (v128.store offset=112 (local.get $tmp) (local.get $a13))
            (memory.copy (local.get $dst) (local.get $tmp) (i32.shl (local.get $n) (i32.const 2)))
            (memory.copy (i32.add (local.get $dst) (local.get $ldoBytes)) (i32.add (local.get $tmp) (i32.const 64)) (i32.shl (local.get $n) (i32.const 2)))))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br $tLoop))))

;; out[T, OC] for a few input rows (decode: T = 1), one input row at a time against 8 weight rows,
  ;; each with its own accumulator, so eight independent multiply-add chains hide the add's
  ;; latency and eight weight streams keep the memory busy (8 rows read 6–20% faster than 4
  ;; here); the input row stays in L1 and every weight row is read once per input row. This
  ;; is the matrix–vector product of incremental decoding: bound by reading the weights, so
  ;; it only has to keep the loads busy (the threads take 64-row items of it, as of matmul).
  (func (export "matvec") (param $out i32) (param $inp i32) (param $w i32) (param $bias i32)
                          (param $T i32) (param $C i32) (param $OC i32) (param $ldo i32)
    (call $matvecStrided (local.get $out) (local.get $inp) (local.get $w) (local.get $bias)
      (local.get $T) (local.get $C) (local.get $OC) (local.get $ldo) (local.get $C)))

  ;; matvec with weight rows `ldw` floats apart (C ≤ ldw): attention's q·kᵀ over the rows of
  ;; a KV cache, where one head's k is HD floats of each NKV·HD-wide row.
  (func $matvecStrided (export "matvecStrided") (param $out i32) (param $inp i32) (param $w i32) (param $bias i32)
                          (param $T i32) (param $C i32) (param $OC i32) (param $ldo i32) (param $ldw i32)
    (local $o i32) (local $t i32) (local $c i32) (local $rowBytes i32) (local $OC8 i32) (local $ldwBytes i32)
    (local $i0 i32) (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $dst i32)
    (local $v v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $w4 i32) (local $w5 i32) (local $w6 i32) (local $w7 i32)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $ldwBytes (i32.shl (local.get $ldw) (i32.const 2)))
    (local.set $OC8 (i32.and (local.get $OC) (i32.const -8)))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $i0 (i32.add (local.get $inp) (i32.mul (local.get $t) (local.get $rowBytes))))
        (local.set $o (i32.const 0))
        (block $oDone
          (loop $oLoop
            (br_if $oDone (i32.ge_u (local.get $o) (local.get $OC8)))
            (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $ldwBytes))))
            (local.set $w1 (i32.add (local.get $w0) (local.get $ldwBytes)))
            (local.set $w2 (i32.add (local.get $w1) (local.get $ldwBytes)))
            (local.set $w3 (i32.add (local.get $w2) (local.get $ldwBytes)))
            (local.set $w4 (i32.add (local.get $w3) (local.get $ldwBytes)))
            (local.set $w5 (i32.add (local.get $w4) (local.get $ldwBytes)))
            (local.set $w6 (i32.add (local.get $w5) (local.get $ldwBytes)))
            (local.set $w7 (i32.add (local.get $w6) (local.get $ldwBytes)))
            (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
            (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
                (local.set $v (v128.load (i32.add (local.get $i0) (local.get $c))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w0) (local.get $c))))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w1) (local.get $c))))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w2) (local.get $c))))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w3) (local.get $c))))))
                (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w4) (local.get $c))))))
                (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w5) (local.get $c))))))
                (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w6) (local.get $c))))))
                (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w7) (local.get $c))))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cLoop)))
            (local.set $dst (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $ldo)) (local.get $o)) (i32.const 2))))
            (f32.store (local.get $dst) (f32.add (call $hsum (local.get $a0)) (call $biasAt (local.get $bias) (local.get $o))))
            (f32.store offset=4 (local.get $dst) (f32.add (call $hsum (local.get $a1)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 1)))))
            (f32.store offset=8 (local.get $dst) (f32.add (call $hsum (local.get $a2)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 2)))))
            (f32.store offset=12 (local.get $dst) (f32.add (call $hsum (local.get $a3)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 3)))))
            (f32.store offset=16 (local.get $dst) (f32.add (call $hsum (local.get $a4)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 4)))))
            (f32.store offset=20 (local.get $dst) (f32.add (call $hsum (local.get $a5)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 5)))))
            (f32.store offset=24 (local.get $dst) (f32.add (call $hsum (local.get $a6)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 6)))))
            (f32.store offset=28 (local.get $dst) (f32.add (call $hsum (local.get $a7)) (call $biasAt (local.get $bias) (i32.add (local.get $o) (i32.const 7)))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $oLoop)))
        ;; the last OC mod 8 weight rows
        (block $lDone
          (loop $lLoop
            (br_if $lDone (i32.ge_u (local.get $o) (local.get $OC)))
            (f32.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $ldo)) (local.get $o)) (i32.const 2)))
              (f32.add (call $dot (local.get $i0) (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $ldwBytes))) (local.get $C))
                       (call $biasAt (local.get $bias) (local.get $o))))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $lLoop)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tLoop))))

  ;; One head of a whole input's attention (wasmKernels.ts's attendHeads, the threads taking
  ;; heads from the same counter as matmul's items). The arguments are a block of i32 at $args
  ;; (bytes): q 0, k 4, v 8 (head 0's rows), ldq 12, ldk 16, ldv 20 (floats), Tq 24, Tk 28,
  ;; HD 32, group 36 (query heads per K/V head), mask 40 (0: each head's own, at the end of its
  ;; slot), slots 44, slot bytes 48, concat 52, QD 56, keep raw 60, first head 64, and the scale
  ;; as f64 at 72. Head h = first + $i, K/V head g = h ÷ group (rounded down), slot = slots + $i · slot bytes:
  ;;   weights = q_h · k_gᵀ (matmulStrided)     [Tq, Tk] at slot + Tq·Tk·4
  ;;   raw     = a copy of them, when kept       [Tq, Tk] at slot
  ;;   softmaxRows(weights, mask) in place, each row's max and sum at slot + 2·Tq·Tk·4
  ;;   concat[t, h·HD …] = weights[t] · V_g (weightedRows up to the row's last nonzero weight:
  ;;   a causal row skips the keys after it), every query row t.
  (func (export "attendHeadAt") (param $args i32) (param $i i32)
    (local $h i32) (local $g i32) (local $HD i32) (local $Tq i32) (local $Tk i32) (local $QD i32)
    (local $slot i32) (local $sq i32) (local $wts i32) (local $row i32) (local $t i32) (local $n i32) (local $mask i32)
    (local $vh i32) (local $outRow i32)
    (local.set $h (i32.add (i32.load offset=64 (local.get $args)) (local.get $i)))
    (local.set $g (i32.div_u (local.get $h) (i32.load offset=36 (local.get $args))))
    (local.set $HD (i32.load offset=32 (local.get $args)))
    (local.set $Tq (i32.load offset=24 (local.get $args)))
    (local.set $Tk (i32.load offset=28 (local.get $args)))
    (local.set $QD (i32.load offset=56 (local.get $args)))
    (local.set $sq (i32.shl (i32.mul (local.get $Tq) (local.get $Tk)) (i32.const 2)))
    (local.set $slot (i32.add (i32.load offset=44 (local.get $args)) (i32.mul (local.get $i) (i32.load offset=48 (local.get $args)))))
    (local.set $wts (i32.add (local.get $slot) (local.get $sq)))
    (local.set $mask (i32.load offset=40 (local.get $args)))
    (if (i32.eqz (local.get $mask))
      (then (local.set $mask (i32.add (i32.add (local.get $wts) (local.get $sq)) (i32.shl (local.get $Tq) (i32.const 3))))))
    (call $matmulStrided (local.get $wts)
      (i32.add (i32.load (local.get $args)) (i32.shl (i32.mul (local.get $h) (local.get $HD)) (i32.const 2)))
      (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (i32.mul (local.get $g) (local.get $HD)) (i32.const 2)))
      (i32.const 0) (local.get $Tq) (local.get $HD) (local.get $Tk) (local.get $Tk)
      (i32.load offset=12 (local.get $args)) (i32.load offset=16 (local.get $args)))
    (if (i32.load offset=60 (local.get $args))
      (then (memory.copy (local.get $slot) (local.get $wts) (local.get $sq))))
    (call $softmaxRows (local.get $wts) (local.get $mask) (i32.add (local.get $wts) (local.get $sq))
      (local.get $Tq) (local.get $Tk) (f64.load offset=72 (local.get $args)))
    (local.set $vh (i32.add (i32.load offset=8 (local.get $args)) (i32.shl (i32.mul (local.get $g) (local.get $HD)) (i32.const 2))))
    (local.set $outRow (i32.add (i32.load offset=52 (local.get $args)) (i32.shl (i32.mul (local.get $h) (local.get $HD)) (i32.const 2))))
    (local.set $row (local.get $wts))
    (block $tDone
      (loop $tLoop
        (br_if $tDone (i32.ge_u (local.get $t) (local.get $Tq)))
        (local.set $n (local.get $Tk))
        (block $zDone
          (loop $zLoop
            (br_if $zDone (i32.eqz (local.get $n)))
            (br_if $zDone (f32.ne (f32.load (i32.add (local.get $row) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 2)))) (f32.const 0)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $zLoop)))
        (call $weightedRows (local.get $outRow) (local.get $row) (local.get $vh) (local.get $n) (local.get $HD) (i32.load offset=20 (local.get $args)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $Tk) (i32.const 2))))
        (local.set $outRow (i32.add (local.get $outRow) (i32.shl (local.get $QD) (i32.const 2))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tLoop))))

    ;; out[HD] = Σ_s p[s] · v[s·ldv … s·ldv + HD) over n rows (HD a multiple of 4): attention's
  ;; weights · V for one query of one head, straight from the rows of a KV cache. 32 floats
  ;; (8 accumulators) a pass over the rows, then 4 at a time.
  (func $weightedRows (export "weightedRows") (param $out i32) (param $p i32) (param $v i32) (param $n i32) (param $HD i32) (param $ldv i32)
    (local $j i32) (local $s i32) (local $row i32) (local $vBytes i32) (local $end i32) (local $ps v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $vBytes (i32.shl (local.get $ldv) (i32.const 2)))
    (local.set $end (i32.shl (local.get $HD) (i32.const 2)))
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 128)) (local.get $end)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
        (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
        (local.set $row (i32.add (local.get $v) (local.get $j)))
        (local.set $s (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $s) (local.get $n)))
            (local.set $ps (v128.load32_splat (i32.add (local.get $p) (i32.shl (local.get $s) (i32.const 2)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $ps) (v128.load (local.get $row)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $ps) (v128.load offset=16 (local.get $row)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $ps) (v128.load offset=32 (local.get $row)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $ps) (v128.load offset=48 (local.get $row)))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $ps) (v128.load offset=64 (local.get $row)))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $ps) (v128.load offset=80 (local.get $row)))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $ps) (v128.load offset=96 (local.get $row)))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $ps) (v128.load offset=112 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (local.get $vBytes)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $rows)))
        (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (local.get $j)) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $out) (local.get $j)) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $out) (local.get $j)) (local.get $a3))
        (v128.store offset=64 (i32.add (local.get $out) (local.get $j)) (local.get $a4))
        (v128.store offset=80 (i32.add (local.get $out) (local.get $j)) (local.get $a5))
        (v128.store offset=96 (i32.add (local.get $out) (local.get $j)) (local.get $a6))
        (v128.store offset=112 (i32.add (local.get $out) (local.get $j)) (local.get $a7))
        (local.set $j (i32.add (local.get $j) (i32.const 128)))
        (br $wide)))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $row (i32.add (local.get $v) (local.get $j)))
        (local.set $s (i32.const 0))
        (block $rowsDone2
          (loop $rows2
            (br_if $rowsDone2 (i32.ge_u (local.get $s) (local.get $n)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (i32.add (local.get $p) (i32.shl (local.get $s) (i32.const 2)))) (v128.load (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (local.get $vBytes)))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $rows2)))
        (v128.store (i32.add (local.get $out) (local.get $j)) (local.get $a0))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $narrow))))

  
;; e^x of four lanes, Cephes' expf: x = n·ln 2 + r with |r| ≤ ½ ln 2 (ln 2 split in two
  ;; so n·ln 2 is exact), e^r by a degree-7 polynomial, 2^n built in the exponent bits.
  ;; x is clamped to [−87.3, 88.3], where 2^n and the result stay normal floats; above
  ;; that the answer is +∞, as e^x overflows a float there. Relative error < 1e-6 (tested).
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $over v128)
    (local.set $over (f32x4.gt (local.get $x) (v128.const f32x4 88.3 88.3 88.3 88.3)))
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)) (v128.const f32x4 88.3 88.3 88.3 88.3)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (v128.bitselect (v128.const f32x4 inf inf inf inf)
      (f32x4.mul (local.get $p)
        (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
      (local.get $over)))

  ;; GELU, tanh form (GPT-2's gelu_new), in place over n floats (n a multiple of 4):
  ;; x / (1 + e^(−2u)), u = √(2/π)·(x + 0.044715·x³), so −2u = x·(k₁ + k₂·x²).
  (func (export "geluTanh") (param $at i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $x (v128.load (local.get $at)))
        (v128.store (local.get $at)
          (f32x4.div (local.get $x)
            (f32x4.add (v128.const f32x4 1 1 1 1)
              (call $exp4 (f32x4.mul (local.get $x)
                (f32x4.add (v128.const f32x4 -1.5957691216057308 -1.5957691216057308 -1.5957691216057308 -1.5957691216057308)
                  (f32x4.mul (v128.const f32x4 -0.07135481627159 -0.07135481627159 -0.07135481627159 -0.07135481627159)
                    (f32x4.mul (local.get $x) (local.get $x)))))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $step))))
;; SiLU (swish, Llama's FFN gate), in place over n floats (n a multiple of 4): x / (1 + e^(−x)).
  (func (export "silu") (param $at i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $x (v128.load (local.get $at)))
        (v128.store (local.get $at)
          (f32x4.div (local.get $x) (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $x))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $step))))
;; f32(x · scale) lane by lane, the product taken in float64 (so it rounds exactly as
  ;; Math.fround(x * scale) does in the engine's TypeScript)
  (func $scale4 (param $v v128) (param $s v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (local.get $v)) (local.get $s)))
      (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))) (local.get $s)))))

  ;; Softmax of `rows` rows of n scores, in place at $at, the max subtracted:
  ;; m = f32(raw · scale) + mask (mask 0 or −∞; at $mask, laid out like the scores),
  ;; w = e^(m − max) / Σ e^(m − max). Masked keys get exactly 0; a row masked everywhere gets
  ;; all zeros. Each row's max and sum go to $stats (2 floats a row) when it is not 0.
  (func $softmaxRows (export "softmaxRows") (param $at i32) (param $mask i32) (param $stats i32) (param $rows i32) (param $n i32) (param $scale f64)
    (local $row i32) (local $i i32) (local $end i32) (local $whole i32) (local $rowBytes i32) (local $live i32) (local $liveBytes i32) (local $liveWhole i32)
    (local $p i32) (local $q i32)
    (local $vmax v128) (local $vsum v128) (local $m v128) (local $e v128) (local $vs v128)
    (local $max f32) (local $sum f32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $whole (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $vs (f64x2.splat (local.get $scale)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $p (i32.add (local.get $at) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $q (i32.add (local.get $mask) (i32.mul (local.get $row) (local.get $rowBytes))))
        ;; keys after the row's last unmasked one (a causal row's future) get 0 without exp: live = that key + 1
        (local.set $live (local.get $n))
        (block $sd (loop $sl
          (br_if $sd (i32.eqz (local.get $live)))
          (br_if $sd (f32.ne (f32.load (i32.add (local.get $q) (i32.shl (i32.sub (local.get $live) (i32.const 1)) (i32.const 2)))) (f32.const -inf)))
          (local.set $live (i32.sub (local.get $live) (i32.const 1)))
          (br $sl)))
        (local.set $liveBytes (i32.shl (local.get $live) (i32.const 2)))
        (local.set $liveWhole (i32.shl (i32.and (local.get $live) (i32.const -4)) (i32.const 2)))
        (memory.fill (i32.add (local.get $p) (local.get $liveBytes)) (i32.const 0) (i32.sub (local.get $rowBytes) (local.get $liveBytes)))
        ;; scale in place, and the row max (lanes, then the tail one float at a time)
        (local.set $vmax (v128.const f32x4 -inf -inf -inf -inf))
        (local.set $i (i32.const 0))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $i) (local.get $liveWhole)))
          (local.set $m (call $scale4 (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $vs)))
          (v128.store (i32.add (local.get $p) (local.get $i)) (local.get $m))
          (local.set $vmax (f32x4.max (local.get $vmax) (f32x4.add (local.get $m) (v128.load (i32.add (local.get $q) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $l1)))
        (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
                                 (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax)))))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $i) (local.get $liveBytes)))
          (f32.store (i32.add (local.get $p) (local.get $i))
            (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $i)))) (local.get $scale))))
          (local.set $max (f32.max (local.get $max)
            (f32.add (f32.load (i32.add (local.get $p) (local.get $i))) (f32.load (i32.add (local.get $q) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $l2)))
        (local.set $sum (f32.const 0))
        (if (f32.eq (local.get $max) (f32.const -inf))
          (then (memory.fill (local.get $p) (i32.const 0) (local.get $rowBytes)))
          (else
            ;; e^(m − max), 0 where masked, summed lane-wise
            (local.set $vsum (v128.const f32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $d3 (loop $l3
              (br_if $d3 (i32.ge_u (local.get $i) (local.get $liveBytes)))
              (if (i32.lt_u (local.get $i) (local.get $liveWhole))
                (then (local.set $m (f32x4.add (v128.load (i32.add (local.get $p) (local.get $i))) (v128.load (i32.add (local.get $q) (local.get $i))))))
                (else (local.set $m (f32x4.replace_lane 0 (v128.const f32x4 -inf -inf -inf -inf)
                  (f32.add (f32.load (i32.add (local.get $p) (local.get $i))) (f32.load (i32.add (local.get $q) (local.get $i))))))))
              (local.set $e (v128.bitselect (v128.const f32x4 0 0 0 0)
                (call $exp4 (f32x4.sub (local.get $m) (f32x4.splat (local.get $max))))
                (f32x4.eq (local.get $m) (v128.const f32x4 -inf -inf -inf -inf))))
              (local.set $vsum (f32x4.add (local.get $vsum) (local.get $e)))
              (if (i32.lt_u (local.get $i) (local.get $liveWhole))
                (then (v128.store (i32.add (local.get $p) (local.get $i)) (local.get $e))
                      (local.set $i (i32.add (local.get $i) (i32.const 16))))
                (else (f32.store (i32.add (local.get $p) (local.get $i)) (f32x4.extract_lane 0 (local.get $e)))
                      (local.set $i (i32.add (local.get $i) (i32.const 4)))))
              (br $l3)))
            (local.set $sum (call $hsum (local.get $vsum)))
            ;; ÷ Σ
            (local.set $e (f32x4.splat (f32.div (f32.const 1) (local.get $sum))))
            (local.set $i (i32.const 0))
            (block $d4 (loop $l4
              (br_if $d4 (i32.ge_u (local.get $i) (local.get $liveWhole)))
              (v128.store (i32.add (local.get $p) (local.get $i)) (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $e)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br $l4)))
            (block $d5 (loop $l5
              (br_if $d5 (i32.ge_u (local.get $i) (local.get $liveBytes)))
              (f32.store (i32.add (local.get $p) (local.get $i)) (f32.mul (f32.load (i32.add (local.get $p) (local.get $i))) (f32x4.extract_lane 0 (local.get $e))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br $l5)))))
        (if (local.get $stats)
          (then
            (f32.store (i32.add (local.get $stats) (i32.shl (local.get $row) (i32.const 3))) (local.get $max))
            (f32.store offset=4 (i32.add (local.get $stats) (i32.shl (local.get $row) (i32.const 3))) (local.get $sum))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rowLoop))))
)
