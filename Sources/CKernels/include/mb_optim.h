#ifndef MB_OPTIM_H
#define MB_OPTIM_H
#include <stddef.h>

/* One fused Adam/AdamW step over a parameter tensor, as PyTorch's single-tensor Adam:
   m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
   p -= lr * (m / bc1) / (sqrt(v / bc2) + eps), with bc_i = 1 - b_i^t.
   decoupled_decay (AdamW) multiplies p by (1 - lr * wd) first; otherwise wd is added to g (L2). */
void mb_adam_f32(float *p, const float *g, float *m, float *v, ptrdiff_t n, float lr, float b1,
                 float b2, float eps, float bc1, float bc2, float wd, int decoupled_decay);
void mb_adam_f64(double *p, const double *g, double *m, double *v, ptrdiff_t n, double lr, double b1,
                 double b2, double eps, double bc1, double bc2, double wd, int decoupled_decay);

/* SGD with momentum (PyTorch convention): g += wd p; buf = mu buf + (1 - dampening) g
   (buf = g on the first step); g = nesterov ? g + mu buf : buf; p -= lr g. */
void mb_sgd_f32(float *p, const float *g, float *buf, ptrdiff_t n, float lr, float momentum,
                float dampening, float wd, int nesterov, int first_step);
void mb_sgd_f64(double *p, const double *g, double *buf, ptrdiff_t n, double lr, double momentum,
                double dampening, double wd, int nesterov, int first_step);

/* Sum of squares (for gradient-norm clipping), accumulated in double. */
double mb_sum_squares_f32(const float *x, ptrdiff_t n);
double mb_sum_squares_f64(const double *x, ptrdiff_t n);

#endif
