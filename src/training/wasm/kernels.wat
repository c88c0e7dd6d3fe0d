;; Hot loops of the training kernels that TF.js 4.22's `wasm` backend lacks
;; or runs slowly. The module has no memory of its own: it imports the
;; backend's linear memory, so every pointer argument is a byte offset into
;; the backend's heap (a tensor's `memoryOffset`). It has no data segments and
;; no globals, so instantiating it writes nothing into that memory.
;;
;; All tensors are float32, row-major. build.mjs compiles this file twice: once
;; importing a plain memory and once importing a shared memory (the threaded
;; backend build); build.mjs fills in the memory type of the import below.
;; Each of those is compiled twice more: @MADD@ (a * b + c on four lanes)
;; becomes f32x4.relaxed_madd, which Chromium lowers to one fused
;; multiply-add, or f32x4.mul then f32x4.add where relaxed SIMD is missing.

(module
  (import "env" "memory" @MEMORY_TYPE@)

  ;; dst[0..count) = src[0..count), four floats per step.
  (func $copy (export "copy") (param $dst i32) (param $src i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (block $vector_done
      (loop $vector
        (br_if $vector_done
          (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vector)))
    (block $scalar_done
      (loop $scalar
        (br_if $scalar_done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $scalar))))

  ;; dst[0..count) = 0.
  (func $zero (param $dst i32) (param $count i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $count) (i32.const 2))))

  ;; Transposes a rows x cols matrix whose rows are src_stride floats apart
  ;; into dst, whose rows are dst_stride floats apart:
  ;; dst[c * dst_stride + r] = src[r * src_stride + c].
  ;; Full 4x4 tiles go through SIMD shuffles; the right and bottom edges that
  ;; do not fill a tile are copied one float at a time.
  (func $transpose (export "transpose")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $src_stride i32) (param $dst_stride i32)
    (local $r i32) (local $c i32) (local $rows4 i32) (local $cols4 i32)
    (local $src_row_bytes i32) (local $dst_row_bytes i32) (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $e v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $src_row_bytes (i32.shl (local.get $src_stride) (i32.const 2)))
    (local.set $dst_row_bytes (i32.shl (local.get $dst_stride) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows4)))
        (local.set $c (i32.const 0))
        (block $cols_done
          (loop $cols_loop
            (br_if $cols_done (i32.ge_u (local.get $c) (local.get $cols4)))
            ;; p = &src[r][c]; a, b, e, d are the four rows of the tile.
            (local.set $p (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $src_stride)) (local.get $c))
                (i32.const 2))))
            (local.set $a (v128.load (local.get $p)))
            (local.set $b (v128.load (i32.add (local.get $p) (local.get $src_row_bytes))))
            (local.set $e (v128.load (i32.add (local.get $p)
              (i32.shl (local.get $src_row_bytes) (i32.const 1)))))
            (local.set $d (v128.load (i32.add (local.get $p)
              (i32.mul (local.get $src_row_bytes) (i32.const 3)))))
            ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = e0 d0 e1 d1, t3 = e2 d2 e3 d3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
              (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (local.get $e) (local.get $d)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
              (local.get $e) (local.get $d)))
            ;; q = &dst[c][r]
            (local.set $q (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $dst_stride)) (local.get $r))
                (i32.const 2))))
            (v128.store (local.get $q)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $q) (local.get $dst_row_bytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $q) (i32.shl (local.get $dst_row_bytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $dst_row_bytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $cols_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows_loop)))
    ;; Right edge: columns [cols4, cols) of rows [0, rows4).
    (call $transpose_scalar (local.get $src) (local.get $dst)
      (local.get $src_stride) (local.get $dst_stride)
      (i32.const 0) (local.get $rows4) (local.get $cols4) (local.get $cols))
    ;; Bottom edge: rows [rows4, rows), all columns.
    (call $transpose_scalar (local.get $src) (local.get $dst)
      (local.get $src_stride) (local.get $dst_stride)
      (local.get $rows4) (local.get $rows) (i32.const 0) (local.get $cols)))

  ;; Transposes the block rows [r0, r1) x columns [c0, c1) one float at a time.
  (func $transpose_scalar
    (param $src i32) (param $dst i32) (param $src_stride i32) (param $dst_stride i32)
    (param $r0 i32) (param $r1 i32) (param $c0 i32) (param $c1 i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $c (local.get $c0))
        (block $cols_done
          (loop $cols_loop
            (br_if $cols_done (i32.ge_u (local.get $c) (local.get $c1)))
            (f32.store
              (i32.add (local.get $dst)
                (i32.shl (i32.add (i32.mul (local.get $c) (local.get $dst_stride)) (local.get $r))
                  (i32.const 2)))
              (f32.load
                (i32.add (local.get $src)
                  (i32.shl (i32.add (i32.mul (local.get $r) (local.get $src_stride)) (local.get $c))
                    (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cols_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Zeroes columns [c0, c1) of `rows` rows that are `stride` floats apart.
  (func $zero_columns
    (param $dst i32) (param $rows i32) (param $stride i32) (param $c0 i32) (param $c1 i32)
    (local $r i32)
    (if (i32.ge_u (local.get $c0) (local.get $c1)) (then (return)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $each_row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $zero
          (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $stride)) (local.get $c0))
              (i32.const 2)))
          (i32.sub (local.get $c1) (local.get $c0)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; Transposed im2col for an NHWC input with dilation 1. For each filter tap
  ;; t in [tap_first, tap_first + tap_count), with ky = t / filter_w and
  ;; kx = t % filter_w, it writes C rows of P = batch * out_h * out_w floats:
  ;;   cols_t[(t - tap_first) * C + c][(n * out_h + oy) * out_w + ox]
  ;;     = x[n][oy * stride_h - pad_top + ky][ox * stride_w - pad_left + kx][c],
  ;; or 0 where that position falls in the padding. Row (t, c) of cols_t
  ;; times dy (P x O) is row (ky, kx, c) of the filter gradient.
  ;; For one tap and one output row (n, oy), the in-bounds pixels are input
  ;; pixels stride_w * C floats apart, so one strided transpose moves them
  ;; into the C destination rows.
  (func $im2col_t (export "im2col_t")
    (param $x i32) (param $cols_t i32) (param $batch i32)
    (param $in_h i32) (param $in_w i32) (param $channels i32)
    (param $out_h i32) (param $out_w i32) (param $filter_w i32)
    (param $stride_h i32) (param $stride_w i32) (param $pad_top i32) (param $pad_left i32)
    (param $tap_first i32) (param $tap_count i32)
    (local $pixels i32) (local $tap i32) (local $ky i32) (local $kx i32)
    (local $n i32) (local $oy i32) (local $iy i32) (local $ox_start i32) (local $ox_end i32)
    (local $limit i32) (local $tap_base i32) (local $dst i32) (local $src i32)
    (local.set $pixels (i32.mul (local.get $batch) (i32.mul (local.get $out_h) (local.get $out_w))))
    (local.set $tap (i32.const 0))
    (block $taps_done
      (loop $taps_loop
        (br_if $taps_done (i32.ge_u (local.get $tap) (local.get $tap_count)))
        (local.set $ky
          (i32.div_u (i32.add (local.get $tap_first) (local.get $tap)) (local.get $filter_w)))
        (local.set $kx
          (i32.rem_u (i32.add (local.get $tap_first) (local.get $tap)) (local.get $filter_w)))
        ;; In-bounds output columns: ox in [ox_start, ox_end), where
        ;; 0 <= ox * stride_w - pad_left + kx < in_w.
        (local.set $limit (i32.sub (local.get $pad_left) (local.get $kx)))
        (local.set $ox_start (i32.const 0))
        (if (i32.gt_s (local.get $limit) (i32.const 0))
          (then (local.set $ox_start
            (i32.div_u (i32.add (local.get $limit) (i32.sub (local.get $stride_w) (i32.const 1)))
              (local.get $stride_w)))))
        (local.set $limit (i32.add (i32.sub (local.get $in_w) (i32.const 1)) (local.get $limit)))
        (local.set $ox_end (i32.const 0))
        (if (i32.ge_s (local.get $limit) (i32.const 0))
          (then (local.set $ox_end
            (i32.add (i32.div_u (local.get $limit) (local.get $stride_w)) (i32.const 1)))))
        (if (i32.gt_s (local.get $ox_end) (local.get $out_w))
          (then (local.set $ox_end (local.get $out_w))))
        (if (i32.gt_s (local.get $ox_start) (local.get $ox_end))
          (then (local.set $ox_start (local.get $ox_end))))
        (local.set $tap_base (i32.add (local.get $cols_t)
          (i32.shl (i32.mul (i32.mul (local.get $tap) (local.get $channels)) (local.get $pixels))
            (i32.const 2))))
        (local.set $n (i32.const 0))
        (block $batch_done
          (loop $batch_loop
            (br_if $batch_done (i32.ge_u (local.get $n) (local.get $batch)))
            (local.set $oy (i32.const 0))
            (block $oy_done
              (loop $oy_loop
                (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $out_h)))
                ;; dst = &cols_t[tap * C][(n * out_h + oy) * out_w]
                (local.set $dst (i32.add (local.get $tap_base)
                  (i32.shl
                    (i32.mul (i32.add (i32.mul (local.get $n) (local.get $out_h)) (local.get $oy))
                      (local.get $out_w))
                    (i32.const 2))))
                (local.set $iy (i32.add
                  (i32.sub (i32.mul (local.get $oy) (local.get $stride_h)) (local.get $pad_top))
                  (local.get $ky)))
                (if (i32.or (i32.lt_s (local.get $iy) (i32.const 0))
                            (i32.ge_s (local.get $iy) (local.get $in_h)))
                  (then
                    (call $zero_columns (local.get $dst) (local.get $channels) (local.get $pixels)
                      (i32.const 0) (local.get $out_w)))
                  (else
                    (call $zero_columns (local.get $dst) (local.get $channels) (local.get $pixels)
                      (i32.const 0) (local.get $ox_start))
                    (call $zero_columns (local.get $dst) (local.get $channels) (local.get $pixels)
                      (local.get $ox_end) (local.get $out_w))
                    ;; src = &x[n][iy][ox_start * stride_w - pad_left + kx][0]
                    (local.set $src (i32.add (local.get $x)
                      (i32.shl
                        (i32.mul
                          (i32.add
                            (i32.mul
                              (i32.add (i32.mul (local.get $n) (local.get $in_h)) (local.get $iy))
                              (local.get $in_w))
                            (i32.add
                              (i32.sub (i32.mul (local.get $ox_start) (local.get $stride_w))
                                (local.get $pad_left))
                              (local.get $kx)))
                          (local.get $channels))
                        (i32.const 2))))
                    (call $transpose
                      (local.get $src)
                      (i32.add (local.get $dst) (i32.shl (local.get $ox_start) (i32.const 2)))
                      (i32.sub (local.get $ox_end) (local.get $ox_start))
                      (local.get $channels)
                      (i32.mul (local.get $channels) (local.get $stride_w))
                      (local.get $pixels))))
                (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
                (br $oy_loop)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $batch_loop)))
        (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
        (br $taps_loop))))

  ;; Rotates a [filterH, filterW, C, O] filter by 180 degrees and swaps its
  ;; channel axes: dst[ky][kx][o][c] = src[filterH-1-ky][filterW-1-kx][c][o].
  ;; A stride-1 convolution of dy with dst is the gradient of the input.
  (func $flip_filter (export "flip_filter")
    (param $src i32) (param $dst i32) (param $filter_h i32) (param $filter_w i32)
    (param $in_channels i32) (param $out_channels i32)
    (local $tap i32) (local $taps i32) (local $tap_bytes i32)
    (local.set $taps (i32.mul (local.get $filter_h) (local.get $filter_w)))
    (local.set $tap_bytes
      (i32.shl (i32.mul (local.get $in_channels) (local.get $out_channels)) (i32.const 2)))
    (local.set $tap (i32.const 0))
    (block $done
      (loop $each_tap
        (br_if $done (i32.ge_u (local.get $tap) (local.get $taps)))
        ;; Tap (ky, kx) = tap of dst reads tap (taps - 1 - tap) of src.
        (call $transpose
          (i32.add (local.get $src)
            (i32.mul (i32.sub (i32.sub (local.get $taps) (i32.const 1)) (local.get $tap)) (local.get $tap_bytes)))
          (i32.add (local.get $dst) (i32.mul (local.get $tap) (local.get $tap_bytes)))
          (local.get $in_channels) (local.get $out_channels)
          (local.get $out_channels) (local.get $in_channels))
        (local.set $tap (i32.add (local.get $tap) (i32.const 1)))
        (br $each_tap))))

  ;; For each of `rows` rows of row_len floats in src, writes the row `reps`
  ;; times in a row to dst: the innermost step of Tile. A one-float row is
  ;; splatted across SIMD lanes.
  (func $tile_rows (export "tile_rows")
    (param $src i32) (param $dst i32) (param $rows i32) (param $row_len i32) (param $reps i32)
    (local $r i32) (local $k i32) (local $row_bytes i32) (local $splat v128) (local $end i32)
    (local.set $row_bytes (i32.shl (local.get $row_len) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (if (i32.eq (local.get $row_len) (i32.const 1))
          (then
            (local.set $splat (v128.load32_splat (local.get $src)))
            (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $reps) (i32.const 2))))
            (block $vector_done
              (loop $vector
                (br_if $vector_done
                  (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
                (v128.store (local.get $dst) (local.get $splat))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (br $vector)))
            (block $scalar_done
              (loop $scalar
                (br_if $scalar_done (i32.ge_u (local.get $dst) (local.get $end)))
                (i32.store (local.get $dst) (i32.load (local.get $src)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (br $scalar))))
          (else
            (local.set $k (i32.const 0))
            (block $reps_done
              (loop $reps_loop
                (br_if $reps_done (i32.ge_u (local.get $k) (local.get $reps)))
                (call $copy (local.get $dst) (local.get $src) (local.get $row_len))
                (local.set $dst (i32.add (local.get $dst) (local.get $row_bytes)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $reps_loop)))))
        (local.set $src (i32.add (local.get $src) (local.get $row_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Expands, in place, `blocks` consecutive blocks of block_len floats at buf
  ;; so that block b is repeated `reps` times at buf + b * block_len * reps:
  ;; one outer step of Tile. Blocks move from the last to the first, so no
  ;; block is overwritten before it is read; the first copy of each block
  ;; (which may overlap its source) is made last, with memmove semantics.
  (func $repeat_blocks (export "repeat_blocks")
    (param $buf i32) (param $blocks i32) (param $block_len i32) (param $reps i32)
    (local $b i32) (local $k i32) (local $block_bytes i32) (local $src i32) (local $dst i32)
    (local.set $block_bytes (i32.shl (local.get $block_len) (i32.const 2)))
    (local.set $b (local.get $blocks))
    (block $blocks_done
      (loop $blocks_loop
        (br_if $blocks_done (i32.eqz (local.get $b)))
        (local.set $b (i32.sub (local.get $b) (i32.const 1)))
        (local.set $src (i32.add (local.get $buf) (i32.mul (local.get $b) (local.get $block_bytes))))
        (local.set $dst (i32.add (local.get $buf)
          (i32.mul (i32.mul (local.get $b) (local.get $reps)) (local.get $block_bytes))))
        (local.set $k (local.get $reps))
        (block $reps_done
          (loop $reps_loop
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br_if $reps_done (i32.eqz (local.get $k)))
            (memory.copy
              (i32.add (local.get $dst) (i32.mul (local.get $k) (local.get $block_bytes)))
              (local.get $src) (local.get $block_bytes))
            (br $reps_loop)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $block_bytes))
        (br $blocks_loop))))

  ;; dst[c] = scale * sum over r of src[r * cols + c], for a rows x cols
  ;; matrix: Sum and Mean over leading axes (batch-norm statistics and their
  ;; gradients), four columns per SIMD step, rows added in order.
  (func $column_sum (export "column_sum")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $scale f32)
    (local $r i32) (local $row i32) (local $end i32) (local $d i32) (local $p i32)
    (local $scale4 v128)
    (call $zero (local.get $dst) (local.get $cols))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $cols) (i32.const 2))))
    (local.set $row (local.get $src))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $d (local.get $dst))
        (local.set $p (local.get $row))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
            (v128.store (local.get $d)
              (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $p))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $vector)))
        (block $scalar_done
          (loop $scalar
            (br_if $scalar_done (i32.ge_u (local.get $d) (local.get $end)))
            (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $p))))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $scalar)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop)))
    (if (f32.ne (local.get $scale) (f32.const 1))
      (then
        (local.set $scale4 (f32x4.splat (local.get $scale)))
        (local.set $d (local.get $dst))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
            (v128.store (local.get $d) (f32x4.mul (v128.load (local.get $d)) (local.get $scale4)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $vector)))
        (block $scalar_done
          (loop $scalar
            (br_if $scalar_done (i32.ge_u (local.get $d) (local.get $end)))
            (f32.store (local.get $d) (f32.mul (f32.load (local.get $d)) (local.get $scale)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (br $scalar))))))

  ;; Copies `rows` rows of row_len 4-byte values from src (rows src_stride
  ;; values apart) to dst (rows dst_stride values apart): the inner loops of
  ;; Slice and SplitV.
  (func $copy_rows (export "copy_rows")
    (param $src i32) (param $dst i32) (param $rows i32) (param $row_len i32)
    (param $src_stride i32) (param $dst_stride i32)
    (local $r i32) (local $src_bytes i32) (local $dst_bytes i32)
    (local.set $src_bytes (i32.shl (local.get $src_stride) (i32.const 2)))
    (local.set $dst_bytes (i32.shl (local.get $dst_stride) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $each_row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $copy (local.get $dst) (local.get $src) (local.get $row_len))
        (local.set $src (i32.add (local.get $src) (local.get $src_bytes)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dst_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; Writes x (NHWC) transposed and zero-padded, channel-major:
  ;;   x_t[c * row_stride + (n * hp + pad_top + y) * wp + pad_left + x] = x[n][y][x][c].
  ;; The caller zeroes x_t first; this fills only the interior, one strided
  ;; transpose per image row. With x_t, every tap of a stride-1 filter
  ;; gradient is a product of a shifted view of x_t with the padded dy.
  (func $pad_transpose (export "pad_transpose")
    (param $x i32) (param $x_t i32) (param $batch i32)
    (param $in_h i32) (param $in_w i32) (param $channels i32)
    (param $hp i32) (param $wp i32) (param $pad_top i32) (param $pad_left i32)
    (param $row_stride i32)
    (local $n i32) (local $y i32) (local $src i32) (local $row_bytes i32)
    (local.set $row_bytes (i32.shl (i32.mul (local.get $in_w) (local.get $channels)) (i32.const 2)))
    (local.set $src (local.get $x))
    (local.set $n (i32.const 0))
    (block $batch_done
      (loop $batch_loop
        (br_if $batch_done (i32.ge_u (local.get $n) (local.get $batch)))
        (local.set $y (i32.const 0))
        (block $rows_done
          (loop $rows_loop
            (br_if $rows_done (i32.ge_u (local.get $y) (local.get $in_h)))
            (call $transpose
              (local.get $src)
              (i32.add (local.get $x_t)
                (i32.shl
                  (i32.add
                    (i32.mul
                      (i32.add (i32.mul (local.get $n) (local.get $hp))
                        (i32.add (local.get $pad_top) (local.get $y)))
                      (local.get $wp))
                    (local.get $pad_left))
                  (i32.const 2)))
              (local.get $in_w) (local.get $channels)
              (local.get $channels) (local.get $row_stride))
            (local.set $src (i32.add (local.get $src) (local.get $row_bytes)))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $rows_loop)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $batch_loop))))

  ;; out[r * cols + c] = x[r * cols + c] * scale[c] + shift[c] for a rows x
  ;; cols matrix: batch normalisation of an NHWC tensor once its statistics,
  ;; gamma and beta are folded into one scale and one shift per channel.
  ;; Four channels per SIMD step, the last cols % 4 one at a time.
  (func $scale_shift (export "scale_shift")
    (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $scale i32) (param $shift i32)
    (local $r i32) (local $c i32) (local $vector_cols i32) (local $row_bytes i32)
    (local.set $vector_cols (i32.and (local.get $cols) (i32.const -4)))
    (local.set $row_bytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.ge_u (local.get $c) (local.get $vector_cols)))
            (v128.store
              (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
              (f32x4.add
                (f32x4.mul
                  (v128.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
                  (v128.load (i32.add (local.get $scale) (i32.shl (local.get $c) (i32.const 2)))))
                (v128.load (i32.add (local.get $shift) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vector)))
        (block $scalar_done
          (loop $scalar
            (br_if $scalar_done (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store
              (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
              (f32.add
                (f32.mul
                  (f32.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
                  (f32.load (i32.add (local.get $scale) (i32.shl (local.get $c) (i32.const 2)))))
                (f32.load (i32.add (local.get $shift) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $scalar)))
        (local.set $x (i32.add (local.get $x) (local.get $row_bytes)))
        (local.set $out (i32.add (local.get $out) (local.get $row_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Gradient of a 2x2 average pool with stride 2 and no padding, the pool
  ;; of every DenseNet transition: dx[n][2y + a][2x + b][c] = dy[n][y][x][c] / 4
  ;; for a, b in {0, 1}. `rows` is batch * out_h and dx has 2 * out_w pixels
  ;; per row. Channels go four per SIMD step, then one at a time.
  (func $avg_pool_grad_2x2 (export "avg_pool_grad_2x2")
    (param $dy i32) (param $dx i32) (param $rows i32) (param $out_w i32) (param $channels i32)
    (local $r i32) (local $x i32) (local $c i32) (local $vector_channels i32)
    (local $pixel_bytes i32) (local $row_bytes i32) (local $top i32) (local $src i32)
    (local $v v128) (local $f f32)
    (local.set $vector_channels (i32.and (local.get $channels) (i32.const -4)))
    (local.set $pixel_bytes (i32.shl (local.get $channels) (i32.const 2)))
    ;; One dx image row: 2 * out_w pixels.
    (local.set $row_bytes (i32.shl (i32.mul (local.get $out_w) (local.get $pixel_bytes)) (i32.const 1)))
    (local.set $src (local.get $dy))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $top (i32.add (local.get $dx)
          (i32.mul (i32.shl (local.get $r) (i32.const 1)) (local.get $row_bytes))))
        (local.set $x (i32.const 0))
        (block $pixels_done
          (loop $pixels_loop
            (br_if $pixels_done (i32.ge_u (local.get $x) (local.get $out_w)))
            (local.set $c (i32.const 0))
            (block $vector_done
              (loop $vector
                (br_if $vector_done (i32.ge_u (local.get $c) (local.get $vector_channels)))
                (local.set $v (f32x4.mul
                  (v128.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))))
                  (f32x4.splat (f32.const 0.25))))
                (call $store4 (local.get $top) (local.get $c) (local.get $pixel_bytes)
                  (local.get $row_bytes) (local.get $v))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $vector)))
            (block $scalar_done
              (loop $scalar
                (br_if $scalar_done (i32.ge_u (local.get $c) (local.get $channels)))
                (local.set $f (f32.mul
                  (f32.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2))))
                  (f32.const 0.25)))
                (call $store1 (local.get $top) (local.get $c) (local.get $pixel_bytes)
                  (local.get $row_bytes) (local.get $f))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $scalar)))
            (local.set $src (i32.add (local.get $src) (local.get $pixel_bytes)))
            (local.set $top (i32.add (local.get $top) (i32.shl (local.get $pixel_bytes) (i32.const 1))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $pixels_loop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; Stores v at channel c of the 2x2 block of pixels whose top-left pixel starts at `top`.
  (func $store4 (param $top i32) (param $c i32) (param $pixel_bytes i32) (param $row_bytes i32)
    (param $v v128)
    (local $p i32)
    (local.set $p (i32.add (local.get $top) (i32.shl (local.get $c) (i32.const 2))))
    (v128.store (local.get $p) (local.get $v))
    (v128.store (i32.add (local.get $p) (local.get $pixel_bytes)) (local.get $v))
    (local.set $p (i32.add (local.get $p) (local.get $row_bytes)))
    (v128.store (local.get $p) (local.get $v))
    (v128.store (i32.add (local.get $p) (local.get $pixel_bytes)) (local.get $v)))

  ;; Stores f at channel c of the 2x2 block of pixels whose top-left pixel starts at `top`.
  (func $store1 (param $top i32) (param $c i32) (param $pixel_bytes i32) (param $row_bytes i32)
    (param $f f32)
    (local $p i32)
    (local.set $p (i32.add (local.get $top) (i32.shl (local.get $c) (i32.const 2))))
    (f32.store (local.get $p) (local.get $f))
    (f32.store (i32.add (local.get $p) (local.get $pixel_bytes)) (local.get $f))
    (local.set $p (i32.add (local.get $p) (local.get $row_bytes)))
    (f32.store (local.get $p) (local.get $f))
    (f32.store (i32.add (local.get $p) (local.get $pixel_bytes)) (local.get $f)))

  ;; Direct filter gradient of a 3x3, stride-1 convolution: for each channel
  ;; c, filter row ky and group of three output channels og,
  ;;   acc[c][ky][og][kx * 3 + j] += x_t[c][q + ky * row_pitch + kx] * dy_t[og * 3 + j][q]
  ;; summed over the positions q of a padded grid (see
  ;; conv2d-backprop-filter.ts for the layout), four positions per lane, so
  ;; each accumulator is a v128 whose four lanes the caller adds up.
  ;; Positions go in chunks of CHUNK_GROUPS groups of four, so that the
  ;; twelve-or-fewer rows of dy_t that a chunk reads stay in the L1 cache
  ;; while every channel passes over them.
  ;;   x_t, dy_t, acc: byte offsets; acc holds channels * 3 * og_count * 9
  ;;   v128 and the caller zeroes it. groups: positions / 4.
  ;;   x_row, dy_row, row_pitch: byte distances between channel rows of x_t,
  ;;   rows of dy_t, and grid rows.
  (func $filter_grad_3x3 (export "filter_grad_3x3")
    (param $x_t i32) (param $dy_t i32) (param $acc i32) (param $channels i32)
    (param $og_count i32) (param $groups i32) (param $x_row i32) (param $dy_row i32)
    (param $row_pitch i32)
    (local $g0 i32) (local $n i32) (local $c i32) (local $ky i32) (local $og i32)
    (local $x i32) (local $dy i32) (local $a i32) (local $dy_group i32)
    (local.set $dy_group (i32.mul (local.get $dy_row) (i32.const 3)))
    (local.set $g0 (i32.const 0))
    (block $chunks_done
      (loop $chunks
        (br_if $chunks_done (i32.ge_u (local.get $g0) (local.get $groups)))
        (local.set $n (i32.sub (local.get $groups) (local.get $g0)))
        (if (i32.gt_u (local.get $n) (i32.const 128)) (then (local.set $n (i32.const 128))))
        (local.set $a (local.get $acc))
        (local.set $c (i32.const 0))
        (block $channels_done
          (loop $each_channel
            (br_if $channels_done (i32.ge_u (local.get $c) (local.get $channels)))
            (local.set $ky (i32.const 0))
            (block $rows_done
              (loop $each_row
                (br_if $rows_done (i32.ge_u (local.get $ky) (i32.const 3)))
                (local.set $x
                  (i32.add
                    (i32.add (local.get $x_t) (i32.mul (local.get $c) (local.get $x_row)))
                    (i32.add (i32.shl (local.get $g0) (i32.const 4))
                      (i32.mul (local.get $ky) (local.get $row_pitch)))))
                (local.set $dy (i32.add (local.get $dy_t) (i32.shl (local.get $g0) (i32.const 4))))
                (local.set $og (i32.const 0))
                (block $groups_done
                  (loop $each_group
                    (br_if $groups_done (i32.ge_u (local.get $og) (local.get $og_count)))
                    (call $dot_3x3 (local.get $x) (local.get $dy) (local.get $dy_row)
                      (local.get $n) (local.get $a))
                    (local.set $dy (i32.add (local.get $dy) (local.get $dy_group)))
                    (local.set $a (i32.add (local.get $a) (i32.const 144)))
                    (local.set $og (i32.add (local.get $og) (i32.const 1)))
                    (br $each_group)))
                (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                (br $each_row)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $each_channel)))
        (local.set $g0 (i32.add (local.get $g0) (i32.const 128)))
        (br $chunks))))

  ;; acc[kx * 3 + j] += sum over n groups of four positions of
  ;; x[p + kx] * dy[j * dy_row + p] (p a position, x and dy byte offsets):
  ;; three shifts of one channel row against three rows of dy, nine v128
  ;; accumulators kept in locals through the loop.
  (func $dot_3x3
    (param $x i32) (param $dy i32) (param $dy_row i32) (param $n i32) (param $acc i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $a8 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $d v128)
    (local $dy1 i32) (local $dy2 i32)
    (local.set $dy1 (i32.add (local.get $dy) (local.get $dy_row)))
    (local.set $dy2 (i32.add (local.get $dy1) (local.get $dy_row)))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x0 (v128.load (local.get $x)))
        (local.set $x1 (v128.load offset=4 (local.get $x)))
        (local.set $x2 (v128.load offset=8 (local.get $x)))
        (local.set $d (v128.load (local.get $dy)))
        (local.set $a0 (@MADD@ (local.get $x0) (local.get $d) (local.get $a0)))
        (local.set $a3 (@MADD@ (local.get $x1) (local.get $d) (local.get $a3)))
        (local.set $a6 (@MADD@ (local.get $x2) (local.get $d) (local.get $a6)))
        (local.set $d (v128.load (local.get $dy1)))
        (local.set $a1 (@MADD@ (local.get $x0) (local.get $d) (local.get $a1)))
        (local.set $a4 (@MADD@ (local.get $x1) (local.get $d) (local.get $a4)))
        (local.set $a7 (@MADD@ (local.get $x2) (local.get $d) (local.get $a7)))
        (local.set $d (v128.load (local.get $dy2)))
        (local.set $a2 (@MADD@ (local.get $x0) (local.get $d) (local.get $a2)))
        (local.set $a5 (@MADD@ (local.get $x1) (local.get $d) (local.get $a5)))
        (local.set $a8 (@MADD@ (local.get $x2) (local.get $d) (local.get $a8)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dy1 (i32.add (local.get $dy1) (i32.const 16)))
        (local.set $dy2 (i32.add (local.get $dy2) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $each)))
    (call $add_v128 (local.get $acc) (local.get $a0))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 16)) (local.get $a1))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 32)) (local.get $a2))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 48)) (local.get $a3))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 64)) (local.get $a4))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 80)) (local.get $a5))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 96)) (local.get $a6))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 112)) (local.get $a7))
    (call $add_v128 (i32.add (local.get $acc) (i32.const 128)) (local.get $a8)))

  (func $add_v128 (param $p i32) (param $v v128)
    (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $v))))

  ;; Direct convolution on a grid of positions (grid.ts), twelve output
  ;; channels at a time: for `count` positions p (a multiple of three) and
  ;; j in [0, 12),
  ;;   out[p * out_stride + j] (+)= sum over taps t and channels k of
  ;;     x[(p + shift[t]) * x_stride + k] * w[t * w_tap_stride + k * w_stride + j]
  ;; Positions go three at a time: three positions times twelve outputs
  ;; are nine v128 accumulators, and each channel costs three weight loads,
  ;; three broadcast inputs and nine multiply-adds.
  ;;   x, w, out: byte offsets (of position 0, channel 0 and output 0 of
  ;;   this call); shifts: byte offset of `taps` i32 position offsets;
  ;;   strides in floats. accumulate: 0 writes out, 1 adds to it.
  (func $conv_positions (export "conv_positions")
    (param $x i32) (param $w i32) (param $out i32) (param $count i32) (param $k_count i32)
    (param $x_stride i32) (param $w_stride i32) (param $w_tap_stride i32) (param $out_stride i32)
    (param $shifts i32) (param $taps i32) (param $accumulate i32)
    (local $p i32) (local $t i32) (local $k i32) (local $xp i32) (local $wp i32) (local $o i32)
    (local $x_bytes i32) (local $x_bytes2 i32) (local $w_bytes i32) (local $out_bytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128)
    (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $a8 v128)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $s v128)
    (local.set $x_bytes (i32.shl (local.get $x_stride) (i32.const 2)))
    (local.set $x_bytes2 (i32.shl (local.get $x_stride) (i32.const 3)))
    (local.set $w_bytes (i32.shl (local.get $w_stride) (i32.const 2)))
    (local.set $out_bytes (i32.shl (local.get $out_stride) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $positions_done
      (loop $each_three
        (br_if $positions_done (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $p) (local.get $out_bytes))))
        (if (local.get $accumulate)
          (then
            (local.set $a0 (v128.load (local.get $o)))
            (local.set $a1 (v128.load offset=16 (local.get $o)))
            (local.set $a2 (v128.load offset=32 (local.get $o)))
            (local.set $a3 (v128.load (i32.add (local.get $o) (local.get $out_bytes))))
            (local.set $a4 (v128.load offset=16 (i32.add (local.get $o) (local.get $out_bytes))))
            (local.set $a5 (v128.load offset=32 (i32.add (local.get $o) (local.get $out_bytes))))
            (local.set $a6 (v128.load (i32.add (local.get $o) (i32.shl (local.get $out_bytes) (i32.const 1)))))
            (local.set $a7 (v128.load offset=16 (i32.add (local.get $o) (i32.shl (local.get $out_bytes) (i32.const 1)))))
            (local.set $a8 (v128.load offset=32 (i32.add (local.get $o) (i32.shl (local.get $out_bytes) (i32.const 1))))))
          (else
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $a4 (v128.const i32x4 0 0 0 0))
            (local.set $a5 (v128.const i32x4 0 0 0 0))
            (local.set $a6 (v128.const i32x4 0 0 0 0))
            (local.set $a7 (v128.const i32x4 0 0 0 0))
            (local.set $a8 (v128.const i32x4 0 0 0 0))))
        (local.set $t (i32.const 0))
        (block $taps_done
          (loop $each_tap
            (br_if $taps_done (i32.ge_u (local.get $t) (local.get $taps)))
            (local.set $xp
              (i32.add (local.get $x)
                (i32.mul
                  (i32.add (local.get $p)
                    (i32.load (i32.add (local.get $shifts) (i32.shl (local.get $t) (i32.const 2)))))
                  (local.get $x_bytes))))
            (local.set $wp
              (i32.add (local.get $w)
                (i32.shl (i32.mul (local.get $t) (local.get $w_tap_stride)) (i32.const 2))))
            (local.set $k (local.get $k_count))
            (block $channels_done
              (loop $each_channel
                (br_if $channels_done (i32.eqz (local.get $k)))
                (local.set $w0 (v128.load (local.get $wp)))
                (local.set $w1 (v128.load offset=16 (local.get $wp)))
                (local.set $w2 (v128.load offset=32 (local.get $wp)))
                (local.set $s (v128.load32_splat (local.get $xp)))
                (local.set $a0 (@MADD@ (local.get $s) (local.get $w0) (local.get $a0)))
                (local.set $a1 (@MADD@ (local.get $s) (local.get $w1) (local.get $a1)))
                (local.set $a2 (@MADD@ (local.get $s) (local.get $w2) (local.get $a2)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $x_bytes))))
                (local.set $a3 (@MADD@ (local.get $s) (local.get $w0) (local.get $a3)))
                (local.set $a4 (@MADD@ (local.get $s) (local.get $w1) (local.get $a4)))
                (local.set $a5 (@MADD@ (local.get $s) (local.get $w2) (local.get $a5)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $x_bytes2))))
                (local.set $a6 (@MADD@ (local.get $s) (local.get $w0) (local.get $a6)))
                (local.set $a7 (@MADD@ (local.get $s) (local.get $w1) (local.get $a7)))
                (local.set $a8 (@MADD@ (local.get $s) (local.get $w2) (local.get $a8)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                (local.set $wp (i32.add (local.get $wp) (local.get $w_bytes)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $each_channel)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $each_tap)))
        (v128.store (local.get $o) (local.get $a0))
        (v128.store offset=16 (local.get $o) (local.get $a1))
        (v128.store offset=32 (local.get $o) (local.get $a2))
        (local.set $o (i32.add (local.get $o) (local.get $out_bytes)))
        (v128.store (local.get $o) (local.get $a3))
        (v128.store offset=16 (local.get $o) (local.get $a4))
        (v128.store offset=32 (local.get $o) (local.get $a5))
        (local.set $o (i32.add (local.get $o) (local.get $out_bytes)))
        (v128.store (local.get $o) (local.get $a6))
        (v128.store offset=16 (local.get $o) (local.get $a7))
        (v128.store offset=32 (local.get $o) (local.get $a8))
        (local.set $p (i32.add (local.get $p) (i32.const 3)))
        (br $each_three))))

  ;; conv_positions over positions [first, last) of a grid in calls of
  ;; `chunk` positions (a multiple of three) times twelve outputs, for every
  ;; group of twelve of out_stride outputs; a thread's share of a direct
  ;; convolution (direct-conv.ts). Pointers are for position 0.
  (func $conv_span (export "conv_span")
    (param $x i32) (param $w i32) (param $out i32) (param $first i32) (param $last i32)
    (param $chunk i32) (param $k_count i32) (param $out_stride i32) (param $shifts i32)
    (param $taps i32)
    (local $p i32) (local $count i32) (local $o i32)
    (local.set $p (local.get $first))
    (block $done
      (loop $each_chunk
        (br_if $done (i32.ge_u (local.get $p) (local.get $last)))
        (local.set $count (i32.sub (local.get $last) (local.get $p)))
        (if (i32.gt_u (local.get $count) (local.get $chunk))
          (then (local.set $count (local.get $chunk))))
        (local.set $o (i32.const 0))
        (block $outputs_done
          (loop $each_twelve
            (br_if $outputs_done (i32.ge_u (local.get $o) (local.get $out_stride)))
            (call $conv_positions
              (i32.add (local.get $x)
                (i32.shl (i32.mul (local.get $p) (local.get $k_count)) (i32.const 2)))
              (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2)))
              (i32.add (local.get $out)
                (i32.shl
                  (i32.add (i32.mul (local.get $p) (local.get $out_stride)) (local.get $o))
                  (i32.const 2)))
              (local.get $count)
              (local.get $k_count)
              (local.get $k_count)
              (local.get $out_stride)
              (i32.mul (local.get $k_count) (local.get $out_stride))
              (local.get $out_stride)
              (local.get $shifts)
              (local.get $taps)
              (i32.const 0))
            (local.set $o (i32.add (local.get $o) (i32.const 12)))
            (br $each_twelve)))
        (local.set $p (i32.add (local.get $p) (local.get $count)))
        (br $each_chunk))))

  ;; a * b + c through @MADD@, for telling whether it is fused: with
  ;; a = b = 1 + 2^-12 and c = -(1 + 2^-11), a fused multiply-add gives
  ;; 2^-24, and a product rounded to float32 first gives 0. The operands
  ;; are parameters so that no optimiser folds them at build time.
  (func $multiply_add_probe (export "multiply_add_probe")
    (param $a f32) (param $b f32) (param $c f32) (result f32)
    (local $va v128) (local $vb v128) (local $vc v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (local.set $vc (f32x4.splat (local.get $c)))
    (f32x4.extract_lane 0 (@MADD@ (local.get $va) (local.get $vb) (local.get $vc))))

  ;; dst[0..count) = 0 (bytes 4 * count), exported for padded buffers.
  (func $zero_floats (export "zero") (param $dst i32) (param $count i32)
    (call $zero (local.get $dst) (local.get $count)))
)
