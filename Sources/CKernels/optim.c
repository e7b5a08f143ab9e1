#include "mb_optim.h"
#include <math.h>

#define DEFINE_OPTIM(T, SFX, SQRT)                                                           \
void mb_adam_##SFX(T *restrict p, const T *restrict g, T *restrict m, T *restrict v, ptrdiff_t n, \
                   T lr, T b1, T b2, T eps, T bc1, T bc2, T wd, int decoupled) {              \
    T step = lr / bc1, rbc2 = (T)1 / SQRT(bc2);                                              \
    T shrink = decoupled ? (T)1 - lr * wd : (T)1, l2 = decoupled ? (T)0 : wd;                \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
        T gi = g[i] + l2 * p[i];                                                             \
        T mi = b1 * m[i] + ((T)1 - b1) * gi;                                                 \
        T vi = b2 * v[i] + ((T)1 - b2) * gi * gi;                                            \
        m[i] = mi; v[i] = vi;                                                                \
        p[i] = p[i] * shrink - step * mi / (SQRT(vi) * rbc2 + eps);                          \
    }                                                                                        \
}                                                                                            \
void mb_sgd_##SFX(T *restrict p, const T *restrict g, T *restrict buf, ptrdiff_t n, T lr, T mu, \
                  T dampening, T wd, int nesterov, int first) {                              \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
        T gi = g[i] + wd * p[i];                                                             \
        if (mu != 0) {                                                                       \
            T b = first ? gi : mu * buf[i] + ((T)1 - dampening) * gi;                        \
            buf[i] = b;                                                                      \
            gi = nesterov ? gi + mu * b : b;                                                 \
        }                                                                                    \
        p[i] -= lr * gi;                                                                     \
    }                                                                                        \
}                                                                                            \
double mb_sum_squares_##SFX(const T *restrict x, ptrdiff_t n) {                              \
    double acc = 0;                                                                          \
    for (ptrdiff_t i = 0; i < n; i++) acc += (double)x[i] * (double)x[i];                    \
    return acc;                                                                              \
}

DEFINE_OPTIM(float, f32, sqrtf)
DEFINE_OPTIM(double, f64, sqrt)
