#include "mb_conv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stride-1 direct convolution without a patch matrix.
 *
 * One sample's input [C, H, W] is copied into a zero-padded buffer xp [C, Hp, Wp]
 * (Hp = H + 2ph, Wp = W + 2pw) plus slack, so that every kernel tap is a constant offset:
 * tap (i, j) of channel c reads xp + c·Hp·Wp + i·Wp + j, shifted by the output position. Output
 * rows are cut into "slots" of one SIMD vector (the last slot of a row may be partial). A
 * register tile of NO output channels × NV slots (4 × 3: 12 accumulators, 3 input vectors and
 * one broadcast weight fill the 16 AVX registers) accumulates Σ_k w[k, o] · xp[offset_k + slot]
 * over the K = C·T (channel, active tap) pairs, so the inner loop has no bounds tests and no
 * patch matrix is written; bias and an optional ReLU are applied before the store.
 *
 * The last channel block overlaps its neighbour instead of shrinking (it recomputes the same
 * values, so the stores are idempotent); the last one or two slots get a narrower 4 × 1 or 4 × 2
 * tile. Every output value is accumulated in the same order whatever tile computes it, so
 * results do not depend on tiling or threads.
 *
 * The weight gradient uses the same layout with the roles swapped: a tile of 2 output channels
 * × 6 (channel, tap) pairs accumulates g[o, slot] · xp[offset_k + slot] over blocks of 128 slots
 * of a group of samples (g copied into whole vectors with zero lanes past the row end) and is
 * reduced across lanes after each block. Lanes past a row end multiply real neighbouring inputs
 * by g = 0, so an infinite input next to a row end can turn an otherwise finite weight gradient
 * into NaN (an exact loop would skip those products).
 *
 * The pullback of a fused ReLU zeroes the cotangent where the forward output was ≤ 0 while it is
 * copied into the padded buffer (input gradient) or into whole vectors (weight gradient).
 */

struct mb_direct_conv {
    ptrdiff_t C, H, W, Hp, Wp, ph, pw;
    ptrdiff_t O, Ho, Wo;
    ptrdiff_t K, S, lanes, padded;
    ptrdiff_t *offsets;    /* K: c·Hp·Wp + i·Wp + j of pair k = c·T + t */
    ptrdiff_t *slot_in;    /* S: oh·Wp + lanes·v */
    ptrdiff_t *slot_out;   /* S: oh·Wo + lanes·v */
    ptrdiff_t *slot_lanes; /* S: valid lanes of the slot (lanes except at a partial row end) */
};

mb_direct_conv *mb_direct_conv_create(ptrdiff_t C, ptrdiff_t H, ptrdiff_t W, ptrdiff_t O, ptrdiff_t kh, ptrdiff_t kw,
                                      ptrdiff_t ph, ptrdiff_t pw, const ptrdiff_t *taps, ptrdiff_t T, ptrdiff_t lanes) {
    mb_direct_conv *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->C = C; p->H = H; p->W = W; p->ph = ph; p->pw = pw; p->O = O;
    p->Hp = H + 2 * ph; p->Wp = W + 2 * pw;
    p->Ho = p->Hp - kh + 1; p->Wo = p->Wp - kw + 1;
    p->K = C * T; p->lanes = lanes;
    ptrdiff_t per_row = (p->Wo + lanes - 1) / lanes;
    p->S = p->Ho * per_row;
    p->offsets = malloc((size_t)(p->K + 3 * p->S) * sizeof(ptrdiff_t));
    if (!p->offsets) { free(p); return NULL; }
    p->slot_in = p->offsets + p->K;
    p->slot_out = p->slot_in + p->S;
    p->slot_lanes = p->slot_out + p->S;
    ptrdiff_t plane = p->Hp * p->Wp, max_offset = 0;
    for (ptrdiff_t c = 0; c < C; c++)
        for (ptrdiff_t t = 0; t < T; t++) {
            ptrdiff_t o = c * plane + (taps[t] / kw) * p->Wp + taps[t] % kw;
            p->offsets[c * T + t] = o;
            if (o > max_offset) max_offset = o;
        }
    for (ptrdiff_t oh = 0; oh < p->Ho; oh++)
        for (ptrdiff_t v = 0; v < per_row; v++) {
            ptrdiff_t s = oh * per_row + v, rest = p->Wo - lanes * v;
            p->slot_in[s] = oh * p->Wp + lanes * v;
            p->slot_out[s] = oh * p->Wo + lanes * v;
            p->slot_lanes[s] = rest < lanes ? rest : lanes;
        }
    /* Partial slots read past their row (into the next row or the slack), never past padded. */
    ptrdiff_t reach = max_offset + (p->S ? p->slot_in[p->S - 1] : 0) + lanes;
    p->padded = C * plane > reach ? C * plane : reach;
    p->padded = (p->padded + 15) / 16 * 16;
    return p;
}

ptrdiff_t mb_direct_conv_blocked_weights(const mb_direct_conv *p) {
    const ptrdiff_t NO = p->O >= 4 ? 4 : p->O;
    return (p->O + NO - 1) / NO * NO * p->K;
}

void mb_direct_conv_destroy(mb_direct_conv *p) {
    if (!p) return;
    free(p->offsets);
    free(p);
}

#define MB_MAX_NO 4
#define MB_MAX_NV 12

#define DEFINE_DIRECT(T, I, SFX, LANES)                                                  \
typedef T mb_vec_##SFX __attribute__((vector_size(32)));                                         \
typedef T mb_uvec_##SFX __attribute__((vector_size(32), aligned(sizeof(T)), may_alias));           \
typedef I mb_ivec_##SFX __attribute__((vector_size(32)));                                         \
                                                                                                 \
static void *mb_direct_alloc_##SFX(ptrdiff_t count) {                                           \
    size_t bytes = ((size_t)(count > 0 ? count : 1) * sizeof(T) + 63) / 64 * 64;                 \
    void *buffer = aligned_alloc(64, bytes);                                                     \
    if (!buffer) { fprintf(stderr, "convolution: out of memory (%zu bytes)\n", bytes); abort(); } \
    return buffer;                                                                               \
}                                                                                                \
                                                                                                 \
/* xp = zero-padded copy of x [C, H, W] (slack zeroed as well), x zeroed where mask ≤ 0 when \
   a mask of the same shape is given (the pullback of a fused ReLU). */                         \
static void mb_direct_pad_##SFX(const mb_direct_conv *p, const T *restrict x, const T *restrict mask, \
                                T *restrict xp) {                                                \
    memset(xp, 0, (size_t)p->padded * sizeof(T));                                                \
    for (ptrdiff_t c = 0; c < p->C; c++)                                                         \
        for (ptrdiff_t h = 0; h < p->H; h++) {                                                   \
            T *restrict d = xp + (c * p->Hp + h + p->ph) * p->Wp + p->pw;                        \
            const T *restrict src = x + (c * p->H + h) * p->W;                                   \
            if (mask) {                                                                          \
                const T *restrict m = mask + (c * p->H + h) * p->W;                              \
                for (ptrdiff_t w = 0; w < p->W; w++) d[w] = m[w] > 0 ? src[w] : (T)0;            \
            } else {                                                                             \
                memcpy(d, src, (size_t)p->W * sizeof(T));                                        \
            }                                                                                    \
        }                                                                                        \
}                                                                                                \
                                                                                                 \
static inline __attribute__((always_inline)) void mb_direct_forward_tile_##SFX(                 \
    const mb_direct_conv *p, const T *restrict xp, const T *restrict wb, const T *restrict bias, \
    T *restrict y, ptrdiff_t o0, ptrdiff_t s0, const int relu, const int NO, const int NV) {     \
    const ptrdiff_t K = p->K, P = p->Ho * p->Wo;                                                 \
    const ptrdiff_t *restrict offsets = p->offsets;                                              \
    mb_vec_##SFX acc[MB_MAX_NO][MB_MAX_NV];                                                      \
    const T *xs[MB_MAX_NV];                                                                      \
    for (int v = 0; v < NV; v++) xs[v] = xp + p->slot_in[s0 + v];                                \
    for (int o = 0; o < NO; o++) {                                                               \
        T b = bias ? bias[o0 + o] : (T)0;                                                        \
        for (int v = 0; v < NV; v++) acc[o][v] = (mb_vec_##SFX){0} + b;                          \
    }                                                                                            \
    const T *restrict wk = wb;                                                                   \
    for (ptrdiff_t k = 0; k < K; k++, wk += NO) {                                                \
        const ptrdiff_t off = offsets[k];                                                        \
        mb_vec_##SFX xv[MB_MAX_NV];                                                              \
        for (int v = 0; v < NV; v++) xv[v] = *(const mb_uvec_##SFX *)(xs[v] + off);              \
        for (int o = 0; o < NO; o++) {                                                           \
            const T w = wk[o];                                                                   \
            for (int v = 0; v < NV; v++) acc[o][v] += xv[v] * w;                                 \
        }                                                                                        \
    }                                                                                            \
    if (relu)                                                                                    \
        for (int o = 0; o < NO; o++)                                                             \
            for (int v = 0; v < NV; v++)                                                         \
                acc[o][v] = (mb_vec_##SFX)((mb_ivec_##SFX)acc[o][v] & (acc[o][v] > (mb_vec_##SFX){0})); \
    for (int v = 0; v < NV; v++) {                                                               \
        const ptrdiff_t out = p->slot_out[s0 + v], n = p->slot_lanes[s0 + v];                    \
        for (int o = 0; o < NO; o++) {                                                           \
            T *d = y + (o0 + o) * P + out;                                                       \
            if (n == LANES) *(mb_uvec_##SFX *)d = acc[o][v];                                     \
            else for (ptrdiff_t l = 0; l < n; l++) d[l] = acc[o][v][l];                          \
        }                                                                                        \
    }                                                                                            \
}                                                                                                \
                                                                                                 \
/* Channel blocks start at min(b·NO, O − NO): the last block overlaps its neighbour. */         \
static inline ptrdiff_t mb_direct_block_start_##SFX(ptrdiff_t b, ptrdiff_t NO, ptrdiff_t O) {  \
    return b * NO + NO <= O ? b * NO : O - NO;                                                   \
}                                                                                                \
                                                                                                 \
/* All tiles of one padded sample: NO channels × NV slots, the last ones overlapping. wb holds \
   the weights of block b at wb + b·K·NO, [K][NO]. */                                            \
static inline __attribute__((always_inline)) void mb_direct_forward_tiles_##SFX(                \
    const mb_direct_conv *p, const T *xp, const T *wb, const T *bias, T *y, const int relu, const int NO, const int NV) { \
    const ptrdiff_t blocks = (p->O + NO - 1) / NO;                                               \
    for (ptrdiff_t b = 0; b < blocks; b++) {                                                     \
        const ptrdiff_t o0 = mb_direct_block_start_##SFX(b, NO, p->O);                           \
        const T *w = wb + b * p->K * NO;                                                         \
        const ptrdiff_t whole = p->S / NV * NV, rest = p->S - whole;                             \
        for (ptrdiff_t s = 0; s < whole; s += NV)                                                \
            mb_direct_forward_tile_##SFX(p, xp, w, bias, y, o0, s, relu, NO, NV);                \
        if (rest == 0) continue;                                                                 \
        /* The last slots: a narrower tile (4 × 1, 4 × 2) costs less than recomputing a whole   \
           overlapping one; other shapes overlap, or go slot by slot when there are too few. */ \
        if (NO == 4 && rest == 1) mb_direct_forward_tile_##SFX(p, xp, w, bias, y, o0, whole, relu, NO, 1); \
        else if (NO == 4 && rest == 2) mb_direct_forward_tile_##SFX(p, xp, w, bias, y, o0, whole, relu, NO, 2); \
        else if (whole > 0) mb_direct_forward_tile_##SFX(p, xp, w, bias, y, o0, p->S - NV, relu, NO, NV); \
        else for (ptrdiff_t s = 0; s < p->S; s++) mb_direct_forward_tile_##SFX(p, xp, w, bias, y, o0, s, relu, NO, 1); \
    }                                                                                            \
}                                                                                                \
                                                                                                 \
static int mb_direct_forward_channels_##SFX(ptrdiff_t O) { return O >= 4 ? 4 : (int)O; }      \
                                                                                                 \
void mb_direct_conv_block_weights_##SFX(const mb_direct_conv *p, const T *wT, T *wb) {              \
    const ptrdiff_t K = p->K, O = p->O;                                                          \
    const int NO = mb_direct_forward_channels_##SFX(O);                                         \
    const ptrdiff_t blocks = (O + NO - 1) / NO;                                                  \
    for (ptrdiff_t b = 0; b < blocks; b++) {                                                     \
        const ptrdiff_t o0 = mb_direct_block_start_##SFX(b, NO, O);                              \
        for (ptrdiff_t k = 0; k < K; k++)                                                        \
            for (int o = 0; o < NO; o++) wb[(b * K + k) * NO + o] = wT[k * O + o0 + o];          \
    }                                                                                            \
}                                                                                                \
                                                                                                 \
void mb_direct_conv_forward_##SFX(const mb_direct_conv *p, const T *x, const T *mask, const T *wb, const T *bias, \
                                  int relu, T *y, ptrdiff_t n0, ptrdiff_t n1) {                  \
    const ptrdiff_t in = p->C * p->H * p->W, out = p->O * p->Ho * p->Wo;                         \
    const int NO = mb_direct_forward_channels_##SFX(p->O);                                      \
    T *xp = mb_direct_alloc_##SFX(p->padded);                                                   \
    for (ptrdiff_t n = n0; n < n1; n++) {                                                        \
        mb_direct_pad_##SFX(p, x + n * in, mask ? mask + n * in : NULL, xp);                     \
        T *yn = y + n * out;                                                                     \
        switch (NO) {                                                                            \
        case 4: mb_direct_forward_tiles_##SFX(p, xp, wb, bias, yn, relu, 4, 3); break;           \
        case 3: mb_direct_forward_tiles_##SFX(p, xp, wb, bias, yn, relu, 3, 4); break;           \
        case 2: mb_direct_forward_tiles_##SFX(p, xp, wb, bias, yn, relu, 2, 6); break;           \
        default: mb_direct_forward_tiles_##SFX(p, xp, wb, bias, yn, relu, 1, 8); break;          \
        }                                                                                        \
    }                                                                                            \
    free(xp);                                                                                    \
}                                                                                                \
                                                                                                 \
static inline T mb_direct_lane_sum_##SFX(mb_vec_##SFX a) {                                     \
    T t[LANES];                                                                                  \
    for (int l = 0; l < LANES; l++) t[l] = a[l];                                                 \
    for (int w = LANES / 2; w >= 1; w /= 2)                                                      \
        for (int l = 0; l < w; l++) t[l] += t[l + w];                                            \
    return t[0];                                                                                 \
}                                                                                                \
                                                                                                 \
/* dw[o, k] += Σ_{e0 ≤ e < e1} g[o, e] · x[k, e] for a tile of NO channels × NK pairs over the \
   extended slots e (slots of a group of samples). */                                           \
static inline __attribute__((always_inline)) void mb_direct_weight_tile_##SFX(                  \
    const T *restrict xp, const ptrdiff_t *restrict offsets, const ptrdiff_t *restrict base,     \
    const T *restrict gq, ptrdiff_t E, T *restrict dw, ptrdiff_t Kpad, ptrdiff_t o0, ptrdiff_t k0, \
    ptrdiff_t e0, ptrdiff_t e1, const int NO, const int NK) {                                    \
    mb_vec_##SFX acc[MB_MAX_NO][MB_MAX_NV];                                                      \
    const T *xs[MB_MAX_NV];                                                                      \
    for (int k = 0; k < NK; k++) xs[k] = xp + offsets[k0 + k];                                   \
    for (int o = 0; o < NO; o++)                                                                 \
        for (int k = 0; k < NK; k++) acc[o][k] = (mb_vec_##SFX){0};                              \
    const T *restrict gs = gq + (o0 * E + e0) * LANES;                                           \
    for (ptrdiff_t e = e0; e < e1; e++, gs += LANES) {                                           \
        const ptrdiff_t at = base[e];                                                            \
        mb_vec_##SFX gv[MB_MAX_NO];                                                              \
        for (int o = 0; o < NO; o++) gv[o] = *(const mb_vec_##SFX *)(gs + o * E * LANES);        \
        for (int k = 0; k < NK; k++) {                                                           \
            const mb_vec_##SFX xv = *(const mb_uvec_##SFX *)(xs[k] + at);                        \
            for (int o = 0; o < NO; o++) acc[o][k] += gv[o] * xv;                                \
        }                                                                                        \
    }                                                                                            \
    for (int o = 0; o < NO; o++)                                                                 \
        for (int k = 0; k < NK; k++) dw[(o0 + o) * Kpad + k0 + k] += mb_direct_lane_sum_##SFX(acc[o][k]); \
}                                                                                                \
                                                                                                 \
static inline __attribute__((always_inline)) void mb_direct_weight_block_##SFX(                 \
    const T *xp, const ptrdiff_t *offsets, const ptrdiff_t *base, const T *gq, ptrdiff_t E, T *dw, \
    ptrdiff_t Opad, ptrdiff_t Kpad, ptrdiff_t e0, ptrdiff_t e1, const int NO, const int NK) {     \
    for (ptrdiff_t o = 0; o < Opad; o += NO)                                                     \
        for (ptrdiff_t k = 0; k < Kpad; k += NK)                                                 \
            mb_direct_weight_tile_##SFX(xp, offsets, base, gq, E, dw, Kpad, o, k, e0, e1, NO, NK); \
}                                                                                                \
                                                                                                 \
void mb_direct_conv_weight_gradient_##SFX(const mb_direct_conv *p, const T *x, const T *g, const T *mask, \
                                          T *dw, T *db, ptrdiff_t n0, ptrdiff_t n1) {            \
    const ptrdiff_t O = p->O, K = p->K, S = p->S, in = p->C * p->H * p->W, P = p->Ho * p->Wo;   \
    /* 2 × 6 (or 1 × 12) accumulators + the g vectors + one x vector fit the 16 registers. */  \
    const int NO = O >= 2 ? 2 : 1, NK = NO == 2 ? 6 : 12;                                        \
    /* Channels and pairs padded to whole tiles: dummy channels have g = 0, dummy pairs read   \
       offset 0; both land in rows/columns of acc that are dropped. */                          \
    const ptrdiff_t Opad = (O + NO - 1) / NO * NO, Kpad = (K + NK - 1) / NK * NK;                \
    /* Samples grouped so that a tile runs over at least ~128 slots before its lane sums. */     \
    ptrdiff_t B = (128 + S - 1) / S;                                                             \
    if (B > n1 - n0) B = n1 - n0;                                                                \
    if (B < 1) B = 1;                                                                            \
    const ptrdiff_t E = B * S, block = 128;                                                      \
    T *xp = mb_direct_alloc_##SFX(B * p->padded);                                               \
    T *gq = mb_direct_alloc_##SFX(Opad * E * LANES);                                            \
    T *acc = mb_direct_alloc_##SFX(Opad * Kpad);                                                \
    ptrdiff_t *offsets = mb_direct_alloc_##SFX((Kpad + E) * (ptrdiff_t)(sizeof(ptrdiff_t) / sizeof(T))), *base = offsets + Kpad; \
    for (ptrdiff_t k = 0; k < Kpad; k++) offsets[k] = k < K ? p->offsets[k] : 0;                 \
    for (ptrdiff_t b = 0; b < B; b++)                                                            \
        for (ptrdiff_t s = 0; s < S; s++) base[b * S + s] = b * p->padded + p->slot_in[s];       \
    memset(acc, 0, (size_t)(Opad * Kpad) * sizeof(T));                                           \
    memset(gq, 0, (size_t)(Opad * E * LANES) * sizeof(T));                                       \
    mb_vec_##SFX *bias_acc = db ? mb_direct_alloc_##SFX(O * LANES) : NULL;                       \
    if (bias_acc) memset(bias_acc, 0, (size_t)(O * LANES) * sizeof(T));                           \
    for (ptrdiff_t n = n0; n < n1; n += B) {                                                     \
        const ptrdiff_t nb = n + B <= n1 ? B : n1 - n, En = nb * S;                              \
        for (ptrdiff_t b = 0; b < nb; b++) {                                                     \
            mb_direct_pad_##SFX(p, x + (n + b) * in, NULL, xp + b * p->padded);                  \
            const T *gn = g + (n + b) * O * P, *mn = mask ? mask + (n + b) * O * P : NULL;       \
            for (ptrdiff_t o = 0; o < O; o++)                                                    \
                for (ptrdiff_t s = 0; s < S; s++) {                                              \
                    T *d = gq + (o * E + b * S + s) * LANES;                                     \
                    const T *src = gn + o * P + p->slot_out[s];                                  \
                    ptrdiff_t m = p->slot_lanes[s], l = 0;                                       \
                    if (mn) {                                                                    \
                        const T *ms = mn + o * P + p->slot_out[s];                               \
                        for (; l < m; l++) d[l] = ms[l] > 0 ? src[l] : (T)0;                     \
                    } else {                                                                     \
                        for (; l < m; l++) d[l] = src[l];                                        \
                    }                                                                            \
                    for (; l < LANES; l++) d[l] = 0;                                             \
                    if (bias_acc) bias_acc[o] += *(const mb_vec_##SFX *)d;                       \
                }                                                                                \
        }                                                                                        \
        /* equal blocks of at most `block` slots (no short tail block) */                       \
        const ptrdiff_t pieces = (En + block - 1) / block;                                       \
        for (ptrdiff_t piece = 0; piece < pieces; piece++) {                                     \
            const ptrdiff_t e = En * piece / pieces, e1 = En * (piece + 1) / pieces;             \
            if (NO == 2) mb_direct_weight_block_##SFX(xp, offsets, base, gq, E, acc, Opad, Kpad, e, e1, 2, 6); \
            else mb_direct_weight_block_##SFX(xp, offsets, base, gq, E, acc, Opad, Kpad, e, e1, 1, 12); \
        }                                                                                        \
    }                                                                                            \
    for (ptrdiff_t o = 0; o < O; o++)                                                            \
        for (ptrdiff_t k = 0; k < K; k++) dw[o * K + k] = acc[o * Kpad + k];                     \
    if (bias_acc) {                                                                              \
        for (ptrdiff_t o = 0; o < O; o++) db[o] = mb_direct_lane_sum_##SFX(bias_acc[o]);          \
        free(bias_acc);                                                                          \
    }                                                                                            \
    free(offsets);                                                                               \
    free(acc);                                                                                   \
    free(gq);                                                                                    \
    free(xp);                                                                                    \
}                                                                                                \
                                                                                                 \
void mb_direct_pack_forward_##SFX(const T *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, \
                                  ptrdiff_t nt, T *wT) {                                         \
    for (ptrdiff_t o = 0; o < O; o++)                                                            \
        for (ptrdiff_t c = 0; c < C; c++)                                                        \
            for (ptrdiff_t t = 0; t < nt; t++) wT[(c * nt + t) * O + o] = w[(o * C + c) * khkw + taps[t]]; \
}                                                                                                \
                                                                                                 \
void mb_direct_pack_transposed_##SFX(const T *w, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, \
                                     ptrdiff_t nt, T *wT) {                                      \
    for (ptrdiff_t o = 0; o < O; o++)                                                            \
        for (ptrdiff_t c = 0; c < C; c++)                                                        \
            for (ptrdiff_t t = 0; t < nt; t++) wT[(o * nt + t) * C + c] = w[(o * C + c) * khkw + taps[t]]; \
}                                                                                                \
                                                                                                 \
void mb_direct_unpack_weights_##SFX(const T *packed, ptrdiff_t O, ptrdiff_t C, ptrdiff_t khkw, const ptrdiff_t *taps, \
                                    ptrdiff_t nt, T *w) {                                        \
    memset(w, 0, (size_t)(O * C * khkw) * sizeof(T));                                            \
    for (ptrdiff_t o = 0; o < O; o++)                                                            \
        for (ptrdiff_t c = 0; c < C; c++)                                                        \
            for (ptrdiff_t t = 0; t < nt; t++) w[(o * C + c) * khkw + taps[t]] = packed[(o * C + c) * nt + t]; \
}

DEFINE_DIRECT(float, int32_t, f32, 8)
DEFINE_DIRECT(double, int64_t, f64, 4)
