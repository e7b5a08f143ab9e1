#ifndef MB_INDEXING_H
#define MB_INDEXING_H
#include <stddef.h>

/* Data movement for slicing, padding, concatenation, gather and scatter-add. */

/* y read with strides ystride over `shape` (a strided view) = x (contiguous, shape).
   The inverse of mb_strided_copy: writes a contiguous block into a strided window. */
void mb_strided_store_f32(const float *x, float *y, const ptrdiff_t *ystride, const ptrdiff_t *shape, int ndim);
void mb_strided_store_f64(const double *x, double *y, const ptrdiff_t *ystride, const ptrdiff_t *shape, int ndim);

/* y[i] = x[offsets[i]] for i < n. */
void mb_gather_flat_f32(const float *x, const ptrdiff_t *offsets, float *y, ptrdiff_t n);
void mb_gather_flat_f64(const double *x, const ptrdiff_t *offsets, double *y, ptrdiff_t n);
/* y[offsets[i]] += x[i] for i < n, in order (y is not cleared). */
void mb_scatter_add_flat_f32(const float *x, const ptrdiff_t *offsets, float *y, ptrdiff_t n);
void mb_scatter_add_flat_f64(const double *x, const ptrdiff_t *offsets, double *y, ptrdiff_t n);

/* Offsets of index_select along the middle axis of [outer, n, inner]: output [outer, m, inner]
   reads input (o, index[k], j). Returns -1, or the position in `index` of an index outside [0, n). */
ptrdiff_t mb_index_select_offsets(const ptrdiff_t *index, ptrdiff_t m, ptrdiff_t outer, ptrdiff_t n, ptrdiff_t inner,
                                  ptrdiff_t *offsets);
/* Offsets of torch.gather: for every position p of an index array of shape ishape (rank ndim),
   the input (shape xshape) element whose coordinates are p's with coordinate `axis` replaced
   by index[p]. Returns -1, or the flat position of an index outside [0, xshape[axis]). */
ptrdiff_t mb_gather_offsets(const ptrdiff_t *index, const ptrdiff_t *ishape, const ptrdiff_t *xshape, int ndim, int axis,
                            ptrdiff_t *offsets);

/* Converts floating-point index values to integers; returns -1, or the position of a value
   that is not an integer. */
ptrdiff_t mb_integral_indices_f32(const float *x, ptrdiff_t *index, ptrdiff_t n);
ptrdiff_t mb_integral_indices_f64(const double *x, ptrdiff_t *index, ptrdiff_t n);

#endif
