#ifndef MB_ELEMENTWISE_H
#define MB_ELEMENTWISE_H
#include <stddef.h>
#include <stdint.h>

/* Element-wise kernels. Every loop over tensor elements lives in C so that it is compiled
   for the native CPU and vectorised; Swift code only dispatches once per operation. */

typedef enum {
    MB_UNARY_NEG = 0, MB_UNARY_EXP, MB_UNARY_LOG, MB_UNARY_LOG1P, MB_UNARY_TANH,
    MB_UNARY_SIGMOID, MB_UNARY_SOFTPLUS, MB_UNARY_RELU, MB_UNARY_STEP, MB_UNARY_SIN,
    MB_UNARY_COS, MB_UNARY_SQRT, MB_UNARY_ABS, MB_UNARY_SIGN, MB_UNARY_SQUARE,
    MB_UNARY_RECIPROCAL, MB_UNARY_ERF, MB_UNARY_LGAMMA, MB_UNARY_DIGAMMA, MB_UNARY_TRIGAMMA,
    MB_UNARY_EXPM1, MB_UNARY_RSQRT
} mb_unary_op;

typedef enum {
    MB_BINARY_ADD = 0, MB_BINARY_SUB, MB_BINARY_MUL, MB_BINARY_DIV, MB_BINARY_POW,
    MB_BINARY_MAX, MB_BINARY_MIN, MB_BINARY_GREATER, MB_BINARY_LESS, MB_BINARY_EQUAL,
    MB_BINARY_GREATER_EQUAL, MB_BINARY_LESS_EQUAL,
    /* Activation pullbacks, fused: (a, b) = (cotangent g, output y or input x). */
    MB_BINARY_TANH_GRAD,    /* g (1 - y²) */
    MB_BINARY_SIGMOID_GRAD, /* g y (1 - y) */
    MB_BINARY_RELU_GRAD     /* x > 0 ? g : 0 */
} mb_binary_op;

void mb_unary_f32(int op, const float *x, float *y, ptrdiff_t n);
void mb_unary_f64(int op, const double *x, double *y, ptrdiff_t n);

/* y = op(a, b) with broadcasting: shape has ndim entries, astride/bstride give each input's
   element stride per output axis (0 where the input is broadcast). Output is contiguous. */
void mb_binary_f32(int op, const float *a, const ptrdiff_t *astride, const float *b,
                   const ptrdiff_t *bstride, float *y, const ptrdiff_t *shape, int ndim);
void mb_binary_f64(int op, const double *a, const ptrdiff_t *astride, const double *b,
                   const ptrdiff_t *bstride, double *y, const ptrdiff_t *shape, int ndim);

/* y = a * x + b element-wise (scalar affine map), used for scaling and shifting. */
void mb_affine_f32(const float *x, float *y, ptrdiff_t n, float a, float b);
void mb_affine_f64(const double *x, double *y, ptrdiff_t n, double a, double b);

/* Sum over the middle axis of a contiguous [outer, n, inner] array into [outer, inner]. */
void mb_sum_axis_f32(const float *x, float *y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner);
void mb_sum_axis_f64(const double *x, double *y, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner);
/* Max over the middle axis; argmax (index along n) written to idx when idx is not NULL. */
void mb_max_axis_f32(const float *x, float *y, int64_t *idx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner);
void mb_max_axis_f64(const double *x, double *y, int64_t *idx, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner);

/* Strided copy: y (contiguous, shape) = x read with strides xstride. Serves permute,
   broadcast materialisation and slicing. */
void mb_strided_copy_f32(const float *x, const ptrdiff_t *xstride, float *y, const ptrdiff_t *shape, int ndim);
void mb_strided_copy_f64(const double *x, const ptrdiff_t *xstride, double *y, const ptrdiff_t *shape, int ndim);

/* cond ? a : b element-wise over contiguous equal-size arrays (cond nonzero = true). */
void mb_select_f32(const float *cond, const float *a, const float *b, float *y, ptrdiff_t n);
void mb_select_f64(const double *cond, const double *a, const double *b, double *y, ptrdiff_t n);

/* clamp to [lo, hi] */
void mb_clamp_f32(const float *x, float *y, ptrdiff_t n, float lo, float hi);
void mb_clamp_f64(const double *x, double *y, ptrdiff_t n, double lo, double hi);

/* Returns 1 if any element is NaN or infinite. */
int mb_has_nonfinite_f32(const float *x, ptrdiff_t n);
int mb_has_nonfinite_f64(const double *x, ptrdiff_t n);

/* Precision conversion. */
void mb_convert_f32_f64(const float *x, double *y, ptrdiff_t n);
void mb_convert_f64_f32(const double *x, float *y, ptrdiff_t n);

#endif
