/* Body of the fused attention kernels, included by attention.c once per element type with
   MB_T (scalar), MB_V (vector of MB_L lanes), MB_L, MB_SFX, MB_EXP and MB_LOG defined.

   All products are register-blocked micro-kernels over MB_R rows by two vectors of columns
   (12 accumulators on AVX2). The operands they stream (kᵀ, v, vᵀ, k) are first packed into
   a per-call workspace, their columns zero-padded to a multiple of MB_W, so that every vector
   load is whole. Results are exact sums in a fixed order: a head's output does not depend on
   which thread computes it. */

#define MB_W (2 * MB_L)
#define MB_FN2(name, sfx) name##sfx
#define MB_FN1(name, sfx) MB_FN2(name, sfx)
#define FN(name) MB_FN1(name, MB_SFX)

static inline MB_V FN(mb_att_load_)(const MB_T *p) {
    MB_V v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void FN(mb_att_store_)(MB_T *p, MB_V v) { memcpy(p, &v, sizeof v); }

/* c[r][j] = Σ_{p<kdim} a[r·lda + p] bt[p·ldb + j] for r < R, j < ncols (a multiple of MB_W). */
static inline __attribute__((always_inline)) void FN(mb_att_nt_)(
    const int R, const MB_T *restrict a, ptrdiff_t lda, ptrdiff_t kdim, const MB_T *restrict bt, ptrdiff_t ldb,
    ptrdiff_t ncols, MB_T *restrict c, ptrdiff_t ldc) {
    for (ptrdiff_t j = 0; j < ncols; j += MB_W) {
        MB_V acc0[MB_R], acc1[MB_R];
        for (int r = 0; r < R; r++) acc0[r] = acc1[r] = (MB_V)0;
        for (ptrdiff_t p = 0; p < kdim; p++) {
            MB_V b0 = FN(mb_att_load_)(bt + p * ldb + j), b1 = FN(mb_att_load_)(bt + p * ldb + j + MB_L);
            for (int r = 0; r < R; r++) {
                MB_V x = (MB_V)(a[r * lda + p]);
                acc0[r] += x * b0;
                acc1[r] += x * b1;
            }
        }
        for (int r = 0; r < R; r++) {
            FN(mb_att_store_)(c + r * ldc + j, acc0[r]);
            FN(mb_att_store_)(c + r * ldc + j + MB_L, acc1[r]);
        }
    }
}

/* out[r·ldo + j] = rowscale[r] Σ_{s<kdim} p[r·ldp + s] b[s·ldb + j] for r < R, j < ncols;
   b has at least ncols rounded up to MB_W readable columns. */
static inline __attribute__((always_inline)) void FN(mb_att_nn_)(
    const int R, const MB_T *restrict p, ptrdiff_t ldp, ptrdiff_t kdim, const MB_T *restrict b, ptrdiff_t ldb,
    ptrdiff_t ncols, const MB_T *restrict rowscale, MB_T *restrict out, ptrdiff_t ldo) {
    for (ptrdiff_t j = 0; j < ncols; j += MB_W) {
        MB_V acc0[MB_R], acc1[MB_R];
        for (int r = 0; r < R; r++) acc0[r] = acc1[r] = (MB_V)0;
        for (ptrdiff_t s = 0; s < kdim; s++) {
            MB_V b0 = FN(mb_att_load_)(b + s * ldb + j), b1 = FN(mb_att_load_)(b + s * ldb + j + MB_L);
            for (int r = 0; r < R; r++) {
                MB_V x = (MB_V)(p[r * ldp + s]);
                acc0[r] += x * b0;
                acc1[r] += x * b1;
            }
        }
        ptrdiff_t width = ncols - j;
        for (int r = 0; r < R; r++) {
            MB_V scale = (MB_V)(rowscale[r]);
            MB_T *dst = out + r * ldo + j;
            if (width >= MB_W) {
                FN(mb_att_store_)(dst, acc0[r] * scale);
                FN(mb_att_store_)(dst + MB_L, acc1[r] * scale);
            } else {
                MB_T tmp[MB_W];
                FN(mb_att_store_)(tmp, acc0[r] * scale);
                FN(mb_att_store_)(tmp + MB_L, acc1[r] * scale);
                memcpy(dst, tmp, (size_t)width * sizeof(MB_T));
            }
        }
    }
}

/* acc[s·lda + j] += Σ_{r<R} p[r·ldp + s] x[r·ldx + j] for s < srows, j < ncols (a multiple
   of MB_W): a rank-R update, the rows of x held in registers. */
static inline __attribute__((always_inline)) void FN(mb_att_tn_)(
    const int R, const MB_T *restrict p, ptrdiff_t ldp, ptrdiff_t srows, const MB_T *restrict x, ptrdiff_t ldx,
    ptrdiff_t ncols, MB_T *restrict acc, ptrdiff_t lda) {
    for (ptrdiff_t j = 0; j < ncols; j += MB_W) {
        MB_V x0[MB_R], x1[MB_R];
        for (int r = 0; r < R; r++) {
            x0[r] = FN(mb_att_load_)(x + r * ldx + j);
            x1[r] = FN(mb_att_load_)(x + r * ldx + j + MB_L);
        }
        for (ptrdiff_t s = 0; s < srows; s++) {
            MB_V a0 = FN(mb_att_load_)(acc + s * lda + j), a1 = FN(mb_att_load_)(acc + s * lda + j + MB_L);
            for (int r = 0; r < R; r++) {
                MB_V w = (MB_V)(p[r * ldp + s]);
                a0 += w * x0[r];
                a1 += w * x1[r];
            }
            FN(mb_att_store_)(acc + s * lda + j, a0);
            FN(mb_att_store_)(acc + s * lda + j + MB_L, a1);
        }
    }
}

/* Row-count dispatch: each case inlines a micro-kernel with a constant R. */
#define MB_ATT_ROWS(R, KERNEL, ...)                        \
    switch (R) {                                           \
    case 6: KERNEL(6, __VA_ARGS__); break;                 \
    case 5: KERNEL(5, __VA_ARGS__); break;                 \
    case 4: KERNEL(4, __VA_ARGS__); break;                 \
    case 3: KERNEL(3, __VA_ARGS__); break;                 \
    case 2: KERNEL(2, __VA_ARGS__); break;                 \
    default: KERNEL(1, __VA_ARGS__); break;                \
    }

static void FN(mb_att_nt_rows_)(int R, const MB_T *a, ptrdiff_t lda, ptrdiff_t kdim, const MB_T *bt, ptrdiff_t ldb,
                                 ptrdiff_t ncols, MB_T *c, ptrdiff_t ldc) {
    MB_ATT_ROWS(R, FN(mb_att_nt_), a, lda, kdim, bt, ldb, ncols, c, ldc)
}

static void FN(mb_att_nn_rows_)(int R, const MB_T *p, ptrdiff_t ldp, ptrdiff_t kdim, const MB_T *b, ptrdiff_t ldb,
                                 ptrdiff_t ncols, const MB_T *rowscale, MB_T *out, ptrdiff_t ldo) {
    MB_ATT_ROWS(R, FN(mb_att_nn_), p, ldp, kdim, b, ldb, ncols, rowscale, out, ldo)
}

static void FN(mb_att_tn_rows_)(int R, const MB_T *p, ptrdiff_t ldp, ptrdiff_t srows, const MB_T *x, ptrdiff_t ldx,
                                 ptrdiff_t ncols, MB_T *acc, ptrdiff_t lda) {
    MB_ATT_ROWS(R, FN(mb_att_tn_), p, ldp, srows, x, ldx, ncols, acc, lda)
}

static inline ptrdiff_t FN(mb_att_round_)(ptrdiff_t n) { return (n + MB_W - 1) / MB_W * MB_W; }

#if MB_L == 8
/* In-register transpose of an 8 x 8 block (rows r[0..7] become its columns). */
static inline void FN(mb_att_transpose8_)(MB_V r[8]) {
    MB_V t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        r[i + 4] = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}
#endif

/* dst[c·ldd + s] = src[s·lds + c] for s < rows, c < cols; columns rows..<ldd of dst zeroed. */
__attribute__((no_builtin("memcpy", "memset"))) static void FN(mb_att_pack_transposed_)(const MB_T *src, ptrdiff_t lds, ptrdiff_t rows, ptrdiff_t cols, MB_T *dst,
                                        ptrdiff_t ldd) {
    ptrdiff_t s0 = 0, fullCols = 0;
#if MB_L == 8
    fullCols = cols / 8 * 8;
    for (; s0 + 8 <= rows; s0 += 8)
        for (ptrdiff_t c0 = 0; c0 < fullCols; c0 += 8) {
            MB_V r[8];
            for (int i = 0; i < 8; i++) r[i] = FN(mb_att_load_)(src + (s0 + i) * lds + c0);
            FN(mb_att_transpose8_)(r);
            for (int i = 0; i < 8; i++) FN(mb_att_store_)(dst + (c0 + i) * ldd + s0, r[i]);
        }
    for (ptrdiff_t s = 0; s < s0; s++)
        for (ptrdiff_t c = fullCols; c < cols; c++) dst[c * ldd + s] = src[s * lds + c];
#endif
    for (ptrdiff_t s = s0; s < rows; s++)
        for (ptrdiff_t c = 0; c < cols; c++) dst[c * ldd + s] = src[s * lds + c];
    for (ptrdiff_t c = 0; c < cols; c++)
        for (ptrdiff_t s = rows; s < ldd; s++) dst[c * ldd + s] = 0;
}

/* dst[s·ldd + c] = src[s·lds + c] for s < rows, c < cols; columns cols..<ldd zeroed. */
__attribute__((no_builtin("memcpy", "memset"))) static void FN(mb_att_pack_rows_)(const MB_T *src, ptrdiff_t lds, ptrdiff_t rows, ptrdiff_t cols, MB_T *dst,
                                  ptrdiff_t ldd) {
    if (cols == ldd) {
        /* Whole vectors (ldd is a multiple of MB_W): no per-row library call. */
        for (ptrdiff_t s = 0; s < rows; s++)
            for (ptrdiff_t c = 0; c < cols; c += MB_L) FN(mb_att_store_)(dst + s * ldd + c, FN(mb_att_load_)(src + s * lds + c));
        return;
    }
    for (ptrdiff_t s = 0; s < rows; s++) {
        for (ptrdiff_t c = 0; c < cols; c++) dst[s * ldd + c] = src[s * lds + c];
        for (ptrdiff_t c = cols; c < ldd; c++) dst[s * ldd + c] = 0;
    }
}

/* dst[s·ldd + c] = scale · src[s·lds + c] for s < rows, c < cols. */
__attribute__((no_builtin("memcpy"))) static void FN(mb_att_unpack_rows_)(const MB_T *src, ptrdiff_t lds, ptrdiff_t rows,
                                                                         ptrdiff_t cols, MB_T scale, MB_T *dst, ptrdiff_t ldd) {
    ptrdiff_t whole = cols / MB_L * MB_L;
    for (ptrdiff_t s = 0; s < rows; s++) {
        for (ptrdiff_t c = 0; c < whole; c += MB_L) FN(mb_att_store_)(dst + s * ldd + c, scale * FN(mb_att_load_)(src + s * lds + c));
        for (ptrdiff_t c = whole; c < cols; c++) dst[s * ldd + c] = scale * src[s * lds + c];
    }
}

static MB_T FN(mb_att_max_)(const MB_T *x, ptrdiff_t n) {
    MB_T m = x[0];
    ptrdiff_t i = 0;
    if (n >= MB_W) {
        MB_V a0 = FN(mb_att_load_)(x), a1 = FN(mb_att_load_)(x + MB_L);
        for (i = MB_W; i + MB_W <= n; i += MB_W) {
            MB_V y0 = FN(mb_att_load_)(x + i), y1 = FN(mb_att_load_)(x + i + MB_L);
            a0 = y0 > a0 ? y0 : a0;
            a1 = y1 > a1 ? y1 : a1;
        }
        a0 = a1 > a0 ? a1 : a0;
        for (int l = 0; l < MB_L; l++) m = a0[l] > m ? a0[l] : m;
    }
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

/* Σ x over n elements: two vector accumulators, then the tail. */
static MB_T FN(mb_att_sum_)(const MB_T *x, ptrdiff_t n) {
    MB_V acc0 = (MB_V)0, acc1 = (MB_V)0;
    ptrdiff_t i = 0;
    for (; i + MB_W <= n; i += MB_W) {
        acc0 += FN(mb_att_load_)(x + i);
        acc1 += FN(mb_att_load_)(x + i + MB_L);
    }
    acc0 += acc1;
    MB_T s = 0;
    for (int l = 0; l < MB_L; l++) s += acc0[l];
    for (; i < n; i++) s += x[i];
    return s;
}

/* Scores of R rows turned into probabilities P = e^{scale·s − shift_r} for s < S. Columns
   S..<Sp (scores against zero-padded keys) are left as they are: every later use either
   stops at S or multiplies them by an exact zero. */
static void FN(mb_att_exp_rows_)(MB_T *sc, ptrdiff_t Sp, int R, ptrdiff_t S, MB_T scale, const MB_T *shift) {
    for (int r = 0; r < R; r++) {
        MB_T *row = sc + r * Sp, sh = shift[r];
        for (ptrdiff_t s = 0; s < S; s++) row[s] = MB_EXP(row[s] * scale - sh);
    }
}

static void FN(mb_att_head_forward_)(const MB_T *q, ptrdiff_t ldq, const MB_T *k, ptrdiff_t ldk, const MB_T *v,
                                     ptrdiff_t ldv, MB_T *o, ptrdiff_t ldo, MB_T *lse, ptrdiff_t T, ptrdiff_t S,
                                     ptrdiff_t dh, ptrdiff_t dv, MB_T scale, MB_T *work) {
    ptrdiff_t Sp = FN(mb_att_round_)(S), dvp = FN(mb_att_round_)(dv);
    MB_T *kt = work, *vp = kt + dh * Sp, *sc = vp + S * dvp, *totals = sc + MB_R * Sp;
    FN(mb_att_pack_transposed_)(k, ldk, S, dh, kt, Sp);
    FN(mb_att_pack_rows_)(v, ldv, S, dv, vp, dvp);
    for (ptrdiff_t t0 = 0; t0 < T; t0 += MB_R) {
        int R = (int)(T - t0 < MB_R ? T - t0 : MB_R);
        FN(mb_att_nt_rows_)(R, q + t0 * ldq, ldq, dh, kt, Sp, Sp, sc, Sp);
        MB_T shift[MB_R], inverse[MB_R];
        for (int r = 0; r < R; r++) shift[r] = scale * FN(mb_att_max_)(sc + r * Sp, S);
        FN(mb_att_exp_rows_)(sc, Sp, R, S, scale, shift);
        for (int r = 0; r < R; r++) {
            MB_T total = FN(mb_att_sum_)(sc + r * Sp, S);
            inverse[r] = 1 / total;
            if (lse) {
                lse[t0 + r] = shift[r];
                totals[t0 + r] = total;
            }
        }
        FN(mb_att_nn_rows_)(R, sc, Sp, S, vp, dvp, dv, inverse, o + t0 * ldo, ldo);
    }
    if (lse)
        for (ptrdiff_t t = 0; t < T; t++) lse[t] += MB_LOG(totals[t]);
}

static void FN(mb_att_head_backward_)(const MB_T *q, ptrdiff_t ldq, const MB_T *k, ptrdiff_t ldk, const MB_T *v,
                                      ptrdiff_t ldv, const MB_T *g, ptrdiff_t ldg, const MB_T *lse, MB_T *dq,
                                      MB_T *dk, MB_T *dv, ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dvalue,
                                      MB_T scale, MB_T *work) {
    ptrdiff_t Sp = FN(mb_att_round_)(S), dhp = FN(mb_att_round_)(dh), dvp = FN(mb_att_round_)(dvalue);
    MB_T *kt = work, *vt = kt + dh * Sp, *kp = vt + dvalue * Sp, *dkacc = kp + S * dhp, *dvacc = dkacc + S * dhp;
    MB_T *sc = dvacc + S * dvp, *dp = sc + MB_R * Sp, *xq = dp + MB_R * Sp, *xg = xq + MB_R * dhp;
    int needsScores = dq || dk;
    FN(mb_att_pack_transposed_)(k, ldk, S, dh, kt, Sp);
    if (needsScores) {
        FN(mb_att_pack_transposed_)(v, ldv, S, dvalue, vt, Sp);
        FN(mb_att_pack_rows_)(k, ldk, S, dh, kp, dhp);
    }
    memset(dkacc, 0, (size_t)(S * dhp) * sizeof(MB_T));
    memset(dvacc, 0, (size_t)(S * dvp) * sizeof(MB_T));
    MB_T scales[MB_R];
    for (int r = 0; r < MB_R; r++) scales[r] = scale;
    for (ptrdiff_t t0 = 0; t0 < T; t0 += MB_R) {
        int R = (int)(T - t0 < MB_R ? T - t0 : MB_R);
        FN(mb_att_nt_rows_)(R, q + t0 * ldq, ldq, dh, kt, Sp, Sp, sc, Sp);
        FN(mb_att_exp_rows_)(sc, Sp, R, S, scale, lse + t0);
        if (dv) {
            FN(mb_att_pack_rows_)(g + t0 * ldg, ldg, R, dvalue, xg, dvp);
            FN(mb_att_tn_rows_)(R, sc, Sp, S, xg, dvp, dvp, dvacc, dvp);
        }
        if (!needsScores) continue;
        FN(mb_att_nt_rows_)(R, g + t0 * ldg, ldg, dvalue, vt, Sp, Sp, dp, Sp);
        for (int r = 0; r < R; r++) {
            MB_T *pr = sc + r * Sp, *dr = dp + r * Sp;
            MB_V acc = (MB_V)0, acc1 = (MB_V)0;
            for (ptrdiff_t s = 0; s < Sp; s += MB_W) {
                acc += FN(mb_att_load_)(pr + s) * FN(mb_att_load_)(dr + s);
                acc1 += FN(mb_att_load_)(pr + s + MB_L) * FN(mb_att_load_)(dr + s + MB_L);
            }
            acc += acc1;
            MB_T delta = 0;
            for (int l = 0; l < MB_L; l++) delta += acc[l];
            for (ptrdiff_t s = 0; s < Sp; s++) dr[s] = pr[s] * (dr[s] - delta);
        }
        if (dq) FN(mb_att_nn_rows_)(R, dp, Sp, S, kp, dhp, dh, scales, dq + t0 * ldq, ldq);
        if (dk) {
            FN(mb_att_pack_rows_)(q + t0 * ldq, ldq, R, dh, xq, dhp);
            FN(mb_att_tn_rows_)(R, dp, Sp, S, xq, dhp, dhp, dkacc, dhp);
        }
    }
    if (dk) FN(mb_att_unpack_rows_)(dkacc, dhp, S, dh, scale, dk, ldk);
    if (dv) FN(mb_att_unpack_rows_)(dvacc, dvp, S, dvalue, 1, dv, ldv);
}

void FN(mb_attention_forward_)(const MB_T *q, const ptrdiff_t *qs, const MB_T *k, const ptrdiff_t *ks,
                               const MB_T *v, const ptrdiff_t *vs, MB_T *o, const ptrdiff_t *os, MB_T *lse,
                               ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                               ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dv, MB_T scale) {
    ptrdiff_t Sp = FN(mb_att_round_)(S), dvp = FN(mb_att_round_)(dv);
    size_t words = (size_t)(dh * Sp + S * dvp + MB_R * Sp + T);
    MB_T *work = aligned_alloc(64, (words * sizeof(MB_T) + 63) / 64 * 64);
    for (ptrdiff_t n = first; n < first + count; n++) {
        ptrdiff_t b = n / inner, h = n % inner;
        FN(mb_att_head_forward_)(q + b * qs[0] + h * qs[1], qs[2], k + b * ks[0] + h * ks[1], ks[2],
                                 v + b * vs[0] + h * vs[1], vs[2], o + b * os[0] + h * os[1], os[2],
                                 lse ? lse + n * T : NULL, T, S, dh, dv, scale, work);
    }
    free(work);
}

void FN(mb_attention_backward_)(const MB_T *q, const ptrdiff_t *qs, const MB_T *k, const ptrdiff_t *ks,
                                const MB_T *v, const ptrdiff_t *vs, const MB_T *g, const ptrdiff_t *gs,
                                const MB_T *lse, MB_T *dq, MB_T *dk, MB_T *dv,
                                ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                                ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dvalue, MB_T scale) {
    ptrdiff_t Sp = FN(mb_att_round_)(S), dhp = FN(mb_att_round_)(dh), dvp = FN(mb_att_round_)(dvalue);
    size_t words = (size_t)(dh * Sp + dvalue * Sp + 2 * S * dhp + S * dvp + 2 * MB_R * Sp + MB_R * (dhp + dvp));
    MB_T *work = aligned_alloc(64, (words * sizeof(MB_T) + 63) / 64 * 64);
    for (ptrdiff_t n = first; n < first + count; n++) {
        ptrdiff_t b = n / inner, h = n % inner;
        FN(mb_att_head_backward_)(q + b * qs[0] + h * qs[1], qs[2], k + b * ks[0] + h * ks[1], ks[2],
                                  v + b * vs[0] + h * vs[1], vs[2], g + b * gs[0] + h * gs[1], gs[2], lse + n * T,
                                  dq ? dq + b * qs[0] + h * qs[1] : NULL, dk ? dk + b * ks[0] + h * ks[1] : NULL,
                                  dv ? dv + b * vs[0] + h * vs[1] : NULL, T, S, dh, dvalue, scale, work);
    }
    free(work);
}

#undef FN
#undef MB_FN1
#undef MB_FN2
#undef MB_W
