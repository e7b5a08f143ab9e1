#include "mb_nn.h"
#include "vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sum with eight partial accumulators so the loop vectorises without fast-math. */
#define DEFINE_SUM(T, SFX)                                                                   \
static inline T mb_row_sum_##SFX(const T *restrict x, ptrdiff_t n) {                         \
    T acc[8] = {0};                                                                          \
    ptrdiff_t i = 0;                                                                         \
    for (; i + 8 <= n; i += 8)                                                               \
        for (int k = 0; k < 8; k++) acc[k] += x[i + k];                                      \
    T s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])); \
    for (; i < n; i++) s += x[i];                                                            \
    return s;                                                                                \
}                                                                                            \
static inline T mb_row_dot_##SFX(const T *restrict x, const T *restrict y, ptrdiff_t n) {    \
    T acc[8] = {0};                                                                          \
    ptrdiff_t i = 0;                                                                         \
    for (; i + 8 <= n; i += 8)                                                               \
        for (int k = 0; k < 8; k++) acc[k] += x[i + k] * y[i + k];                           \
    T s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])); \
    for (; i < n; i++) s += x[i] * y[i];                                                     \
    return s;                                                                                \
}                                                                                            \
static inline T mb_row_max_##SFX(const T *restrict x, ptrdiff_t n) {                         \
    T acc[8];                                                                                \
    for (int k = 0; k < 8; k++) acc[k] = -INFINITY;                                          \
    ptrdiff_t i = 0;                                                                         \
    for (; i + 8 <= n; i += 8)                                                               \
        for (int k = 0; k < 8; k++) acc[k] = x[i + k] > acc[k] ? x[i + k] : acc[k];          \
    T m = -INFINITY;                                                                         \
    for (int k = 0; k < 8; k++) m = acc[k] > m ? acc[k] : m;                                 \
    for (; i < n; i++) m = x[i] > m ? x[i] : m;                                              \
    return m;                                                                                \
}

#define DEFINE_NN(T, SFX, EXP, EXPM1, LOG, SQRT, CDF)                                               \
DEFINE_SUM(T, SFX)                                                                           \
void mb_softmax_##SFX(const T *x, T *y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic) { \
    if (inner == 1) {                                                                        \
        for (ptrdiff_t o = 0; o < outer; o++) {                                              \
            const T *restrict xr = x + o * n;                                                \
            T *restrict yr = y + o * n;                                                      \
            T m = mb_row_max_##SFX(xr, n);                                                   \
            for (ptrdiff_t i = 0; i < n; i++) yr[i] = EXP(xr[i] - m);                        \
            T s = mb_row_sum_##SFX(yr, n);                                                   \
            if (logarithmic) {                                                               \
                T shift = m + LOG(s);                                                        \
                for (ptrdiff_t i = 0; i < n; i++) yr[i] = xr[i] - shift;                     \
            } else {                                                                         \
                T r = (T)1 / s;                                                              \
                for (ptrdiff_t i = 0; i < n; i++) yr[i] *= r;                                \
            }                                                                                \
        }                                                                                    \
        return;                                                                              \
    }                                                                                        \
    T *m = malloc(2 * (size_t)inner * sizeof(T)), *s = m + inner;                            \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        const T *restrict xo = x + o * n * inner;                                            \
        T *restrict yo = y + o * n * inner;                                                  \
        for (ptrdiff_t j = 0; j < inner; j++) { m[j] = -INFINITY; s[j] = 0; }               \
        for (ptrdiff_t i = 0; i < n; i++)                                                    \
            for (ptrdiff_t j = 0; j < inner; j++) m[j] = xo[i * inner + j] > m[j] ? xo[i * inner + j] : m[j]; \
        for (ptrdiff_t i = 0; i < n; i++)                                                    \
            for (ptrdiff_t j = 0; j < inner; j++) {                                          \
                T e = EXP(xo[i * inner + j] - m[j]);                                         \
                yo[i * inner + j] = e;                                                       \
                s[j] += e;                                                                   \
            }                                                                                \
        if (logarithmic) {                                                                   \
            for (ptrdiff_t j = 0; j < inner; j++) s[j] = m[j] + LOG(s[j]);                   \
            for (ptrdiff_t i = 0; i < n; i++)                                                \
                for (ptrdiff_t j = 0; j < inner; j++) yo[i * inner + j] = xo[i * inner + j] - s[j]; \
        } else {                                                                             \
            for (ptrdiff_t j = 0; j < inner; j++) s[j] = (T)1 / s[j];                        \
            for (ptrdiff_t i = 0; i < n; i++)                                                \
                for (ptrdiff_t j = 0; j < inner; j++) yo[i * inner + j] *= s[j];             \
        }                                                                                    \
    }                                                                                        \
    free(m);                                                                                 \
}                                                                                            \
                                                                                             \
void mb_softmax_backward_##SFX(const T *g, const T *y, T *dx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic) { \
    if (inner == 1) {                                                                        \
        for (ptrdiff_t o = 0; o < outer; o++) {                                              \
            const T *restrict gr = g + o * n, *restrict yr = y + o * n;                      \
            T *restrict dr = dx + o * n;                                                     \
            if (logarithmic) {                                                               \
                T s = mb_row_sum_##SFX(gr, n);                                               \
                for (ptrdiff_t i = 0; i < n; i++) dr[i] = gr[i] - EXP(yr[i]) * s;            \
            } else {                                                                         \
                T s = mb_row_dot_##SFX(gr, yr, n);                                           \
                for (ptrdiff_t i = 0; i < n; i++) dr[i] = yr[i] * (gr[i] - s);               \
            }                                                                                \
        }                                                                                    \
        return;                                                                              \
    }                                                                                        \
    T *s = malloc((size_t)inner * sizeof(T));                                                \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        const T *restrict go = g + o * n * inner, *restrict yo = y + o * n * inner;          \
        T *restrict d = dx + o * n * inner;                                                  \
        for (ptrdiff_t j = 0; j < inner; j++) s[j] = 0;                                      \
        for (ptrdiff_t i = 0; i < n; i++)                                                    \
            for (ptrdiff_t j = 0; j < inner; j++)                                            \
                s[j] += logarithmic ? go[i * inner + j] : go[i * inner + j] * yo[i * inner + j]; \
        for (ptrdiff_t i = 0; i < n; i++)                                                    \
            for (ptrdiff_t j = 0; j < inner; j++) {                                          \
                ptrdiff_t k = i * inner + j;                                                 \
                d[k] = logarithmic ? go[k] - EXP(yo[k]) * s[j] : yo[k] * (go[k] - s[j]);     \
            }                                                                                \
    }                                                                                        \
    free(s);                                                                                 \
}                                                                                            \
                                                                                             \
static void mb_layer_norm_rows_##SFX(const T *x, const T *gain, const T *bias, T *y, ptrdiff_t rows, ptrdiff_t n, T eps) { \
    for (ptrdiff_t r = 0; r < rows; r++) {                                                   \
        const T *restrict xr = x + r * n;                                                    \
        T *restrict yr = y + r * n;                                                          \
        T mean = mb_row_sum_##SFX(xr, n) / (T)n;                                             \
        for (ptrdiff_t i = 0; i < n; i++) yr[i] = xr[i] - mean;                              \
        T var = mb_row_dot_##SFX(yr, yr, n) / (T)n;                                          \
        T rstd = (T)1 / SQRT(var + eps);                                                     \
        if (gain && bias) for (ptrdiff_t i = 0; i < n; i++) yr[i] = yr[i] * rstd * gain[i] + bias[i]; \
        else if (gain) for (ptrdiff_t i = 0; i < n; i++) yr[i] = yr[i] * rstd * gain[i];     \
        else if (bias) for (ptrdiff_t i = 0; i < n; i++) yr[i] = yr[i] * rstd + bias[i];     \
        else for (ptrdiff_t i = 0; i < n; i++) yr[i] *= rstd;                                \
    }                                                                                        \
}                                                                                            \
                                                                                             \
static void mb_layer_norm_backward_rows_##SFX(const T *g, const T *x, const T *gain, T *dx, T *dgain, T *dbias, \
                                  ptrdiff_t rows, ptrdiff_t n, T eps) {                      \
    T *xh = malloc(2 * (size_t)n * sizeof(T)), *gh = xh + n;                                 \
    for (ptrdiff_t r = 0; r < rows; r++) {                                                   \
        const T *restrict xr = x + r * n, *restrict gr = g + r * n;                          \
        T *restrict dr = dx + r * n;                                                         \
        T mean = mb_row_sum_##SFX(xr, n) / (T)n;                                             \
        for (ptrdiff_t i = 0; i < n; i++) xh[i] = xr[i] - mean;                              \
        T rstd = (T)1 / SQRT(mb_row_dot_##SFX(xh, xh, n) / (T)n + eps);                      \
        for (ptrdiff_t i = 0; i < n; i++) xh[i] *= rstd;                                     \
        if (dgain) for (ptrdiff_t i = 0; i < n; i++) dgain[i] += gr[i] * xh[i];              \
        if (dbias) for (ptrdiff_t i = 0; i < n; i++) dbias[i] += gr[i];                      \
        if (gain) for (ptrdiff_t i = 0; i < n; i++) gh[i] = gr[i] * gain[i];                 \
        else for (ptrdiff_t i = 0; i < n; i++) gh[i] = gr[i];                                \
        T a = mb_row_sum_##SFX(gh, n) / (T)n, b = mb_row_dot_##SFX(gh, xh, n) / (T)n;        \
        for (ptrdiff_t i = 0; i < n; i++) dr[i] = rstd * (gh[i] - a - xh[i] * b);            \
    }                                                                                        \
    free(xh);                                                                                \
}                                                                                            \
                                                                                             \
void mb_gelu_##SFX(const T *restrict x, T *restrict y, ptrdiff_t n) {                        \
    for (ptrdiff_t i = 0; i < n; i++)                                                        \
        y[i] = x[i] * CDF(x[i]);                                                             \
}                                                                                            \
void mb_gelu_derivative_##SFX(const T *restrict x, T *restrict y, ptrdiff_t n) {             \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
        T v = x[i];                                                                          \
        y[i] = CDF(v) + v * (T)0.39894228040143267794 * EXP((T)-0.5 * v * v);                   \
    }                                                                                        \
}                                                                                            \
void mb_elu_##SFX(const T *restrict x, T *restrict y, ptrdiff_t n, T alpha) {                \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
        T v = x[i], e = alpha * EXPM1(v < 0 ? v : (T)0);                              \
        y[i] = v <= 0 ? e : v; /* NaN takes the second branch and propagates */              \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_where_##SFX(const T *c, const ptrdiff_t *cs, const T *a, const ptrdiff_t *as, const T *b, \
                    const ptrdiff_t *bs, T *y, const ptrdiff_t *shape, int ndim) {           \
    if (ndim == 0) { y[0] = c[0] != 0 ? a[0] : b[0]; return; }                               \
    ptrdiff_t inner = shape[ndim - 1], outer = 1;                                            \
    for (int d = 0; d < ndim - 1; d++) outer *= shape[d];                                    \
    ptrdiff_t index[16] = {0}, co = 0, ao = 0, bo = 0;                                       \
    ptrdiff_t ci = cs[ndim - 1], ai = as[ndim - 1], bi = bs[ndim - 1];                       \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        T *restrict yo = y + o * inner;                                                      \
        const T *cr = c + co, *ar = a + ao, *br = b + bo;                                    \
        if (ci == 1 && ai == 1 && bi == 1)                                                   \
            for (ptrdiff_t i = 0; i < inner; i++) yo[i] = cr[i] != 0 ? ar[i] : br[i];         \
        else                                                                                 \
            for (ptrdiff_t i = 0; i < inner; i++) yo[i] = cr[i * ci] != 0 ? ar[i * ai] : br[i * bi]; \
        for (int d = ndim - 2; d >= 0; d--) {                                                \
            index[d]++; co += cs[d]; ao += as[d]; bo += bs[d];                               \
            if (index[d] < shape[d]) break;                                                  \
            co -= cs[d] * shape[d]; ao -= as[d] * shape[d]; bo -= bs[d] * shape[d]; index[d] = 0; \
        }                                                                                    \
    }                                                                                        \
}

DEFINE_NN(float, f32, mb_expf, mb_expm1f, mb_logf, sqrtf, mb_normal_cdff)
DEFINE_NN(double, f64, exp, expm1, log, sqrt, mb_normal_cdf)

/* Layer norm in single precision, eight rows at a time when the row length is a multiple of
   8: each row's sums accumulate in its own vector (so eight independent chains overlap),
   and the eight vectors are reduced together by a transpose. The lane order of every sum is
   that of mb_row_sum/mb_row_dot, so these rows get the same values as the row-by-row path
   that handles the remaining rows and other lengths. */
typedef float mb_v8 __attribute__((ext_vector_type(8)));

static inline mb_v8 mb_ld8(const float *p) { mb_v8 v; memcpy(&v, p, sizeof v); return v; }
static inline void mb_st8(float *p, mb_v8 v) { memcpy(p, &v, sizeof v); }

/* Lane r of the result: the sum of the lanes of a[r], as ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)). */
static inline mb_v8 mb_reduce8(mb_v8 a[8]) {
    mb_v8 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(a[i], a[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(a[i], a[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    mb_v8 c[8];
    for (int i = 0; i < 4; i++) {
        c[i] = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        c[i + 4] = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
    return ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
}

/* Means and reciprocal standard deviations of rows x[0..7] (length n, a multiple of 8). */
static inline void mb_layer_norm_stats8(const float *x, ptrdiff_t n, float eps, mb_v8 *mean, mb_v8 *rstd) {
    mb_v8 acc[8];
    for (int r = 0; r < 8; r++) {
        acc[r] = (mb_v8)0;
        for (ptrdiff_t i = 0; i < n; i += 8) acc[r] += mb_ld8(x + r * n + i);
    }
    *mean = mb_reduce8(acc) / (float)n;
    for (int r = 0; r < 8; r++) {
        float m = (*mean)[r];
        acc[r] = (mb_v8)0;
        for (ptrdiff_t i = 0; i < n; i += 8) {
            mb_v8 d = mb_ld8(x + r * n + i) - m;
            acc[r] += d * d;
        }
    }
    mb_v8 var = mb_reduce8(acc) / (float)n;
    *rstd = 1.0f / __builtin_elementwise_sqrt(var + eps);
}

void mb_layer_norm_f32(const float *x, const float *gain, const float *bias, float *y, ptrdiff_t rows, ptrdiff_t n, float eps) {
    ptrdiff_t r0 = 0;
    if (n % 8 == 0 && gain && bias)
        for (; r0 + 8 <= rows; r0 += 8) {
            const float *xg = x + r0 * n;
            float *yg = y + r0 * n;
            mb_v8 mean, rstd;
            mb_layer_norm_stats8(xg, n, eps, &mean, &rstd);
            for (int r = 0; r < 8; r++) {
                float m = mean[r], s = rstd[r];
                for (ptrdiff_t i = 0; i < n; i += 8) {
                    mb_v8 d = mb_ld8(xg + r * n + i) - m;
                    mb_st8(yg + r * n + i, d * s * mb_ld8(gain + i) + mb_ld8(bias + i));
                }
            }
        }
    mb_layer_norm_rows_f32(x + r0 * n, gain, bias, y + r0 * n, rows - r0, n, eps);
}

void mb_layer_norm_f64(const double *x, const double *gain, const double *bias, double *y, ptrdiff_t rows, ptrdiff_t n, double eps) {
    mb_layer_norm_rows_f64(x, gain, bias, y, rows, n, eps);
}

void mb_layer_norm_backward_f32(const float *g, const float *x, const float *gain, float *dx, float *dgain, float *dbias,
                                ptrdiff_t rows, ptrdiff_t n, float eps) {
    ptrdiff_t r0 = 0;
    if (n % 8 == 0 && gain)
        for (; r0 + 8 <= rows; r0 += 8) {
            const float *xg = x + r0 * n, *gg = g + r0 * n;
            float *dg = dx + r0 * n;
            mb_v8 mean, rstd, a[8], b[8];
            mb_layer_norm_stats8(xg, n, eps, &mean, &rstd);
            for (int r = 0; r < 8; r++) {
                float m = mean[r], s = rstd[r];
                a[r] = b[r] = (mb_v8)0;
                for (ptrdiff_t i = 0; i < n; i += 8) {
                    mb_v8 xh = (mb_ld8(xg + r * n + i) - m) * s, gr = mb_ld8(gg + r * n + i);
                    if (dgain) mb_st8(dgain + i, mb_ld8(dgain + i) + gr * xh);
                    if (dbias) mb_st8(dbias + i, mb_ld8(dbias + i) + gr);
                    mb_v8 gh = gr * mb_ld8(gain + i);
                    a[r] += gh;
                    b[r] += gh * xh;
                }
            }
            mb_v8 av = mb_reduce8(a) / (float)n, bv = mb_reduce8(b) / (float)n;
            for (int r = 0; r < 8; r++) {
                float m = mean[r], s = rstd[r], ar = av[r], br = bv[r];
                for (ptrdiff_t i = 0; i < n; i += 8) {
                    mb_v8 xh = (mb_ld8(xg + r * n + i) - m) * s;
                    mb_v8 gh = mb_ld8(gg + r * n + i) * mb_ld8(gain + i);
                    mb_st8(dg + r * n + i, s * (gh - ar - xh * br));
                }
            }
        }
    mb_layer_norm_backward_rows_f32(g + r0 * n, x + r0 * n, gain, dx + r0 * n, dgain, dbias, rows - r0, n, eps);
}

void mb_layer_norm_backward_f64(const double *g, const double *x, const double *gain, double *dx, double *dgain,
                                double *dbias, ptrdiff_t rows, ptrdiff_t n, double eps) {
    mb_layer_norm_backward_rows_f64(g, x, gain, dx, dgain, dbias, rows, n, eps);
}
