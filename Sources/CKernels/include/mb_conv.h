#ifndef MB_CONV_H
#define MB_CONV_H
#include <stddef.h>
#include <stdint.h>

/* Convolution and pooling kernels, NCHW layout, zero padding. A 1-d problem is a 2-d one with
   H = 1, kh = 1. Each call handles one sample (im2col/col2im), a range of samples (direct
   convolution) or a block of planes (pooling), so callers can split the batch over threads. */

/* im2col of one sample x [C, H, W] into cols restricted to the nt active kernel taps
   taps[t] = i·kw + j: row c·nt + t, column oh·Wo + ow, row stride ldcols:
   cols = x[c, oh·sh − ph + i, ow·sw − pw + j] or 0 outside. */
void mb_im2col_f32(const float *x, float *cols, ptrdiff_t ldcols, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo,
                   const ptrdiff_t *taps, ptrdiff_t nt);
void mb_im2col_f64(const double *x, double *cols, ptrdiff_t ldcols, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo,
                   const ptrdiff_t *taps, ptrdiff_t nt);
/* The adjoint: x [C, H, W] = Σ of cols entries over the positions im2col reads from
   (x is overwritten, not accumulated into). */
void mb_col2im_f32(const float *cols, ptrdiff_t ldcols, float *x, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo,
                   const ptrdiff_t *taps, ptrdiff_t nt);
void mb_col2im_f64(const double *cols, ptrdiff_t ldcols, double *x, ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                   ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t Ho, ptrdiff_t Wo,
                   const ptrdiff_t *taps, ptrdiff_t nt);

/* Max pooling of `planes` planes [H, W] into [Ho, Wo] (no padding); argmax [planes, Ho, Wo]
   receives each maximum's offset within its input plane. NaN propagates (it wins the
   comparison), as in PyTorch; ties go to the first element in raster order. */
void mb_max_pool_f32(const float *x, float *y, int32_t *argmax, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W,
                     ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_max_pool_f64(const double *x, double *y, int32_t *argmax, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W,
                     ptrdiff_t kh, ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
/* Its adjoint: dx [planes, in] = 0, then dx[p, argmax[p, j]] += g[p, j] (in = H·W, out = Ho·Wo). */
void mb_max_pool_scatter_f32(const float *g, const int32_t *argmax, float *dx, ptrdiff_t planes, ptrdiff_t in, ptrdiff_t out);
void mb_max_pool_scatter_f64(const double *g, const int32_t *argmax, double *dx, ptrdiff_t planes, ptrdiff_t in, ptrdiff_t out);
/* The adjoint of the scatter: y[p, j] = h[p, argmax[p, j]]. */
void mb_max_pool_gather_f32(const float *h, const int32_t *argmax, float *y, ptrdiff_t planes, ptrdiff_t in, ptrdiff_t out);
void mb_max_pool_gather_f64(const double *h, const int32_t *argmax, double *y, ptrdiff_t planes, ptrdiff_t in, ptrdiff_t out);
/* Average pooling (no padding) and its adjoint (dx overwritten). */
void mb_avg_pool_f32(const float *x, float *y, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw,
                     ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_f64(const double *x, double *y, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh, ptrdiff_t kw,
                     ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_backward_f32(const float *g, float *dx, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                              ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);
void mb_avg_pool_backward_f64(const double *g, double *dx, ptrdiff_t planes, ptrdiff_t H, ptrdiff_t W, ptrdiff_t kh,
                              ptrdiff_t kw, ptrdiff_t sh, ptrdiff_t sw, ptrdiff_t Ho, ptrdiff_t Wo);

/* Stride-1 direct convolution (conv_direct.c): no patch matrix; each sample is copied into a
   zero-padded buffer and register tiles of output channels × output vectors accumulate over
   the (channel, active tap) pairs. Only the T active taps (indices i·kw + j of the kh × kw
   kernel) take part: the operator is the convolution with the other taps' weights zeroed.

   A plan holds the geometry of input [C, H, W] → output [O, Ho, Wo] (Ho = H + 2ph − kh + 1,
   Wo = W + 2pw − kw + 1) for vectors of `lanes` elements (8 for float, 4 for double). */
typedef struct mb_direct_conv mb_direct_conv;
mb_direct_conv *mb_direct_conv_create(ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t O, ptrdiff_t kh, ptrdiff_t kw,
                                      ptrdiff_t ph, ptrdiff_t pw, const ptrdiff_t *taps, ptrdiff_t T, ptrdiff_t lanes);
void mb_direct_conv_destroy(mb_direct_conv *plan);
/* Elements of the blocked weights of a plan, and the blocking of wT [K, O] (from
   mb_direct_pack_forward or mb_direct_pack_transposed) into them: blocks of 4 output channels,
   [block][K][4] (narrower when O < 4). Done once per call, shared by all sample ranges. */
ptrdiff_t mb_direct_conv_blocked_weights(const mb_direct_conv *plan);
void mb_direct_conv_block_weights_f32(const mb_direct_conv *plan, const float *wT, float *blocked);
void mb_direct_conv_block_weights_f64(const mb_direct_conv *plan, const double *wT, double *blocked);
/* y[n] = act(bias + Σ_k wT[k, o] · x̃[n] shifted) for samples n0 ..< n1 of x [N, C, H, W] and
   y [N, O, Ho, Wo]; `blocked` from mb_direct_conv_block_weights (bias may be NULL); act is ReLU
   (v > 0 ? v : 0) when relu != 0, else the identity; x̃ = x, or x zeroed where mask ≤ 0 when
   mask (shape of x) is given. */
void mb_direct_conv_forward_f32(const mb_direct_conv *plan, const float *x, const float *mask, const float *blocked,
                                const float *bias, int relu, float *y, ptrdiff_t n0, ptrdiff_t n1);
void mb_direct_conv_forward_f64(const mb_direct_conv *plan, const double *x, const double *mask, const double *blocked,
                                const double *bias, int relu, double *y, ptrdiff_t n0, ptrdiff_t n1);
/* dw [O, K] = Σ_{n0 ≤ n < n1} Σ_positions g̃[n, o] · x[n] shifted by pair k, and (db != NULL)
   db [O] = Σ g̃[n, o] (both overwritten); g̃ = g, or g zeroed where mask ≤ 0 (mask: shape of g). */
void mb_direct_conv_weight_gradient_f32(const mb_direct_conv *plan, const float *x, const float *g, const float *mask,
                                        float *dw, float *db, ptrdiff_t n0, ptrdiff_t n1);
void mb_direct_conv_weight_gradient_f64(const mb_direct_conv *plan, const double *x, const double *g, const double *mask,
                                        double *dw, double *db, ptrdiff_t n0, ptrdiff_t n1);
/* Weight layouts, w [O, C, kh·kw] with `taps` [nt]: forward wT[(c·nt + t)·O + o]; transposed
   (for the input gradient, a convolution of g with flipped taps) wT[(o·nt + t)·C + c]; unpack
   scatters packed [O, C, nt] back to w [O, C, kh·kw] with zeros at the inactive taps. */
void mb_direct_pack_forward_f32(const float *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, float *wT);
void mb_direct_pack_forward_f64(const double *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, double *wT);
void mb_direct_pack_transposed_f32(const float *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, float *wT);
void mb_direct_pack_transposed_f64(const double *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, double *wT);
void mb_direct_unpack_weights_f32(const float *packed, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, float *w);
void mb_direct_unpack_weights_f64(const double *packed, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, ptrdiff_t nt, double *w);

/* Parametric ReLU of samples n0 ..< n1 of x [N, C, inner], one slope per channel:
   y = x > 0 ? x : a[c]·x (NaN gives NaN). */
void mb_prelu_f32(const float *x, const float *a, float *y, ptrdiff_t n0, ptrdiff_t n1, ptrdiff_t C, ptrdiff_t inner);
void mb_prelu_f64(const double *x, const double *a, double *y, ptrdiff_t n0, ptrdiff_t n1, ptrdiff_t C, ptrdiff_t inner);
/* Its pullback over samples n0 ..< n1: dx = x > 0 ? g : a[c]·g, and da[c] = Σ_{x ≤ 0 or NaN} g·x
   (da overwritten with this range's sum). Either output may be NULL. */
void mb_prelu_backward_f32(const float *g, const float *x, const float *a, float *dx, float *da, ptrdiff_t n0, ptrdiff_t n1,
                           ptrdiff_t C, ptrdiff_t inner);
void mb_prelu_backward_f64(const double *g, const double *x, const double *a, double *dx, double *da, ptrdiff_t n0,
                           ptrdiff_t n1, ptrdiff_t C, ptrdiff_t inner);

#endif
