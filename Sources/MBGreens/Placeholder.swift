// Replaced by meshes and Green's functions.
enum MBGreensPlaceholder {}
