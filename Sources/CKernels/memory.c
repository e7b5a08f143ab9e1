#include "mb_memory.h"
#include <stdlib.h> /* defines __GLIBC__ (via features.h) for the test below */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void mb_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}
