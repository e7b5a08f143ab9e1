#ifndef MB_NN_H
#define MB_NN_H
#include <stddef.h>

/* Fused kernels of neural-network operations. Arrays are contiguous; "rows" means the
   reduction axis is the middle extent n of an [outer, n, inner] array. */

/* Softmax (logarithmic = 0) or log-softmax (logarithmic = 1) over the middle axis. */
void mb_softmax_f32(const float *x, float *y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic);
void mb_softmax_f64(const double *x, double *y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic);
/* Pullbacks: softmax dx = y (g - Σ g y); log-softmax dx = g - e^y Σ g (y is the output). */
void mb_softmax_backward_f32(const float *g, const float *y, float *dx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic);
void mb_softmax_backward_f64(const double *g, const double *y, double *dx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner, int logarithmic);

/* Layer normalisation of `rows` contiguous rows of length n:
   y = (x - μ) / √(σ² + eps) · gain + bias (gain, bias may be NULL). */
void mb_layer_norm_f32(const float *x, const float *gain, const float *bias, float *y, ptrdiff_t rows, ptrdiff_t n, float eps);
void mb_layer_norm_f64(const double *x, const double *gain, const double *bias, double *y, ptrdiff_t rows, ptrdiff_t n, double eps);
/* Its pullback: dx (written), and Σ over rows of g·x̂ and g ADDED to dgain and dbias
   (either may be NULL). gain may be NULL (taken as 1). */
void mb_layer_norm_backward_f32(const float *g, const float *x, const float *gain, float *dx, float *dgain, float *dbias,
                                ptrdiff_t rows, ptrdiff_t n, float eps);
void mb_layer_norm_backward_f64(const double *g, const double *x, const double *gain, double *dx, double *dgain,
                                double *dbias, ptrdiff_t rows, ptrdiff_t n, double eps);

/* GELU (exact, x Φ(x)) and its derivative Φ(x) + x φ(x); ELU y = x > 0 ? x : alpha (e^x - 1). */
void mb_gelu_f32(const float *x, float *y, ptrdiff_t n);
void mb_gelu_f64(const double *x, double *y, ptrdiff_t n);
void mb_gelu_derivative_f32(const float *x, float *y, ptrdiff_t n);
void mb_gelu_derivative_f64(const double *x, double *y, ptrdiff_t n);
void mb_elu_f32(const float *x, float *y, ptrdiff_t n, float alpha);
void mb_elu_f64(const double *x, double *y, ptrdiff_t n, double alpha);

/* y = c != 0 ? a : b with broadcasting: each input read with its own strides over `shape`. */
void mb_where_f32(const float *c, const ptrdiff_t *cstride, const float *a, const ptrdiff_t *astride, const float *b,
                  const ptrdiff_t *bstride, float *y, const ptrdiff_t *shape, int ndim);
void mb_where_f64(const double *c, const ptrdiff_t *cstride, const double *a, const ptrdiff_t *astride, const double *b,
                  const ptrdiff_t *bstride, double *y, const ptrdiff_t *shape, int ndim);

#endif
