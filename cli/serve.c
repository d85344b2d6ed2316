/* serve.c - the serve subcommand: start the dashboard server and wait for
 * SIGINT or SIGTERM.
 *
 * The process owns the signals: they are blocked in every thread before the
 * server starts (threads inherit the mask) and taken here with sigwait, so a
 * signal never interrupts a solve; the server is then stopped in order (no new
 * connections, requests in flight finish, everything freed).  The bound
 * address goes to standard output as the first line, "listening on
 * http://ADDR:PORT/", which is how scripts find a port chosen with --port 0. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tradewar/store.h"
#include "cli.h"
#include "modules.h"
#include "../server/server.h"

#define STOP_WAIT_S 10

static const char *const usage_serve =
    "usage: tradewar serve [--port P] [--bind ADDR] [--world DIR|NAME] [--db FILE | --no-db]\n"
    "                      [--web DIR] [--max-body BYTES] [--max-solves N]\n"
    "                      [--request-timeout S] [--stop-wait S] [--quiet]\n"
    "\n"
    "Serve the dashboard page and a JSON API over the model (docs/server.md): world\n"
    "summaries, solves with tariff and NTB changes, timelines and saved runs.\n"
    "\n"
    "  --port P        TCP port (default 8080; 0 = any free port)\n"
    "  --bind ADDR     numeric address to listen on (default 127.0.0.1, this machine\n"
    "                  only; the API has no authentication)\n"
    "  --world         the default world (an embedded name or a folder; default\n"
    "                  world2023); the embedded worlds are always offered\n"
    "  --db FILE       run store for requests with \"save\": true (default: the user's\n"
    "                  data folder, see `tradewar runs --help`); --no-db: none\n"
    "  --web DIR       the page's folder (default: web/ of the source tree)\n"
    "  --max-body N    largest request body in bytes (default 1048576)\n"
    "  --max-solves N  solves running at once (default 4); more wait, then get 503\n"
    "  --request-timeout S\n"
    "                  seconds a slow client has to send its whole request (default\n"
    "                  10; every client gets 1 s, a slower one needs one of the 64\n"
    "                  places for slow requests per address)\n"
    "  --stop-wait S   seconds a stop (SIGINT, SIGTERM) lets the requests in flight\n"
    "                  take to finish (default 10; then they are cut off)\n"
    "  --quiet         no request log on standard error\n"
    "\n"
    "Prints \"listening on http://ADDR:PORT/\" when ready; stops on SIGINT or SIGTERM.\n";

static const char *web_default(char *buf, size_t size)
{
    struct stat sb;
    const char *env = getenv("TRADEWAR_WEB");
    if (env && *env) return env;
    const char *cands[] = {TW_SOURCE_DATA_DIR "/../web", TW_DATA_DIR "/web"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(buf, size, "%s/index.html", cands[k]);
        if (stat(buf, &sb) == 0) {
            snprintf(buf, size, "%s", cands[k]);
            return buf;
        }
    }
    return NULL;
}

/* The options into cfg: -1 to go on, else the exit code. */
static int parse_serve(int argc, char **argv, srv_config *cfg, const char **db, int *no_db,
                       long *stop_wait)
{
    long port = 8080, max_body = 0, max_solves = 0, timeout = 0;
    const cli_opt opts[] = {
        CLI_FLAG("--quiet", &cfg->quiet),
        CLI_FLAG("--no-db", no_db),
        CLI_LONG("--port", &port, 0, 65535, "--port \"%s\" is not a port number (0-65535)"),
        CLI_STRING("--bind", &cfg->bind),
        CLI_STRING("--world", &cfg->world),
        CLI_STRING("--db", db),
        CLI_STRING("--web", &cfg->web_dir),
        CLI_LONG("--max-body", &max_body, 1024, 256 << 20,
                 "--max-body \"%s\" is not a size in [1024, 268435456]"),
        CLI_LONG("--max-solves", &max_solves, 1, 256,
                 "--max-solves \"%s\" is not a number in [1, 256]"),
        CLI_LONG("--request-timeout", &timeout, 1, 3600,
                 "--request-timeout \"%s\" is not a number of seconds in [1, 3600]"),
        CLI_LONG("--stop-wait", stop_wait, 0, 3600,
                 "--stop-wait \"%s\" is not a number of seconds in [0, 3600]"),
        CLI_END,
    };
    const cli_parser p = {.cmd = "serve", .usage = usage_serve, .opts = opts};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    if (*db && *no_db) return cli_usage_error("serve", "%s: choose one", "--db and --no-db");
    cfg->port = (unsigned)port;
    cfg->max_body = (size_t)max_body;
    cfg->max_solves = (unsigned)max_solves;
    cfg->request_timeout = (unsigned)timeout;
    return -1;
}

/* The run store: db, else the user's (a warning when it cannot be opened);
 * cfg->db set to the path, or NULL.  -1 to go on, else the exit code. */
static int pick_store(srv_config *cfg, const char *db, char *buf, size_t size)
{
    tw_error err;
    tw_error_clear(&err);
    const char *path = db ? db : tw_store_default_path(buf, size, &err);
    tw_store *st = path ? tw_store_open(path, &err) : NULL;
    if (!st && db) return cli_fail(&err);
    if (!st) fprintf(stderr, "tradewar: serve: warning: runs will not be saved: %s\n", err.msg);
    tw_store_close(st);
    cfg->db = st ? path : NULL;
    return -1;
}

int tw_module_serve(int argc, char **argv)
{
    srv_config cfg = {0};
    const char *db = NULL;
    int no_db = 0;
    long stop_wait = STOP_WAIT_S;
    int rc = parse_serve(argc, argv, &cfg, &db, &no_db, &stop_wait);
    if (rc >= 0) return rc;

    char data[4096], web[4096], dbbuf[4096];
    cfg.data_root = cli_data_path(".", data, sizeof data);
    size_t dl = strlen(data);
    if (dl > 2 && strcmp(data + dl - 2, "/.") == 0) data[dl - 2] = '\0';
    if (!cfg.web_dir) cfg.web_dir = web_default(web, sizeof web);
    if (!cfg.web_dir)
        fprintf(stderr, "tradewar: serve: warning: no web folder found; serving the API only\n");
    if (!no_db && (rc = pick_store(&cfg, db, dbbuf, sizeof dbbuf)) >= 0) return rc;

    /* Take SIGINT/SIGTERM away from every thread before any exists. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN); /* a client that hangs up is not our death */
#ifdef __GLIBC__
    /* Request bodies of up to --max-body bytes, in a thread per connection:
     * glibc's default raises its mmap threshold after the first large free,
     * so later large buffers would come from, and stay in, one heap per
     * thread (tens of MB after a few large uploads).  A fixed threshold gives
     * them back to the system when freed. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif

    char msg[600];
    srv_server *s = srv_start(&cfg, msg, sizeof msg);
    if (!s) {
        fprintf(stderr, "tradewar: serve: %s\n", msg);
        return strstr(msg, "--") ? 2 : 3;
    }
    const char *bind = srv_bind(s);
    int v6 = strchr(bind, ':') != NULL;
    printf("listening on http://%s%s%s:%u/\n", v6 ? "[" : "", bind, v6 ? "]" : "", srv_port(s));
    fflush(stdout);
    if (!cfg.quiet && cfg.db) fprintf(stderr, "tradewar: serve: run store %s\n", cfg.db);
    int sig = 0;
    sigwait(&stop, &sig);
    if (!cfg.quiet)
        fprintf(stderr, "tradewar: serve: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    srv_stop(s, (double)stop_wait);
    return 0;
}
