// Replaced by the impurity solvers.
enum MBImpurityPlaceholder {}
