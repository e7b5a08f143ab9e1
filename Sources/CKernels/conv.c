#include "mb_conv.h"
#include <math.h>
#include <string.h>

/* First and one-past-last output column whose input column ow·s − p + j lies in [0, W). */
static inline void mb_valid_columns(ptrdiff_t W, ptrdiff_t s, ptrdiff_t p, ptrdiff_t j, ptrdiff_t Wo,
                                    ptrdiff_t *lo, ptrdiff_t *hi) {
    ptrdiff_t a = p - j, b = W + p - j; /* need a <= ow·s < b */
    ptrdiff_t l = a <= 0 ? 0 : (a + s - 1) / s;
    ptrdiff_t h = b <= 0 ? 0 : (b + s - 1) / s;
    *lo = l < Wo ? l : Wo;
    *hi = h < Wo ? h : Wo;
    if (*hi < *lo) *hi = *lo;
}

#define DEFINE_CONV(T, SFX)                                                                  \
void mb_im2col_##SFX(const T *x, T *cols, ptrdiff_t ld, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, \
                     ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo, \
                     const ptrdiff_t *taps, ptrdiff_t nt) {                                  \
    (void)kh;                                                                                \
    for (ptrdiff_t c = 0; c < C; c++)                                                        \
        for (ptrdiff_t t = 0; t < nt; t++) {                                                 \
            const ptrdiff_t i = taps[t] / kw, j = taps[t] % kw;                              \
            T *row = cols + (c * nt + t) * ld;                                               \
            ptrdiff_t lo, hi;                                                                \
            mb_valid_columns(W, sw, pw, j, Wo, &lo, &hi);                                    \
            for (ptrdiff_t oh = 0; oh < Ho; oh++) {                                          \
                T *restrict d = row + oh * Wo;                                               \
                ptrdiff_t ih = oh * sh - ph + i;                                             \
                if (ih < 0 || ih >= H) { for (ptrdiff_t k = 0; k < Wo; k++) d[k] = 0; continue; } \
                const T *restrict s = x + (c * H + ih) * W + (lo * sw - pw + j);             \
                for (ptrdiff_t k = 0; k < lo; k++) d[k] = 0;                                 \
                if (sw == 1) for (ptrdiff_t k = lo; k < hi; k++) d[k] = s[k - lo];           \
                else for (ptrdiff_t k = lo; k < hi; k++) d[k] = s[(k - lo) * sw];            \
                for (ptrdiff_t k = hi; k < Wo; k++) d[k] = 0;                                \
            }                                                                                \
        }                                                                                    \
}                                                                                            \
                                                                                             \
void mb_col2im_##SFX(const T *cols, ptrdiff_t ld, T *x, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, \
                     ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo, \
                     const ptrdiff_t *taps, ptrdiff_t nt) {                                  \
    (void)kh;                                                                                \
    memset(x, 0, (size_t)(C * H * W) * sizeof(T));                                           \
    for (ptrdiff_t c = 0; c < C; c++)                                                        \
        for (ptrdiff_t t = 0; t < nt; t++) {                                                 \
            const ptrdiff_t i = taps[t] / kw, j = taps[t] % kw;                              \
            const T *row = cols + (c * nt + t) * ld;                                         \
            ptrdiff_t lo, hi;                                                                \
            mb_valid_columns(W, sw, pw, j, Wo, &lo, &hi);                                    \
            for (ptrdiff_t oh = 0; oh < Ho; oh++) {                                          \
                ptrdiff_t ih = oh * sh - ph + i;                                             \
                if (ih < 0 || ih >= H) continue;                                             \
                const T *restrict s = row + oh * Wo;                                         \
                T *restrict d = x + (c * H + ih) * W + (lo * sw - pw + j);                   \
                if (sw == 1) for (ptrdiff_t k = lo; k < hi; k++) d[k - lo] += s[k];          \
                else for (ptrdiff_t k = lo; k < hi; k++) d[(k - lo) * sw] += s[k];           \
            }                                                                                \
        }                                                                                    \
}                                                                                            \
                                                                                             \
void mb_max_pool_##SFX(const T *x, T *y, int32_t *argmax, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, \
                       ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo) { \
    for (ptrdiff_t p = 0; p < planes; p++) {                                                 \
        const T *xp = x + p * H * W;                                                         \
        T *restrict yp = y + p * Ho * Wo;                                                    \
        int32_t *restrict ap = argmax + p * Ho * Wo;                                         \
        if (kh == 1 && kw == 2 && sw == 2) {                                                 \
            /* Pairs along rows (MaxPool1d(2), MaxPool2d((1, 2))): vectorises. */            \
            for (ptrdiff_t oh = 0; oh < Ho; oh++) {                                          \
                const T *restrict r = xp + oh * sh * W;                                      \
                T *restrict yr = yp + oh * Wo;                                               \
                int32_t *restrict ar = ap + oh * Wo;                                         \
                const int32_t base = (int32_t)(oh * sh * W);                                 \
                for (ptrdiff_t ow = 0; ow < Wo; ow++) {                                      \
                    T a = r[2 * ow], b = r[2 * ow + 1];                                      \
                    int take = (b > a) | ((b != b) & (a == a));                              \
                    yr[ow] = take ? b : a;                                                   \
                    ar[ow] = base + (int32_t)(2 * ow) + take;                                \
                }                                                                            \
            }                                                                                \
            continue;                                                                        \
        }                                                                                    \
        for (ptrdiff_t oh = 0; oh < Ho; oh++)                                                \
            for (ptrdiff_t ow = 0; ow < Wo; ow++) {                                          \
                ptrdiff_t best = (oh * sh) * W + ow * sw;                                    \
                T m = xp[best];                                                              \
                for (ptrdiff_t i = 0; i < kh; i++)                                           \
                    for (ptrdiff_t j = 0; j < kw; j++) {                                     \
                        ptrdiff_t k = (oh * sh + i) * W + ow * sw + j;                       \
                        T v = xp[k];                                                         \
                        /* branch-free: random data would mispredict half the time */       \
                        int take = (v > m) | ((v != v) & (m == m));                          \
                        m = take ? v : m;                                                    \
                        best = take ? k : best;                                              \
                    }                                                                        \
                yp[oh * Wo + ow] = m;                                                        \
                ap[oh * Wo + ow] = (int32_t)best;                                            \
            }                                                                                \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_max_pool_scatter_##SFX(const T *g, const int32_t *argmax, T *dx, ptrdiff_t planes, ptrdiff_t in, \
                               ptrdiff_t out) {                                              \
    memset(dx, 0, (size_t)(planes * in) * sizeof(T));                                        \
    for (ptrdiff_t p = 0; p < planes; p++) {                                                 \
        T *d = dx + p * in;                                                                  \
        const T *gp = g + p * out;                                                           \
        const int32_t *ap = argmax + p * out;                                                \
        for (ptrdiff_t j = 0; j < out; j++) d[ap[j]] += gp[j];                               \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_max_pool_gather_##SFX(const T *h, const int32_t *argmax, T *y, ptrdiff_t planes, ptrdiff_t in, \
                              ptrdiff_t out) {                                               \
    for (ptrdiff_t p = 0; p < planes; p++) {                                                 \
        const T *hp = h + p * in;                                                            \
        T *restrict yp = y + p * out;                                                        \
        const int32_t *ap = argmax + p * out;                                                \
        for (ptrdiff_t j = 0; j < out; j++) yp[j] = hp[ap[j]];                               \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_avg_pool_##SFX(const T *x, T *y, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw, \
                       ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo) {             \
    T scale = (T)1 / (T)(kh * kw);                                                           \
    for (ptrdiff_t p = 0; p < planes; p++) {                                                 \
        const T *xp = x + p * H * W;                                                         \
        for (ptrdiff_t oh = 0; oh < Ho; oh++)                                                \
            for (ptrdiff_t ow = 0; ow < Wo; ow++) {                                          \
                T s = 0;                                                                     \
                for (ptrdiff_t i = 0; i < kh; i++)                                           \
                    for (ptrdiff_t j = 0; j < kw; j++) s += xp[(oh * sh + i) * W + ow * sw + j]; \
                y[(p * Ho + oh) * Wo + ow] = s * scale;                                      \
            }                                                                                \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_avg_pool_backward_##SFX(const T *g, T *dx, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, \
                                ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo) { \
    T scale = (T)1 / (T)(kh * kw);                                                           \
    memset(dx, 0, (size_t)(planes * H * W) * sizeof(T));                                    \
    for (ptrdiff_t p = 0; p < planes; p++) {                                                 \
        T *d = dx + p * H * W;                                                               \
        for (ptrdiff_t oh = 0; oh < Ho; oh++)                                                \
            for (ptrdiff_t ow = 0; ow < Wo; ow++) {                                          \
                T v = g[(p * Ho + oh) * Wo + ow] * scale;                                    \
                for (ptrdiff_t i = 0; i < kh; i++)                                           \
                    for (ptrdiff_t j = 0; j < kw; j++) d[(oh * sh + i) * W + ow * sw + j] += v; \
            }                                                                                \
    }                                                                                        \
}

DEFINE_CONV(float, f32)
DEFINE_CONV(double, f64)
