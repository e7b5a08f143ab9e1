#include "mb_elementwise.h"
#include "vmath.h"
#include <math.h>

/* Special functions not in libm. digamma and trigamma: recurrence up to x >= 10, then the
   asymptotic series (Abramowitz & Stegun 6.3.18 and 6.4.12; remainder < 1e-16 from 10, ~2e-13
   from 6); reflection for x < 0. */
static double mb_digamma(double x) {
    if (isnan(x) || x == -INFINITY) return NAN;
    if (x <= 0 && floor(x) == x) return NAN;
    double result = 0.0;
    if (x < 0) { /* psi(1-x) - psi(x) = pi cot(pi x) */
        result -= M_PI / tan(M_PI * x);
        x = 1.0 - x;
    }
    while (x < 10.0) { result -= 1.0 / x; x += 1.0; }
    double f = 1.0 / (x * x);
    double t = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132 + f * (691.0 / 32760 + f * (-1.0 / 12)))))));
    return result + log(x) - 0.5 / x + t;
}

static double mb_trigamma(double x) {
    if (isnan(x)) return NAN;
    if (x <= 0 && floor(x) == x) return NAN;
    double result = 0.0;
    if (x < 0) { /* psi1(1-x) + psi1(x) = pi^2 / sin^2(pi x) */
        double s = sin(M_PI * x);
        return -mb_trigamma(1.0 - x) + M_PI * M_PI / (s * s);
    }
    while (x < 10.0) { result += 1.0 / (x * x); x += 1.0; }
    double f = 1.0 / (x * x);
    double t = 1.0 / x + f / 2 + f / x * (1.0 / 6 + f * (-1.0 / 30 + f * (1.0 / 42 + f * (-1.0 / 30 + f * (5.0 / 66 + f * (-691.0 / 2730 + f * 7.0 / 6))))));
    return result + t;
}

/* Double precision keeps libm (exact to ~1 ulp, needed by gradient checks); single precision
   uses the vectorisable kernels of vmath.h. Sigmoid and softplus go through e^{-|x|} once. */
static inline double mb_sigmoid(double x) {
    double e = exp(-fabs(x)), s = 1.0 / (1.0 + e);
    return x >= 0 ? s : e * s;
}
static inline double mb_softplus(double x) { return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x))); }

#define DEFINE_ELEMENTWISE(T, SFX, EXP, LOG, LOG1P, TANH, SIN, COS, SQRT, FABS, ERF, LGAMMA, EXPM1, SIGMOID, SOFTPLUS) \
void mb_unary_##SFX(int op, const T *restrict x, T *restrict y, ptrdiff_t n) {                  \
    switch (op) {                                                                            \
    case MB_UNARY_NEG: for (ptrdiff_t i = 0; i < n; i++) y[i] = -x[i]; break;                \
    case MB_UNARY_EXP: for (ptrdiff_t i = 0; i < n; i++) y[i] = EXP(x[i]); break;            \
    case MB_UNARY_LOG: for (ptrdiff_t i = 0; i < n; i++) y[i] = LOG(x[i]); break;            \
    case MB_UNARY_LOG1P: for (ptrdiff_t i = 0; i < n; i++) y[i] = LOG1P(x[i]); break;        \
    case MB_UNARY_TANH: for (ptrdiff_t i = 0; i < n; i++) y[i] = TANH(x[i]); break;          \
    case MB_UNARY_SIGMOID: for (ptrdiff_t i = 0; i < n; i++) y[i] = SIGMOID(x[i]); break;    \
    case MB_UNARY_SOFTPLUS: for (ptrdiff_t i = 0; i < n; i++) y[i] = SOFTPLUS(x[i]); break;  \
    case MB_UNARY_RELU: for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : (T)0; break; \
    case MB_UNARY_STEP: for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] > 0 ? (T)1 : (T)0; break; \
    case MB_UNARY_SIN: for (ptrdiff_t i = 0; i < n; i++) y[i] = SIN(x[i]); break;            \
    case MB_UNARY_COS: for (ptrdiff_t i = 0; i < n; i++) y[i] = COS(x[i]); break;            \
    case MB_UNARY_SQRT: for (ptrdiff_t i = 0; i < n; i++) y[i] = SQRT(x[i]); break;          \
    case MB_UNARY_ABS: for (ptrdiff_t i = 0; i < n; i++) y[i] = FABS(x[i]); break;           \
    case MB_UNARY_SIGN:                                                                      \
        for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] > 0 ? (T)1 : (x[i] < 0 ? (T)-1 : (T)0); \
        break;                                                                               \
    case MB_UNARY_SQUARE: for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] * x[i]; break;       \
    case MB_UNARY_RECIPROCAL: for (ptrdiff_t i = 0; i < n; i++) y[i] = (T)1 / x[i]; break;   \
    case MB_UNARY_ERF: for (ptrdiff_t i = 0; i < n; i++) y[i] = ERF(x[i]); break;            \
    case MB_UNARY_LGAMMA: for (ptrdiff_t i = 0; i < n; i++) y[i] = LGAMMA(x[i]); break;      \
    case MB_UNARY_DIGAMMA: for (ptrdiff_t i = 0; i < n; i++) y[i] = (T)mb_digamma(x[i]); break; \
    case MB_UNARY_TRIGAMMA: for (ptrdiff_t i = 0; i < n; i++) y[i] = (T)mb_trigamma(x[i]); break; \
    case MB_UNARY_EXPM1: for (ptrdiff_t i = 0; i < n; i++) y[i] = EXPM1(x[i]); break;        \
    case MB_UNARY_RSQRT: for (ptrdiff_t i = 0; i < n; i++) y[i] = (T)1 / SQRT(x[i]); break;  \
    }                                                                                        \
}                                                                                            \
                                                                                             \
static inline T mb_apply_##SFX(int op, T a, T b) {                                           \
    switch (op) {                                                                            \
    case MB_BINARY_ADD: return a + b;                                                        \
    case MB_BINARY_SUB: return a - b;                                                        \
    case MB_BINARY_MUL: return a * b;                                                        \
    case MB_BINARY_DIV: return a / b;                                                        \
    case MB_BINARY_POW: return (T)pow((double)a, (double)b);                                 \
    case MB_BINARY_MAX: return a > b ? a : (b > a ? b : (isnan(a) ? a : b));                  \
    case MB_BINARY_MIN: return a < b ? a : (b < a ? b : (isnan(a) ? a : b));                  \
    case MB_BINARY_GREATER: return a > b ? (T)1 : (T)0;                                      \
    case MB_BINARY_LESS: return a < b ? (T)1 : (T)0;                                         \
    case MB_BINARY_EQUAL: return a == b ? (T)1 : (T)0;                                       \
    case MB_BINARY_GREATER_EQUAL: return a >= b ? (T)1 : (T)0;                               \
    case MB_BINARY_LESS_EQUAL: return a <= b ? (T)1 : (T)0;                                  \
    case MB_BINARY_TANH_GRAD: return a * ((T)1 - b * b);                                     \
    case MB_BINARY_SIGMOID_GRAD: return a * b * ((T)1 - b);                                  \
    case MB_BINARY_RELU_GRAD: return b > 0 ? a : (T)0;                                       \
    }                                                                                        \
    return (T)0;                                                                             \
}                                                                                            \
                                                                                             \
/* Innermost loop with the op hoisted out so that each case vectorises. */                   \
static void mb_binary_row_##SFX(int op, const T *restrict a, ptrdiff_t sa, const T *restrict b, \
                                ptrdiff_t sb, T *restrict y, ptrdiff_t n) {                  \
    if (sa == 1 && sb == 1) {                                                                \
        switch (op) {                                                                        \
        case MB_BINARY_ADD: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] + b[i]; return;    \
        case MB_BINARY_SUB: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] - b[i]; return;    \
        case MB_BINARY_MUL: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] * b[i]; return;    \
        case MB_BINARY_DIV: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] / b[i]; return;    \
        case MB_BINARY_TANH_GRAD: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] * ((T)1 - b[i] * b[i]); return; \
        case MB_BINARY_SIGMOID_GRAD: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] * b[i] * ((T)1 - b[i]); return; \
        case MB_BINARY_RELU_GRAD: for (ptrdiff_t i = 0; i < n; i++) y[i] = b[i] > 0 ? a[i] : (T)0; return; \
        }                                                                                    \
    } else if (sa == 1 && sb == 0) {                                                         \
        T c = b[0];                                                                          \
        switch (op) {                                                                        \
        case MB_BINARY_ADD: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] + c; return;       \
        case MB_BINARY_SUB: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] - c; return;       \
        case MB_BINARY_MUL: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] * c; return;       \
        case MB_BINARY_DIV: for (ptrdiff_t i = 0; i < n; i++) y[i] = a[i] / c; return;       \
        }                                                                                    \
    } else if (sa == 0 && sb == 1) {                                                         \
        T c = a[0];                                                                          \
        switch (op) {                                                                        \
        case MB_BINARY_ADD: for (ptrdiff_t i = 0; i < n; i++) y[i] = c + b[i]; return;       \
        case MB_BINARY_SUB: for (ptrdiff_t i = 0; i < n; i++) y[i] = c - b[i]; return;       \
        case MB_BINARY_MUL: for (ptrdiff_t i = 0; i < n; i++) y[i] = c * b[i]; return;       \
        case MB_BINARY_DIV: for (ptrdiff_t i = 0; i < n; i++) y[i] = c / b[i]; return;       \
        }                                                                                    \
    }                                                                                        \
    for (ptrdiff_t i = 0; i < n; i++) y[i] = mb_apply_##SFX(op, a[i * sa], b[i * sb]);       \
}                                                                                            \
                                                                                             \
void mb_binary_##SFX(int op, const T *a, const ptrdiff_t *astride, const T *b,               \
                     const ptrdiff_t *bstride, T *y, const ptrdiff_t *shape, int ndim) {     \
    if (ndim == 0) { y[0] = mb_apply_##SFX(op, a[0], b[0]); return; }                         \
    ptrdiff_t inner = shape[ndim - 1];                                                       \
    ptrdiff_t outer = 1;                                                                     \
    for (int d = 0; d < ndim - 1; d++) outer *= shape[d];                                    \
    ptrdiff_t index[16] = {0};                                                               \
    ptrdiff_t ao = 0, bo = 0;                                                                \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        mb_binary_row_##SFX(op, a + ao, astride[ndim - 1], b + bo, bstride[ndim - 1], y + o * inner, inner); \
        for (int d = ndim - 2; d >= 0; d--) {                                                \
            index[d]++; ao += astride[d]; bo += bstride[d];                                  \
            if (index[d] < shape[d]) break;                                                  \
            ao -= astride[d] * shape[d]; bo -= bstride[d] * shape[d]; index[d] = 0;          \
        }                                                                                    \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_affine_##SFX(const T *restrict x, T *restrict y, ptrdiff_t n, T a, T b) {            \
    for (ptrdiff_t i = 0; i < n; i++) y[i] = a * x[i] + b;                                   \
}                                                                                            \
                                                                                             \
void mb_sum_axis_##SFX(const T *restrict x, T *restrict y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner) { \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        T *restrict yo = y + o * inner;                                                      \
        const T *restrict xo = x + o * n * inner;                                            \
        if (inner == 1) {                                                                    \
            T acc[8] = {0};                                                                  \
            ptrdiff_t i = 0;                                                                 \
            for (; i + 8 <= n; i += 8)                                                       \
                for (int k = 0; k < 8; k++) acc[k] += xo[i + k];                             \
            T s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])); \
            for (; i < n; i++) s += xo[i];                                                   \
            yo[0] = s;                                                                       \
        } else {                                                                             \
            for (ptrdiff_t j = 0; j < inner; j++) yo[j] = 0;                                 \
            for (ptrdiff_t i = 0; i < n; i++)                                                \
                for (ptrdiff_t j = 0; j < inner; j++) yo[j] += xo[i * inner + j];            \
        }                                                                                    \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_max_axis_##SFX(const T *restrict x, T *restrict y, int64_t *restrict idx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner) { \
    for (ptrdiff_t o = 0; o < outer; o++)                                                    \
        for (ptrdiff_t j = 0; j < inner; j++) {                                              \
            const T *xo = x + o * n * inner + j;                                             \
            T best = xo[0]; int64_t arg = 0;                                                 \
            for (ptrdiff_t i = 1; i < n; i++) {                                              \
                T v = xo[i * inner];                                                         \
                if (v > best || (isnan(v) && !isnan(best))) { best = v; arg = i; }           \
            }                                                                                \
            y[o * inner + j] = best;                                                         \
            if (idx) idx[o * inner + j] = arg;                                               \
        }                                                                                    \
}                                                                                            \
                                                                                             \
void mb_strided_copy_##SFX(const T *x, const ptrdiff_t *xstride, T *restrict y, const ptrdiff_t *shape, int ndim) { \
    if (ndim == 0) { y[0] = x[0]; return; }                                                  \
    ptrdiff_t inner = shape[ndim - 1], s = xstride[ndim - 1];                                \
    ptrdiff_t outer = 1;                                                                     \
    for (int d = 0; d < ndim - 1; d++) outer *= shape[d];                                    \
    ptrdiff_t index[16] = {0};                                                               \
    ptrdiff_t xo = 0;                                                                        \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        T *restrict yo = y + o * inner;                                                      \
        const T *xr = x + xo;                                                                \
        if (s == 1) for (ptrdiff_t i = 0; i < inner; i++) yo[i] = xr[i];                     \
        else for (ptrdiff_t i = 0; i < inner; i++) yo[i] = xr[i * s];                        \
        for (int d = ndim - 2; d >= 0; d--) {                                                \
            index[d]++; xo += xstride[d];                                                    \
            if (index[d] < shape[d]) break;                                                  \
            xo -= xstride[d] * shape[d]; index[d] = 0;                                       \
        }                                                                                    \
    }                                                                                        \
}                                                                                            \
                                                                                             \
void mb_select_##SFX(const T *restrict c, const T *restrict a, const T *restrict b, T *restrict y, ptrdiff_t n) { \
    for (ptrdiff_t i = 0; i < n; i++) y[i] = c[i] != 0 ? a[i] : b[i];                         \
}                                                                                            \
                                                                                             \
void mb_clamp_##SFX(const T *restrict x, T *restrict y, ptrdiff_t n, T lo, T hi) {           \
    for (ptrdiff_t i = 0; i < n; i++) { T v = x[i]; y[i] = v < lo ? lo : (v > hi ? hi : v); } \
}                                                                                            \
                                                                                             \
int mb_has_nonfinite_##SFX(const T *x, ptrdiff_t n) {                                        \
    T acc = 0;                                                                               \
    for (ptrdiff_t i = 0; i < n; i++) acc += x[i] * (T)0;                                    \
    return acc != acc;                                                                       \
}

DEFINE_ELEMENTWISE(float, f32, mb_expf, mb_logf, mb_log1pf, mb_tanhf, sinf, cosf, sqrtf, fabsf, mb_erff, lgammaf,
                   mb_expm1f, mb_sigmoidf, mb_softplusf)
DEFINE_ELEMENTWISE(double, f64, exp, log, log1p, tanh, sin, cos, sqrt, fabs, erf, lgamma, expm1, mb_sigmoid, mb_softplus)

void mb_convert_f32_f64(const float *restrict x, double *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i];
}
void mb_convert_f64_f32(const double *restrict x, float *restrict y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = (float)x[i];
}
