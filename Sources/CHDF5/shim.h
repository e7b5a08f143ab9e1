#ifndef MB_CHDF5_SHIM_H
#define MB_CHDF5_SHIM_H
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
/* Silence HDF5's own stderr error stack: errors are reported by the Swift wrapper. */
static inline void mb_h5_silence_errors(void) { H5open(); H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
