#include "mb_conv.h"
#include <stdint.h>
#include <string.h>

/* Parametric ReLU over [N, C, inner] with one slope per channel: y = x > 0 ? x : a[c]·x. */
#define DEFINE_PRELU(T, I, SFX, LANES)                                                        \
typedef T mb_pvec_##SFX __attribute__((vector_size(32)));                                     \
typedef T mb_upvec_##SFX __attribute__((vector_size(32), aligned(sizeof(T)), may_alias));      \
typedef I mb_pivec_##SFX __attribute__((vector_size(32)));                                    \
void mb_prelu_##SFX(const T *x, const T *a, T *y, ptrdiff_t n0, ptrdiff_t n1, ptrdiff_t C, ptrdiff_t inner) { \
    for (ptrdiff_t n = n0; n < n1; n++)                                                       \
        for (ptrdiff_t c = 0; c < C; c++) {                                                   \
            const T s = a[c];                                                                 \
            const T *restrict xr = x + (n * C + c) * inner;                                   \
            T *restrict yr = y + (n * C + c) * inner;                                         \
            for (ptrdiff_t i = 0; i < inner; i++) {                                           \
                T v = xr[i];                                                                  \
                yr[i] = v > 0 ? v : s * v;                                                    \
            }                                                                                 \
        }                                                                                     \
}                                                                                             \
                                                                                              \
void mb_prelu_backward_##SFX(const T *g, const T *x, const T *a, T *dx, T *da, ptrdiff_t n0, ptrdiff_t n1, \
                             ptrdiff_t C, ptrdiff_t inner) {                                  \
    if (da) memset(da, 0, (size_t)C * sizeof(T));                                             \
    for (ptrdiff_t n = n0; n < n1; n++)                                                       \
        for (ptrdiff_t c = 0; c < C; c++) {                                                   \
            const T s = a[c];                                                                 \
            const T *restrict gr = g + (n * C + c) * inner, *restrict xr = x + (n * C + c) * inner; \
            if (dx) {                                                                         \
                T *restrict dr = dx + (n * C + c) * inner;                                    \
                for (ptrdiff_t i = 0; i < inner; i++) dr[i] = xr[i] > 0 ? gr[i] : s * gr[i];  \
            }                                                                                 \
            if (da) {                                                                         \
                /* lane-parallel sums of g·x over x ≤ 0 (or NaN), then a fixed-order reduction */ \
                mb_pvec_##SFX acc = {0};                                                      \
                ptrdiff_t i = 0;                                                              \
                for (; i + LANES <= inner; i += LANES) {                                      \
                    mb_pvec_##SFX xv = *(const mb_upvec_##SFX *)(xr + i), gv = *(const mb_upvec_##SFX *)(gr + i); \
                    mb_pivec_##SFX keep = ~(xv > (mb_pvec_##SFX){0});                         \
                    acc += gv * (mb_pvec_##SFX)((mb_pivec_##SFX)xv & keep);                   \
                }                                                                             \
                T sum = 0;                                                                    \
                for (int l = 0; l < LANES; l++) sum += acc[l];                                \
                for (; i < inner; i++) sum += xr[i] > 0 ? (T)0 : gr[i] * xr[i];               \
                da[c] += sum;                                                                 \
            }                                                                                 \
        }                                                                                     \
}

DEFINE_PRELU(float, int32_t, f32, 8)
DEFINE_PRELU(double, int64_t, f64, 4)
