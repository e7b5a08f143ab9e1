#include "mb_conv.h"
#include <string.h>

/* Parametric ReLU over [N, C, inner] with one slope per channel: y = x > 0 ? x : a[c]·x. */
#define DEFINE_PRELU(T, SFX)                                                                  \
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
                /* eight partial sums so the loop vectorises without reassociation flags */  \
                T acc[8] = {0};                                                               \
                ptrdiff_t i = 0;                                                              \
                for (; i + 8 <= inner; i += 8)                                                \
                    for (int k = 0; k < 8; k++) acc[k] += xr[i + k] > 0 ? (T)0 : gr[i + k] * xr[i + k]; \
                T sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])); \
                for (; i < inner; i++) sum += xr[i] > 0 ? (T)0 : gr[i] * xr[i];               \
                da[c] += sum;                                                                 \
            }                                                                                 \
        }                                                                                     \
}

DEFINE_PRELU(float, f32)
DEFINE_PRELU(double, f64)
