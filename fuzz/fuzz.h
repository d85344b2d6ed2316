/* fuzz.h - what the fuzz targets share (fuzz/README in docs/testing.md).
 *
 * Each target is a function tw_fuzz_<name>(data, size) that feeds one input
 * to a library entry point through the same path a user's file or request
 * takes, and aborts when a property every answer must have is broken (an
 * error without a message, a failed file that changed the shock, a reply
 * that is not JSON).  fuzz/Makefile links each one with libFuzzer;
 * tests/fuzz/test_fuzz_regressions.c (built with TW_FUZZ_NO_MAIN) replays
 * the saved inputs of fuzz/regressions/ through the same functions. */
#ifndef TW_FUZZ_H
#define TW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "tradewar/error.h"
#include "tradewar/world.h"

int tw_fuzz_world(const uint8_t *data, size_t size);
int tw_fuzz_scenario(const uint8_t *data, size_t size);
int tw_fuzz_counterfactual(const uint8_t *data, size_t size);
int tw_fuzz_json(const uint8_t *data, size_t size);

/* libFuzzer's entry point, defined by each target unless TW_FUZZ_NO_MAIN. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private scratch folder for this process, made on first use and removed
 * (with what the targets wrote into it) at exit. */
const char *fz_dir(void);
/* path = fz_dir()/name in buf; 0 on success. */
int fz_path(char *buf, size_t size, const char *name);
/* Write data to path (replacing it); 0 on success. */
int fz_write(const char *path, const uint8_t *data, size_t size);
/* The repository (TW_SOURCE_DIR), for the fixed worlds the targets use. */
const char *fz_source_dir(void);
/* The fixed world at fz_source_dir()/rel, loaded into *slot on first use and
 * kept for the process; a world that does not load is a broken property. */
tw_world *fz_world(tw_world **slot, const char *rel);
/* Abort with a message when cond is false: a property of the library broke. */
void fz_check(int cond, const char *what, const tw_error *err);
/* An error a call returned must say what went wrong. */
void fz_check_error(const tw_error *err, const char *call);

#endif
