#ifndef MB_MEMORY_H
#define MB_MEMORY_H
/* Keeps large freed blocks in the process (no mmap/munmap per tensor): sets glibc's mmap and
   trim thresholds to 1 GiB. No effect on other C libraries. */
void mb_keep_freed_memory(void);
#endif
