/* tradewar/limits.h - how much of a text input the library reads.
 *
 * No input can make the library read or keep without bound: /dev/zero or a
 * pipe fed by `yes` is refused within one line limit or one file limit, with
 * TW_EINPUT naming the file and the line (docs/data-format.md sec. 1).  The
 * loaders take these limits by default; their _limited forms (tw_world_load_limited,
 * tw_shock_load_limited, tw_scenario_load_limited, tw_importer_set_max_bytes)
 * take a lower file limit, for a front end that lets its user lower it. */
#ifndef TRADEWAR_LIMITS_H
#define TRADEWAR_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* The longest line accepted, its terminator not counted.  WIOD and ICIO rows
 * are 30-60 thousand characters wide; a line of a mebibyte is no table. */
#define TW_INPUT_MAX_LINE ((size_t)1 << 20)
/* The largest world file, counterfactual, NTB, scenario or elasticity file. */
#define TW_INPUT_MAX_BYTES ((uint64_t)256 << 20)
/* The largest table given to an importer (tradewar import icio|wiod|bilateral). */
#define TW_IMPORT_MAX_BYTES ((uint64_t)4 << 30)

#endif
