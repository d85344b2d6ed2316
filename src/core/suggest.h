/* suggest.h - "did you mean" for unknown codes and keywords; public as
 * tradewar/util.h, included here so library code keeps one spelling. */
#ifndef TW_CORE_SUGGEST_H
#define TW_CORE_SUGGEST_H

#include "tradewar/util.h"

#endif
