#ifndef MB_CHDF5_SHIM_H
#define MB_CHDF5_SHIM_H
#include <stdio.h>
#include <string.h>
#include <hdf5.h>
/* HDF5's type and property-list identifiers are macros over global variables that need
   H5open(); Swift cannot import them, so each gets a tiny inline function. */
static inline hid_t mb_h5t_native_double(void) { H5open(); return H5T_NATIVE_DOUBLE; }
static inline hid_t mb_h5t_native_float(void) { H5open(); return H5T_NATIVE_FLOAT; }
static inline hid_t mb_h5t_native_int64(void) { H5open(); return H5T_NATIVE_INT64; }
static inline hid_t mb_h5t_native_int32(void) { H5open(); return H5T_NATIVE_INT32; }
static inline hid_t mb_h5t_c_s1(void) { H5open(); return H5T_C_S1; }
static inline hid_t mb_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t mb_h5p_dataset_create(void) { H5open(); return H5P_DATASET_CREATE; }
static inline hid_t mb_h5s_all(void) { return H5S_ALL; }
static inline unsigned mb_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned mb_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned mb_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline size_t mb_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t mb_h5p_file_access(void) { H5open(); return H5P_FILE_ACCESS; }
static inline hid_t mb_h5e_default(void) { return H5E_DEFAULT; }
/* The innermost and outermost descriptions of the current error stack, as
   "outer: inner", written into buffer (empty if the stack is empty); then clears the stack. */
typedef struct { char *buffer; size_t capacity; char outer[256]; char inner[256]; } mb_h5_error_walk;
static inline herr_t mb_h5_error_walker(unsigned n, const H5E_error2_t *e, void *data) {
    mb_h5_error_walk *w = (mb_h5_error_walk *)data;
    const char *desc = (e && e->desc) ? e->desc : "";
    const char *func = (e && e->func_name) ? e->func_name : "";
    if (n == 0) snprintf(w->outer, sizeof w->outer, "%s: %s", func, desc);
    snprintf(w->inner, sizeof w->inner, "%s", desc);
    return 0;
}
static inline void mb_h5_take_error_message(char *buffer, size_t capacity) {
    mb_h5_error_walk w;
    w.buffer = buffer; w.capacity = capacity; w.outer[0] = 0; w.inner[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, mb_h5_error_walker, &w);
    if (w.outer[0] == 0) buffer[0] = 0;
    else if (w.inner[0] == 0 || strstr(w.outer, w.inner) != NULL) snprintf(buffer, capacity, "%s", w.outer);
    else snprintf(buffer, capacity, "%s (%s)", w.outer, w.inner);
    H5Eclear2(H5E_DEFAULT);
}
/* Silence HDF5's own stderr error stack: errors are reported by the Swift wrapper. */
static inline void mb_h5_silence_errors(void) { H5open(); H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
