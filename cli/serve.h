/* serve.h - `tradewar serve`, the dashboard server (cli/serve.c, server/). */
#ifndef TW_CLI_SERVE_H
#define TW_CLI_SERVE_H

int cmd_serve(int argc, char **argv);

#endif
