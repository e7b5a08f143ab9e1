#ifndef MB_CONV_H
#define MB_CONV_H
#include <stddef.h>
#include <stdint.h>

/* Convolution and pooling kernels, NCHW layout, zero padding. A 1-d problem is a 2-d one with
   H = 1, kh = 1. Each call handles one sample (im2col/col2im) or a block of planes (pooling),
   so callers can split the batch over threads. */

/* im2col of one sample x [C, H, W] into cols, row (c·kh + i)·kw + j, column oh·Wo + ow,
   row stride ldcols: cols = x[c, oh·sh − ph + i, ow·sw − pw + j] or 0 outside. */
void mb_im2col_f32(const float *x, float *cols, ptrdiff_t ldcols, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_im2col_f64(const double *x, double *cols, ptrdiff_t ldcols, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo);
/* The adjoint: x [C, H, W] = Σ of cols entries over the positions im2col reads from
   (x is overwritten, not accumulated into). */
void mb_col2im_f32(const float *cols, ptrdiff_t ldcols, float *x, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_col2im_f64(const double *cols, ptrdiff_t ldcols, double *x, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo);

/* Max pooling of `planes` planes [H, W] into [Ho, Wo] (no padding); argmax written as the
   flat offset into x (plane0 is the global index of the first plane, so offsets are global).
   NaN propagates (it wins the comparison), as in PyTorch. */
void mb_max_pool_f32(const float *x, float *y, ptrdiff_t *argmax, ptrdiff_t plane0, ptrdiff_t planes, ptrdiff_t H,
                     ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_max_pool_f64(const double *x, double *y, ptrdiff_t *argmax, ptrdiff_t plane0, ptrdiff_t planes, ptrdiff_t H,
                     ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
/* Average pooling (no padding) and its adjoint (dx overwritten). */
void mb_avg_pool_f32(const float *x, float *y, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw,
                     ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_f64(const double *x, double *y, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw,
                     ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_backward_f32(const float *g, float *dx, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                              ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_backward_f64(const double *g, double *dx, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                              ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);

#endif
