/* tradewar/export.h - symbol visibility of the public API.  The library is
 * built with hidden visibility; only functions marked TW_API are exported. */
#ifndef TRADEWAR_EXPORT_H
#define TRADEWAR_EXPORT_H
#if defined(__GNUC__) || defined(__clang__)
#define TW_API __attribute__((visibility("default")))
#else
#define TW_API
#endif
#endif
