#ifndef MB_CLINEARALGEBRA_SHIM_H
#define MB_CLINEARALGEBRA_SHIM_H
/* LAPACKE's complex types arrive in Swift as opaque pointers unless they are plain structs
   defined before lapacke.h; with these, swift-numerics Complex<Double> buffers pass through. */
typedef struct { float real, imag; } mb_complex_float;
typedef struct { double real, imag; } mb_complex_double;
#define lapack_complex_float mb_complex_float
#define lapack_complex_double mb_complex_double
#include <x86_64-linux-gnu/cblas.h>
#include <lapacke.h>
#endif
