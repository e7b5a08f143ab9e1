#ifndef MB_ATTENTION_H
#define MB_ATTENTION_H
#include <stddef.h>

/* Fused scaled-dot-product attention, one (batch, head) pair at a time, in the manner of
   FlashAttention: the T x S score matrix is never stored, only one block of rows at a time.

   Heads form a grid of outer x inner (batch x heads). Each operand is read through three
   strides {outer, inner, row}: head (b, h) of q starts at q + b*qs[0] + h*qs[1], and its
   row t at + t*qs[2]; features within a row are contiguous. So q, k, v can be column blocks
   of one packed projection [B, T, 3, H, dh] and o can be written straight into [B, T, H, dv].

   Forward, for heads first ..< first + count of the grid (n = b*inner + h):
     P = softmax(scale * q kᵀ) along keys, o = P v, lse[n*T + t] = log Σ_s e^{scale q_t·k_s}
   (lse may be NULL). q is T x dh, k is S x dh, v is S x dv, o is T x dv. */
void mb_attention_forward_f32(const float *q, const ptrdiff_t *qs, const float *k, const ptrdiff_t *ks,
                              const float *v, const ptrdiff_t *vs, float *o, const ptrdiff_t *os, float *lse,
                              ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                              ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dv, float scale);
void mb_attention_forward_f64(const double *q, const ptrdiff_t *qs, const double *k, const ptrdiff_t *ks,
                              const double *v, const ptrdiff_t *vs, double *o, const ptrdiff_t *os, double *lse,
                              ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                              ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dv, double scale);

/* Its pullback, from the cotangent g of o (strides gs) and the forward's lse:
     P = e^{scale q kᵀ - lse}, dP = g vᵀ, dS = P ⊙ (dP - rowsum(P ⊙ dP)),
     dq = scale dS k, dk = scale dSᵀ q, dv = Pᵀ g,
   written with the strides of q, k and v (dq, dk, dv may share one packed tensor). Any of
   dq, dk, dv may be NULL (not computed). */
void mb_attention_backward_f32(const float *q, const ptrdiff_t *qs, const float *k, const ptrdiff_t *ks,
                               const float *v, const ptrdiff_t *vs, const float *g, const ptrdiff_t *gs,
                               const float *lse, float *dq, float *dk, float *dv,
                               ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                               ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dvalue, float scale);
void mb_attention_backward_f64(const double *q, const ptrdiff_t *qs, const double *k, const ptrdiff_t *ks,
                               const double *v, const ptrdiff_t *vs, const double *g, const ptrdiff_t *gs,
                               const double *lse, double *dq, double *dk, double *dv,
                               ptrdiff_t inner, ptrdiff_t first, ptrdiff_t count,
                               ptrdiff_t T, ptrdiff_t S, ptrdiff_t dh, ptrdiff_t dvalue, double scale);

#endif
