/* test_outfile.c - writing an output file (src/core/outfile.c).
 *
 * Each test works in its own scratch folder (fx_scratch_test): a regular file
 * is replaced only on commit, keeps its mode, and gets 0666 less the umask
 * when new; a FIFO is written in place; a directory, a socket and a link loop
 * are refused with the path and the reason; a chain of relative links is
 * followed to its target, which is replaced while the links stay; mkdirs makes
 * every missing parent and names the folder it could not make.  (The command
 * line's outputs, devices included, are checked by
 * tests/faults/output_paths.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tradewar/outfile.h"
#include "../common/fixtures.h"

/* ---- helpers ------------------------------------------------------------ */

static size_t n_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void expect_text(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, text);
}

static mode_t mode_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

/* err is an I/O error about path, with this message */
static void expect_io_error(const tw_error *err, const char *path, const char *msg)
{
    assert_int_equal(err->code, TW_EIO);
    assert_string_equal(err->file, path);
    assert_string_equal(err->msg, msg);
}

static void write_all(const char *path, const char *text)
{
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, path, &err), TW_OK);
    fputs(text, o.f);
    assert_int_equal(tw_outfile_commit(&o, &err), TW_OK);
}

/* ---- regular files ------------------------------------------------------- */

static void test_a_new_file_appears_on_commit_with_mode_0666_less_the_umask(void **state)
{
    const char *dir = *state;
    char path[400];
    fx_path(path, sizeof path, dir, "out.csv");
    mode_t old = umask(027);
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, path, &err), TW_OK);
    fputs("a,b\n", o.f);
    assert_int_equal(access(path, F_OK), -1); /* not there until complete */
    assert_int_equal(n_entries(dir), 1);      /* the temporary file */
    assert_int_equal(tw_outfile_commit(&o, &err), TW_OK);
    umask(old);
    expect_text(path, "a,b\n");
    assert_int_equal(mode_of(path), 0640);
    assert_int_equal(n_entries(dir), 1);
}

static void test_a_replaced_file_keeps_its_mode(void **state)
{
    char path[400];
    fx_write_file(fx_path(path, sizeof path, *state, "out.csv"), "old\n");
    assert_int_equal(chmod(path, 0604), 0);
    write_all(path, "new\n");
    expect_text(path, "new\n");
    assert_int_equal(mode_of(path), 0604);
}

static void test_a_discarded_output_leaves_the_old_file_and_no_temporary(void **state)
{
    char path[400];
    fx_write_file(fx_path(path, sizeof path, *state, "out.csv"), "old\n");
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, path, &err), TW_OK);
    fputs("half", o.f);
    tw_outfile_discard(&o);
    tw_outfile_discard(&o); /* twice is harmless */
    expect_text(path, "old\n");
    assert_int_equal(n_entries(*state), 1);
}

static void test_a_missing_folder_is_an_io_error_naming_the_path(void **state)
{
    const char *dir = *state;
    char path[400];
    fx_path(path, sizeof path, dir, "missing/out.csv");
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, path, &err), TW_EIO);
    expect_io_error(&err, path, "cannot write: No such file or directory");
    tw_outfile_discard(&o); /* nothing to do after a failed open */
    assert_int_equal(n_entries(dir), 0);
}

/* ---- what is not a regular file ------------------------------------------ */

static void test_a_fifo_is_written_in_place(void **state)
{
    const char *dir = *state;
    char path[400];
    fx_path(path, sizeof path, dir, "pipe");
    assert_int_equal(mkfifo(path, 0600), 0);
    /* a reader that is there already, so opening for writing does not wait */
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    write_all(path, "through the pipe\n");
    char buf[64] = "";
    assert_int_equal(read(rd, buf, sizeof buf - 1), 17);
    assert_string_equal(buf, "through the pipe\n");
    close(rd);
    struct stat sb;
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
    assert_int_equal(n_entries(dir), 1);
}

static void test_a_directory_and_a_socket_are_refused(void **state)
{
    const char *dir = *state;
    char sock[400];
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, dir, &err), TW_EIO);
    expect_io_error(&err, dir, "is a directory (expected a file path)");

    fx_path(sock, sizeof sock, dir, "sock");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t len = strlen(sock);
    assert_true(len < sizeof addr.sun_path);
    memcpy(addr.sun_path, sock, len + 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(tw_outfile_open(&o, sock, &err), TW_EIO);
    expect_io_error(&err, sock, "is a socket (expected a file path)");
    close(fd);
    struct stat sb;
    assert_int_equal(lstat(sock, &sb), 0);
    assert_true(S_ISSOCK(sb.st_mode));
}

/* ---- symbolic links ------------------------------------------------------ */

static void test_a_chain_of_relative_links_ends_at_its_target_and_stays(void **state)
{
    const char *dir = *state;
    char sub[400], link1[400], link2[400], target[400], got[64];
    fx_path(sub, sizeof sub, dir, "sub");
    assert_int_equal(mkdir(sub, 0777), 0);
    fx_path(link1, sizeof link1, dir, "out.csv");
    fx_path(link2, sizeof link2, dir, "sub/hop");
    fx_path(target, sizeof target, dir, "sub/target.csv");
    assert_int_equal(symlink("sub/hop", link1), 0);
    assert_int_equal(symlink("target.csv", link2), 0);
    write_all(link1, "first\n"); /* the target does not exist yet */
    expect_text(target, "first\n");
    write_all(link1, "second\n");
    expect_text(target, "second\n");
    ssize_t n = readlink(link1, got, sizeof got - 1);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, "sub/hop");
    n = readlink(link2, got, sizeof got - 1);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, "target.csv");
    assert_int_equal(n_entries(sub), 2); /* hop, target.csv: no temporary */
}

static void test_a_link_loop_is_an_io_error(void **state)
{
    const char *dir = *state;
    char a[400], b[400];
    fx_path(a, sizeof a, dir, "a");
    fx_path(b, sizeof b, dir, "b");
    assert_int_equal(symlink("b", a), 0);
    assert_int_equal(symlink("a", b), 0);
    tw_outfile o;
    tw_error err;
    assert_int_equal(tw_outfile_open(&o, a, &err), TW_EIO);
    expect_io_error(&err, a, "cannot write: Too many levels of symbolic links");
    assert_int_equal(n_entries(dir), 2);
}

/* ---- folders ------------------------------------------------------------- */

static void test_mkdirs_makes_every_missing_parent_and_names_what_fails(void **state)
{
    const char *dir = *state;
    char deep[400], file[400], under[400];
    fx_path(deep, sizeof deep, dir, "a/b/c/");
    mode_t old = umask(022);
    tw_error err;
    assert_int_equal(tw_outfile_mkdirs(deep, &err), TW_OK);
    assert_int_equal(tw_outfile_mkdirs(deep, &err), TW_OK); /* there already */
    umask(old);
    assert_int_equal(mode_of(deep), 0755);
    fx_path(file, sizeof file, dir, "a/file");
    fx_write_file(file, "x\n");
    assert_int_equal(tw_outfile_mkdirs(file, &err), TW_EIO);
    expect_io_error(&err, file, "exists and is not a directory");
    fx_path(under, sizeof under, dir, "a/file/d/e");
    assert_int_equal(tw_outfile_mkdirs(under, &err), TW_EIO);
    fx_path(under, sizeof under, dir, "a/file/d");
    expect_io_error(&err, under, "cannot create: Not a directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_a_new_file_appears_on_commit_with_mode_0666_less_the_umask),
        fx_scratch_test(test_a_replaced_file_keeps_its_mode),
        fx_scratch_test(test_a_discarded_output_leaves_the_old_file_and_no_temporary),
        fx_scratch_test(test_a_missing_folder_is_an_io_error_naming_the_path),
        fx_scratch_test(test_a_fifo_is_written_in_place),
        fx_scratch_test(test_a_directory_and_a_socket_are_refused),
        fx_scratch_test(test_a_chain_of_relative_links_ends_at_its_target_and_stays),
        fx_scratch_test(test_a_link_loop_is_an_io_error),
        fx_scratch_test(test_mkdirs_makes_every_missing_parent_and_names_what_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
