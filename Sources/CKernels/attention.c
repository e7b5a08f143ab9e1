#include "mb_attention.h"
#include "vmath.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows per register block: 6 rows x 2 vectors = 12 accumulators, which with the two streamed
   vectors and one broadcast fills the 16 AVX2 registers. */
#define MB_R 6

typedef float mb_att_vf __attribute__((ext_vector_type(8)));
typedef double mb_att_vd __attribute__((ext_vector_type(4)));

#define MB_T float
#define MB_V mb_att_vf
#define MB_L 8
#define MB_SFX f32
#define MB_EXP mb_expf
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
