// The stb_image implementation compiled with the fuzzer's instrumentation
// (instead of Debian's prebuilt libstb), so ASan/UBSan see inside the
// header parser that InspectImage calls.
#define STB_IMAGE_IMPLEMENTATION
#include "stb/stb_image.h"
