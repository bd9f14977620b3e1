// cblas.h from libopenblas-dev (pkg-config "openblas" puts its folder on the include path).
#include <cblas.h>
