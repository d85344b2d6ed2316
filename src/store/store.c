/* store.c - the run store: one SQLite table of saved solve and timeline runs.
 *
 * The schema is versioned with PRAGMA user_version (1 = the table below); a
 * database with another version, or a file that is not SQLite, is refused
 * rather than changed.  Writes are single INSERTs in WAL mode, so a reader (a
 * `runs list` while the server saves) never sees half a run, and several
 * processes may save at once (SQLite serialises them; busy_timeout waits). */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "tradewar/store.h"

#define SCHEMA_VERSION 1
#define BUSY_TIMEOUT_MS 5000

struct tw_store {
    sqlite3 *db;
    char *path;
};

static const char *const schema =
    "CREATE TABLE IF NOT EXISTS runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " version TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('solve', 'timeline')),"
    " source TEXT NOT NULL,"
    " label TEXT NOT NULL,"
    " world TEXT NOT NULL,"
    " world_hash TEXT NOT NULL,"
    " inputs TEXT NOT NULL,"
    " options TEXT NOT NULL,"
    " results TEXT NOT NULL,"
    " converged INTEGER NOT NULL,"
    " iterations INTEGER NOT NULL,"
    " evaluations INTEGER NOT NULL,"
    " residual REAL,"
    " seconds REAL NOT NULL);"
    "PRAGMA user_version = 1;";

static tw_status db_error(tw_error *err, const tw_store *st, const char *what)
{
    return tw_error_set(err, TW_EIO, st->path, 0, 0, "%s: %s", what, sqlite3_errmsg(st->db));
}

const char *tw_store_default_path(char *buf, size_t size, tw_error *err)
{
    const char *env = getenv("TRADEWAR_DB"), *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env && *env)
        n = snprintf(buf, size, "%s", env);
    else if (xdg && *xdg)
        n = snprintf(buf, size, "%s/tradewar/runs.db", xdg);
    else if (home && *home)
        n = snprintf(buf, size, "%s/.local/share/tradewar/runs.db", home);
    else {
        tw_error_set(err, TW_EARG, NULL, 0, 0,
                     "no default run store: HOME is not set (give --db FILE)");
        return NULL;
    }
    if (n < 0 || (size_t)n >= size) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "run store path is too long");
        return NULL;
    }
    return buf;
}

/* mkdir -p of the folder that holds path (0700: runs can hold private inputs). */
static tw_status make_parents(const char *path, tw_error *err)
{
    size_t len = strlen(path);
    char *dir = malloc(len + 1);
    if (!dir) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(dir, path, len + 1);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        free(dir);
        return TW_OK;
    }
    *slash = '\0';
    for (char *p = dir + 1; ; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            tw_status st = tw_error_set(err, TW_EIO, dir, 0, 0, "cannot create folder: %s",
                                        strerror(errno));
            free(dir);
            return st;
        }
        *p = c;
        if (c == '\0') break;
    }
    free(dir);
    return TW_OK;
}

/* Open the database of st->path and make sure it holds the runs table. */
static tw_status store_init(tw_store *st, tw_error *err)
{
    int rc = sqlite3_open_v2(st->path, &st->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK)
        return st->db ? db_error(err, st, "cannot open the run store")
                      : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    sqlite3_stmt *q = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version < 0)
        return tw_error_set(err, TW_EINPUT, st->path, 0, 0, "not a tradewar run store (%s)",
                            sqlite3_errmsg(st->db));
    if (version != 0 && version != SCHEMA_VERSION)
        return tw_error_set(err, TW_EINPUT, st->path, 0, 0,
                            "run store has schema version %d (this tradewar reads %d)", version,
                            SCHEMA_VERSION);
    /* WAL lets the server save while a `runs list` reads; a read-only folder
     * keeps the default journal, which is fine. */
    sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (version == 0 && sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(err, st, "cannot create the runs table");
    return TW_OK;
}

tw_store *tw_store_open(const char *path, tw_error *err)
{
    if (!path || !*path) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no run store path given");
        return NULL;
    }
    if (make_parents(path, err)) return NULL;
    tw_store *st = calloc(1, sizeof *st);
    if (st) st->path = strdup(path);
    if (!st || !st->path) {
        free(st);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (store_init(st, err) != TW_OK) {
        tw_store_close(st);
        return NULL;
    }
    return st;
}

void tw_store_close(tw_store *st)
{
    if (!st) return;
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

const char *tw_store_path(const tw_store *st) { return st ? st->path : NULL; }

static void bind_text(sqlite3_stmt *q, int k, const char *s, const char *dflt)
{
    sqlite3_bind_text(q, k, s ? s : dflt, -1, SQLITE_STATIC);
}

tw_status tw_store_save(tw_store *st, const tw_run *run, long long *id, tw_error *err)
{
    if (!st || !run || !run->kind ||
        (strcmp(run->kind, "solve") != 0 && strcmp(run->kind, "timeline") != 0))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "run kind must be solve or timeline");
    sqlite3_stmt *q = NULL;
    const char *sql =
        "INSERT INTO runs (version, kind, source, label, world, world_hash, inputs, options,"
        " results, converged, iterations, evaluations, residual, seconds)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_error(err, st, "cannot save the run");
    bind_text(q, 1, TW_VERSION, "");
    bind_text(q, 2, run->kind, "");
    bind_text(q, 3, run->source, "");
    bind_text(q, 4, run->label, "");
    bind_text(q, 5, run->world, "");
    bind_text(q, 6, run->world_hash, "");
    bind_text(q, 7, run->inputs, "{}");
    bind_text(q, 8, run->options, "{}");
    bind_text(q, 9, run->results, "{}");
    sqlite3_bind_int(q, 10, run->converged ? 1 : 0);
    sqlite3_bind_int64(q, 11, run->iterations);
    sqlite3_bind_int64(q, 12, run->evaluations);
    if (!isnan(run->residual)) sqlite3_bind_double(q, 13, run->residual);
    else sqlite3_bind_null(q, 13);
    sqlite3_bind_double(q, 14, run->seconds);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return db_error(err, st, "cannot save the run");
    if (id) *id = sqlite3_last_insert_rowid(st->db);
    return TW_OK;
}

static const char *col_dup(sqlite3_stmt *q, int k, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, k);
    char *s = strdup(t ? (const char *)t : "");
    if (!s) *oom = 1;
    return s;
}

static void run_clear(tw_run *r)
{
    const char **f[] = {&r->created, &r->version, &r->kind,    &r->source,
                        &r->label,   &r->world,   &r->world_hash, &r->inputs,
                        &r->options, &r->results};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        free((void *)*f[k]);
        *f[k] = NULL;
    }
}

/* Columns 0-12 of the SELECTs below, then inputs, options, results when full. */
#define RUN_COLUMNS                                                                        \
    "id, created, version, kind, source, label, world, world_hash, converged,"            \
    " iterations, evaluations, residual, seconds"

static int read_row(sqlite3_stmt *q, tw_run *r, int full)
{
    int oom = 0;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(q, 0);
    r->created = col_dup(q, 1, &oom);
    r->version = col_dup(q, 2, &oom);
    r->kind = col_dup(q, 3, &oom);
    r->source = col_dup(q, 4, &oom);
    r->label = col_dup(q, 5, &oom);
    r->world = col_dup(q, 6, &oom);
    r->world_hash = col_dup(q, 7, &oom);
    r->converged = sqlite3_column_int(q, 8);
    r->iterations = (long)sqlite3_column_int64(q, 9);
    r->evaluations = (long)sqlite3_column_int64(q, 10);
    r->residual = sqlite3_column_type(q, 11) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 11);
    r->seconds = sqlite3_column_double(q, 12);
    if (full) {
        r->inputs = col_dup(q, 13, &oom);
        r->options = col_dup(q, 14, &oom);
        r->results = col_dup(q, 15, &oom);
    }
    if (oom) run_clear(r);
    return oom ? -1 : 0;
}

tw_run *tw_store_get(tw_store *st, long long id, tw_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " RUN_COLUMNS ", inputs, options, results FROM runs"
                           " WHERE id = ?",
                           -1, &q, NULL) != SQLITE_OK) {
        db_error(err, st, "cannot read the run store");
        return NULL;
    }
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    tw_run *r = NULL;
    if (rc == SQLITE_ROW) {
        r = malloc(sizeof *r);
        if (!r || read_row(q, r, 1) != 0) {
            free(r);
            r = NULL;
            tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        }
    } else if (rc == SQLITE_DONE) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "no run %lld in %s", id, st->path);
    } else {
        db_error(err, st, "cannot read the run store");
    }
    sqlite3_finalize(q);
    return r;
}

tw_status tw_store_list(tw_store *st, size_t limit, tw_run **runs, size_t *n, tw_error *err)
{
    *runs = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " RUN_COLUMNS " FROM runs ORDER BY id DESC LIMIT ?", -1, &q,
                           NULL) != SQLITE_OK)
        return db_error(err, st, "cannot read the run store");
    sqlite3_bind_int64(q, 1, limit ? (sqlite3_int64)limit : -1);
    tw_run *arr = NULL;
    size_t cnt = 0, cap = 0;
    tw_status status = TW_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            tw_run *tmp = realloc(arr, ncap * sizeof *tmp);
            if (!tmp) {
                status = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            arr = tmp;
            cap = ncap;
        }
        if (read_row(q, &arr[cnt], 0) != 0) {
            status = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        cnt++;
    }
    if (status == TW_OK && rc != SQLITE_DONE) status = db_error(err, st, "cannot read the run store");
    sqlite3_finalize(q);
    if (status != TW_OK) {
        tw_runs_free(arr, cnt);
        return status;
    }
    *runs = arr;
    *n = cnt;
    return TW_OK;
}

void tw_run_free(tw_run *run)
{
    if (!run) return;
    run_clear(run);
    free(run);
}

void tw_runs_free(tw_run *runs, size_t n)
{
    if (!runs) return;
    for (size_t k = 0; k < n; k++) run_clear(&runs[k]);
    free(runs);
}
