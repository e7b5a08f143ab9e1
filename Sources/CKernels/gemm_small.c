#include <stddef.h>
#include <string.h>
#include "mb_gemm.h"

/* Small row-major products C[m,n] = alpha op(A) op(B) + beta C without BLAS's packing and
   dispatch (a few microseconds per call, more than the arithmetic below ~10^5 multiply–adds).
   GCC/Clang vector extensions; compiled for the native CPU. */

typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef double v4d __attribute__((vector_size(32), aligned(8)));

#define DEFINE_SMALL_GEMM(T, V, W, SFX)                                                        \
static inline V load_##SFX(const T *p) { V v; memcpy(&v, p, sizeof(V)); return v; }            \
static inline void store_##SFX(T *p, V v) { memcpy(p, &v, sizeof(V)); }                          \
static inline T hsum_##SFX(V v) { T s = 0; for (int i = 0; i < W; i++) s += v[i]; return s; }  \
                                                                                                \
/* op(B) = B, B row-major [k, n]: tiles of 4 rows × 2W columns of C. A(i,p) = a[i*ai + p*ap]. */ \
static void nn_##SFX(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, T alpha, const T *a, ptrdiff_t ai,   \
                     ptrdiff_t ap, const T *b, ptrdiff_t ldb, T beta, T *c, ptrdiff_t ldc) {      \
    T panel[2 * W * 512];                                                                       \
    for (ptrdiff_t j0 = 0; j0 < n; j0 += 2 * W) {                                                \
        ptrdiff_t w = n - j0 < 2 * W ? n - j0 : 2 * W;                                           \
        const T *bp = b + j0; ptrdiff_t ldp = ldb;                                               \
        if (w < 2 * W) { /* zero-padded copy of the ragged column block, k ≤ 512 */              \
            for (ptrdiff_t p = 0; p < k; p++) {                                                  \
                for (ptrdiff_t q = 0; q < 2 * W; q++) panel[p * 2 * W + q] = q < w ? b[p * ldb + j0 + q] : 0; \
            }                                                                                    \
            bp = panel; ldp = 2 * W;                                                             \
        }                                                                                        \
        ptrdiff_t i = 0;                                                                         \
        for (; i + 4 <= m; i += 4) {                                                             \
            V c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0}, c30 = {0}, c31 = {0}; \
            const T *a0 = a + i * ai;                                                            \
            for (ptrdiff_t p = 0; p < k; p++) {                                                  \
                V b0 = load_##SFX(bp + p * ldp), b1 = load_##SFX(bp + p * ldp + W);              \
                const T *ar = a0 + p * ap;                                                       \
                T x0 = ar[0], x1 = ar[ai], x2 = ar[2 * ai], x3 = ar[3 * ai];                     \
                c00 += x0 * b0; c01 += x0 * b1; c10 += x1 * b0; c11 += x1 * b1;                  \
                c20 += x2 * b0; c21 += x2 * b1; c30 += x3 * b0; c31 += x3 * b1;                  \
            }                                                                                    \
            V acc[8] = {c00, c01, c10, c11, c20, c21, c30, c31};                                  \
            for (int r = 0; r < 4; r++) {                                                        \
                T *cr = c + (i + r) * ldc + j0;                                                  \
                T tile[2 * W];                                                                   \
                store_##SFX(tile, acc[2 * r]); store_##SFX(tile + W, acc[2 * r + 1]);            \
                for (ptrdiff_t q = 0; q < w; q++) cr[q] = beta == 0 ? alpha * tile[q] : alpha * tile[q] + beta * cr[q]; \
            }                                                                                    \
        }                                                                                        \
        for (; i < m; i++) {                                                                     \
            V c0 = {0}, c1 = {0};                                                                \
            for (ptrdiff_t p = 0; p < k; p++) {                                                  \
                T x = a[i * ai + p * ap];                                                        \
                c0 += x * load_##SFX(bp + p * ldp); c1 += x * load_##SFX(bp + p * ldp + W);      \
            }                                                                                    \
            T tile[2 * W];                                                                       \
            store_##SFX(tile, c0); store_##SFX(tile + W, c1);                                    \
            T *cr = c + i * ldc + j0;                                                            \
            for (ptrdiff_t q = 0; q < w; q++) cr[q] = beta == 0 ? alpha * tile[q] : alpha * tile[q] + beta * cr[q]; \
        }                                                                                        \
    }                                                                                            \
}                                                                                                \
                                                                                                \
/* op(A) = A [m, k] and op(B) = Bᵀ with B [n, k]: each C[i,j] is a dot product of contiguous  \
   rows; tiles of 2×4 dot products with vector accumulators over k (fits 16 registers). */     \
static void nt_##SFX(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, T alpha, const T *a, ptrdiff_t lda, \
                     const T *b, ptrdiff_t ldb, T beta, T *c, ptrdiff_t ldc) {                    \
    ptrdiff_t kv = k - k % W;                                                                    \
    for (ptrdiff_t i0 = 0; i0 < m; i0 += 2) {                                                    \
        ptrdiff_t mi = m - i0 < 2 ? m - i0 : 2;                                                  \
        const T *a0 = a + i0 * lda, *a1 = a + (i0 + (mi > 1 ? 1 : 0)) * lda;                     \
        for (ptrdiff_t j0 = 0; j0 < n; j0 += 4) {                                                \
            ptrdiff_t nj = n - j0 < 4 ? n - j0 : 4;                                              \
            const T *b0 = b + j0 * ldb, *b1 = b + (j0 + (nj > 1 ? 1 : 0)) * ldb;                 \
            const T *b2 = b + (j0 + (nj > 2 ? 2 : 0)) * ldb, *b3 = b + (j0 + (nj > 3 ? 3 : 0)) * ldb; \
            V s00 = {0}, s01 = {0}, s02 = {0}, s03 = {0}, s10 = {0}, s11 = {0}, s12 = {0}, s13 = {0}; \
            for (ptrdiff_t p = 0; p < kv; p += W) {                                              \
                V x0 = load_##SFX(a0 + p), x1 = load_##SFX(a1 + p);                              \
                V y0 = load_##SFX(b0 + p), y1 = load_##SFX(b1 + p);                              \
                V y2 = load_##SFX(b2 + p), y3 = load_##SFX(b3 + p);                              \
                s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;                  \
                s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;                  \
            }                                                                                    \
            V s[2][4] = {{s00, s01, s02, s03}, {s10, s11, s12, s13}};                            \
            const T *ar[2] = {a0, a1}, *br[4] = {b0, b1, b2, b3};                                \
            for (ptrdiff_t r = 0; r < mi; r++) {                                                 \
                for (ptrdiff_t q = 0; q < nj; q++) {                                             \
                    T t = hsum_##SFX(s[r][q]);                                                   \
                    for (ptrdiff_t p = kv; p < k; p++) t += ar[r][p] * br[q][p];                 \
                    T *cij = c + (i0 + r) * ldc + j0 + q;                                        \
                    *cij = beta == 0 ? alpha * t : alpha * t + beta * *cij;                      \
                }                                                                                \
            }                                                                                    \
        }                                                                                        \
    }                                                                                            \
}                                                                                                \
                                                                                                \
int mb_gemm_small_##SFX(int ta, int tb, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, T alpha,         \
                        const T *a, ptrdiff_t lda, const T *b, ptrdiff_t ldb, T beta, T *c,      \
                        ptrdiff_t ldc) {                                                         \
    if (ta && tb) return 0;                                                                      \
    if (tb) { nt_##SFX(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); return 1; }                \
    if (k > 512) return 0;                                                                       \
    nn_##SFX(m, n, k, alpha, a, ta ? 1 : lda, ta ? lda : 1, b, ldb, beta, c, ldc);               \
    return 1;                                                                                    \
}

DEFINE_SMALL_GEMM(float, v8f, 8, f32)
DEFINE_SMALL_GEMM(double, v4d, 4, f64)
