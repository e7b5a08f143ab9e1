#ifndef MB_GEMM_H
#define MB_GEMM_H
#include <stddef.h>

/* Row-major C[m,n] = alpha op(A) op(B) + beta C for small products, where OpenBLAS's packing
   and dispatch (microseconds) outweigh the arithmetic. Returns 0 for cases it does not take
   (both operands transposed, or op(B) = B with k > 512); the caller then uses BLAS. The
   summation order is fixed, so results repeat exactly. */
int mb_gemm_small_f32(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                      const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float beta,
                      float *c, ptrdiff_t ldc);
int mb_gemm_small_f64(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, double alpha,
                      const double *a, ptrdiff_t lda, const double *b, ptrdiff_t ldb, double beta,
                      double *c, ptrdiff_t ldc);
#endif
