#include "mb_attention.h"
#include "vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows per register block: 6 rows x 2 vectors = 12 accumulators, which with the two streamed
   vectors and one broadcast fills the 16 AVX2 registers. */
#define MB_R 6

/* e^x for the softmax weights, where x <= 0 up to rounding: arguments below -87 give
   e^-87 ≈ 1.6e-38 instead of a subnormal or zero (a weight negligible beside the largest,
   which is 1), NaN is not propagated specially. x = n ln2 + r with |r| <= ln2/2, e^r by
   its degree-6 Taylor polynomial (relative error below 1.3e-7), 2^n put into the exponent. */
static inline float mb_att_expf(float x) {
    x = x < -87.0f ? -87.0f : x;
    float n = __builtin_rintf(x * 1.44269504088896341f);
    float r = __builtin_fmaf(n, -0.693359375f, x);
    r = __builtin_fmaf(n, 2.12194440e-4f, r);
    float p = 1.0f / 720;
    p = __builtin_fmaf(p, r, 1.0f / 120);
    p = __builtin_fmaf(p, r, 1.0f / 24);
    p = __builtin_fmaf(p, r, 1.0f / 6);
    p = __builtin_fmaf(p, r, 0.5f);
    p = __builtin_fmaf(p, r, 1.0f);
    p = __builtin_fmaf(p, r, 1.0f);
    return p * mb_bits_to_float(((int32_t)n + 127) << 23);
}

typedef float mb_att_vf __attribute__((ext_vector_type(8)));
typedef double mb_att_vd __attribute__((ext_vector_type(4)));

#define MB_T float
#define MB_V mb_att_vf
#define MB_L 8
#define MB_SFX f32
#define MB_EXP mb_att_expf
#define MB_LOG mb_logf
#include "attention_impl.h"
#undef MB_T
#undef MB_V
#undef MB_L
#undef MB_SFX
#undef MB_EXP
#undef MB_LOG

#define MB_T double
#define MB_V mb_att_vd
#define MB_L 4
#define MB_SFX f64
#define MB_EXP exp
#define MB_LOG log
#include "attention_impl.h"
