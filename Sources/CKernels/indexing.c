#include "mb_indexing.h"
#include <math.h>

#define DEFINE_INDEXING(T, SFX)                                                              \
void mb_strided_store_##SFX(const T *x, T *y, const ptrdiff_t *ystride, const ptrdiff_t *shape, int ndim) { \
    if (ndim == 0) { y[0] = x[0]; return; }                                                  \
    ptrdiff_t inner = shape[ndim - 1], s = ystride[ndim - 1], outer = 1;                     \
    for (int d = 0; d < ndim - 1; d++) outer *= shape[d];                                    \
    ptrdiff_t index[16] = {0}, yo = 0;                                                       \
    for (ptrdiff_t o = 0; o < outer; o++) {                                                  \
        const T *restrict xr = x + o * inner;                                                \
        T *restrict yr = y + yo;                                                             \
        if (s == 1) for (ptrdiff_t i = 0; i < inner; i++) yr[i] = xr[i];                     \
        else for (ptrdiff_t i = 0; i < inner; i++) yr[i * s] = xr[i];                        \
        for (int d = ndim - 2; d >= 0; d--) {                                                \
            index[d]++; yo += ystride[d];                                                    \
            if (index[d] < shape[d]) break;                                                  \
            yo -= ystride[d] * shape[d]; index[d] = 0;                                       \
        }                                                                                    \
    }                                                                                        \
}                                                                                            \
void mb_gather_flat_##SFX(const T *x, const ptrdiff_t *restrict offsets, T *restrict y, ptrdiff_t n) { \
    for (ptrdiff_t i = 0; i < n; i++) y[i] = x[offsets[i]];                                  \
}                                                                                            \
void mb_scatter_add_flat_##SFX(const T *x, const ptrdiff_t *offsets, T *y, ptrdiff_t n) {    \
    for (ptrdiff_t i = 0; i < n; i++) y[offsets[i]] += x[i];                                 \
}                                                                                            \
ptrdiff_t mb_integral_indices_##SFX(const T *x, ptrdiff_t *index, ptrdiff_t n) {             \
    for (ptrdiff_t i = 0; i < n; i++) {                                                      \
        T v = x[i];                                                                          \
        if (!(v == floor(v)) || fabs((double)v) > 9.0e15) return i;                          \
        index[i] = (ptrdiff_t)v;                                                             \
    }                                                                                        \
    return -1;                                                                               \
}

DEFINE_INDEXING(float, f32)
DEFINE_INDEXING(double, f64)

ptrdiff_t mb_index_select_offsets(const ptrdiff_t *index, ptrdiff_t m, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                  ptrdiff_t *offsets) {
    for (ptrdiff_t k = 0; k < m; k++)
        if (index[k] < 0 || index[k] >= n) return k;
    for (ptrdiff_t o = 0; o < outer; o++)
        for (ptrdiff_t k = 0; k < m; k++) {
            ptrdiff_t *restrict d = offsets + (o * m + k) * inner;
            ptrdiff_t base = (o * n + index[k]) * inner;
            for (ptrdiff_t j = 0; j < inner; j++) d[j] = base + j;
        }
    return -1;
}

ptrdiff_t mb_gather_offsets(const ptrdiff_t *index, const ptrdiff_t *ishape, const ptrdiff_t *xshape, int ndim, int axis,
                            ptrdiff_t *offsets) {
    ptrdiff_t xstride[16], coord[16] = {0}, count = 1;
    ptrdiff_t s = 1;
    for (int d = ndim - 1; d >= 0; d--) { xstride[d] = s; s *= xshape[d]; count *= ishape[d]; }
    ptrdiff_t base = 0; /* Σ over non-gathered axes of coord·stride */
    for (ptrdiff_t p = 0; p < count; p++) {
        ptrdiff_t v = index[p];
        if (v < 0 || v >= xshape[axis]) return p;
        offsets[p] = base + v * xstride[axis];
        for (int d = ndim - 1; d >= 0; d--) {
            coord[d]++;
            if (d != axis) base += xstride[d];
            if (coord[d] < ishape[d]) break;
            if (d != axis) base -= xstride[d] * ishape[d];
            coord[d] = 0;
        }
    }
    return -1;
}
