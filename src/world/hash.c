/* hash.c - a fingerprint of a world's contents, stored with every saved run
 * and written in the "meta" of every output.
 *
 * The hash covers what the equilibrium depends on, and the household files
 * behind the measures in money and the baseline layers when present, and nothing else (names and the
 * folder are left out), so two runs with equal hashes solved the same model
 * and report the same measures.  Doubles enter as their IEEE-754 bits in little-endian order and
 * counts as 64-bit little-endian integers, so the hash is the same on every
 * machine; FNV-1a is enough for telling worlds apart (it is not a defence
 * against crafted collisions).  A world is complete when its constructor
 * (the loader, tw_world_with_theta) returns it and never changes after, so
 * the constructor computes the hash once and keeps it in the world: every
 * output's "meta" carries it without going over the tables again. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tradewar/world.h"
#include "world/world_impl.h"

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static void mix_bytes(uint64_t *h, const unsigned char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        *h ^= p[k];
        *h *= FNV_PRIME;
    }
}

/* The bytes of v from the lowest, as mix_bytes would take them, in a register:
 * hashing a world's tables byte by byte through memory was a tenth of its load. */
static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    for (int k = 0; k < 8; k++) {
        h ^= (v >> (8 * k)) & 0xff;
        h *= FNV_PRIME;
    }
    return h;
}

static void mix_u64(uint64_t *h, uint64_t v) { *h = fnv_u64(*h, v); }

static void mix_doubles(uint64_t *h, const double *x, size_t n)
{
    uint64_t acc = fnv_u64(*h, n);
    for (size_t k = 0; k < n; k++) {
        uint64_t bits;
        memcpy(&bits, &x[k], sizeof bits);
        acc = fnv_u64(acc, bits);
    }
    *h = acc;
}

static void mix_string(uint64_t *h, const char *s)
{
    size_t n = strlen(s);
    mix_u64(h, n);
    mix_bytes(h, (const unsigned char *)s, n);
}

static void compute(const tw_world *w, char hex[17])
{
    uint64_t h = FNV_OFFSET;
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    mix_u64(&h, N);
    mix_u64(&h, J);
    for (size_t n = 0; n < N; n++) mix_string(&h, w->ccode[n]);
    for (size_t j = 0; j < J; j++) {
        mix_string(&h, w->scode[j]);
        mix_u64(&h, (uint64_t)(b->tradable[j] != 0));
    }
    mix_doubles(&h, b->theta, J);
    mix_doubles(&h, b->trade, N * N * J);
    mix_doubles(&h, b->tau, N * N * J);
    mix_doubles(&h, b->io, N * J * J);
    mix_doubles(&h, b->va, N * J);
    mix_doubles(&h, b->alpha, N * J);
    /* the optional household files: a world without them hashes as before */
    if (b->hh) {
        mix_string(&h, "household_consumption");
        mix_doubles(&h, b->hh, N * J);
    }
    if (b->households) {
        mix_string(&h, "households");
        mix_doubles(&h, b->households, N);
    }
    /* the baseline layers decide what a scenario's steps change */
    if (b->layer_rows) {
        mix_string(&h, "baseline_layers");
        mix_u64(&h, b->n_layer_rows);
        for (size_t k = 0; k < b->n_layer_rows; k++) {
            const struct tw_layer_row *r = &b->layer_rows[k];
            mix_string(&h, b->layer_names[r->layer]);
            mix_u64(&h, r->n);
            mix_u64(&h, r->i);
            mix_u64(&h, r->j);
            mix_doubles(&h, &r->rate, 1);
            mix_doubles(&h, &r->share, 1);
        }
    }
    snprintf(hex, 17, "%016llx", (unsigned long long)h);
}

void tw_world_keep_hash(tw_world *w) { compute(w, w->hash); }

void tw_world_hash(const tw_world *w, char hex[17])
{
    if (w->hash[0])
        memcpy(hex, w->hash, 17);
    else
        compute(w, hex);
}
