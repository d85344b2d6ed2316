/* outfile.c - one way to write an output file (outfile.h has the rules).
 *
 * Invariant: a path is only ever renamed over when it names a regular file or
 * nothing, so an output never turns a device, a FIFO, a socket or a symbolic
 * link into a regular file; and the temporary file is made with O_EXCL under a
 * fresh name, so it is never someone else's file. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tradewar/outfile.h"

#define MAX_LINKS 40     /* as the kernel's own limit (ELOOP) */
#define MAX_ATTEMPTS 100 /* temporary names tried before giving up */

static tw_status fail(tw_error *err, const char *name, const char *what, int e)
{
    if (e) return tw_error_set(err, TW_EIO, name, 0, 0, "%s: %s", what, strerror(e));
    return tw_error_set(err, TW_EIO, name, 0, 0, "%s", what);
}

/* Copy s to buf; ENAMETOOLONG (as an errno value) when it does not fit. */
static int copy(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) return ENAMETOOLONG;
    memcpy(buf, s, n + 1);
    return 0;
}

/* Follow the chain of symbolic links from path to the name the bytes must
 * end at (which may not exist yet), in buf.  A relative link is read against
 * the folder of the link.  0 or an errno value. */
static int resolve(const char *path, char *buf, size_t size)
{
    int e = copy(buf, size, path);
    for (int hops = 0; !e; hops++) {
        struct stat sb;
        if (lstat(buf, &sb) != 0) return errno == ENOENT ? 0 : errno;
        if (!S_ISLNK(sb.st_mode)) return 0;
        if (hops == MAX_LINKS) return ELOOP;
        char link[TW_OUTFILE_PATH_MAX];
        ssize_t n = readlink(buf, link, sizeof link);
        if (n < 0) return errno;
        if ((size_t)n >= sizeof link) return ENAMETOOLONG;
        link[n] = '\0';
        if (link[0] == '/') {
            e = copy(buf, size, link);
        } else {
            char *slash = strrchr(buf, '/');
            size_t keep = slash ? (size_t)(slash - buf) + 1 : 0;
            e = keep + (size_t)n >= size ? ENAMETOOLONG : copy(buf + keep, size - keep, link);
        }
    }
    return e;
}

/* Make path.tmp.XXXXXX with O_EXCL and mode 0666, which the kernel reduces by
 * the umask.  The name only has to be new, not secret: O_EXCL makes it ours. */
static int create_temp(tw_outfile *o)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 40) ^
                 (uint64_t)(uintptr_t)o;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", o->path);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        /* splitmix64: a different name on every attempt */
        x += 0x9e3779b97f4a7c15ULL;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        for (int k = 0; k < 6; k++, z /= 62) o->tmp[n - 6 + k] = digits[z % 62];
        int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

/* A device or a FIFO: write to it as it is. */
static tw_status open_in_place(tw_outfile *o, tw_error *err)
{
    int fd = open(o->name, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return fail(err, o->name, "cannot write", errno);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !(S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) || S_ISFIFO(sb.st_mode))) {
        /* replaced between the look and the open: opened without O_TRUNC,
         * so closing it changes nothing */
        close(fd);
        return fail(err, o->name, "changed while being opened", 0);
    }
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        return fail(err, o->name, "cannot write", e);
    }
    return TW_OK;
}

tw_status tw_outfile_open(tw_outfile *o, const char *path, tw_error *err)
{
    memset(o, 0, sizeof *o);
    o->name = path;
    if (!path || !path[0]) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no output path");
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && errno != ENOENT) return fail(err, path, "cannot write", errno);
    if (exists && S_ISDIR(sb.st_mode))
        return fail(err, path, "is a directory (expected a file path)", 0);
    if (exists && S_ISSOCK(sb.st_mode))
        return fail(err, path, "is a socket (expected a file path)", 0);
    if (exists && !S_ISREG(sb.st_mode)) return open_in_place(o, err);

    int e = resolve(path, o->path, sizeof o->path);
    if (e) return fail(err, path, "cannot write", e);
    int fd = create_temp(o);
    if (fd < 0) {
        e = errno;
        o->tmp[0] = '\0';
        return fail(err, path, "cannot write", e);
    }
    /* best effort: a file system without modes (vfat) refuses, and the
     * output is still right */
    if (exists) (void)fchmod(fd, sb.st_mode & 0777);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        e = errno;
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return fail(err, path, "cannot write", e);
    }
    return TW_OK;
}

tw_status tw_outfile_close(tw_outfile *o, tw_error *err)
{
    if (!o->f) return TW_OK;
    int bad = ferror(o->f) != 0, e = 0;
    if (fflush(o->f) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(o->f) != 0 && !e) {
        bad = 1;
        e = errno;
    }
    o->f = NULL;
    return bad ? fail(err, o->name, "cannot write", e) : TW_OK;
}

tw_status tw_outfile_publish(tw_outfile *o, tw_error *err)
{
    if (!o->tmp[0]) return TW_OK;
    if (rename(o->tmp, o->path) != 0) {
        int e = errno;
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return fail(err, o->name, "cannot write", e);
    }
    o->tmp[0] = '\0';
    return TW_OK;
}

tw_status tw_outfile_commit(tw_outfile *o, tw_error *err)
{
    tw_status st = tw_outfile_close(o, err);
    if (st == TW_OK) st = tw_outfile_publish(o, err);
    if (st != TW_OK) tw_outfile_discard(o);
    return st;
}

void tw_outfile_discard(tw_outfile *o)
{
    if (o->f) fclose(o->f);
    o->f = NULL;
    if (o->tmp[0]) unlink(o->tmp);
    o->tmp[0] = '\0';
}

/* 1 when path is a folder: some file systems say EROFS or EACCES, not
 * EEXIST, to mkdir of a folder that is there. */
static int is_dir(const char *path)
{
    int e = errno;
    struct stat sb;
    int yes = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
    errno = e;
    return yes;
}

tw_status tw_outfile_mkdirs(const char *dir, tw_error *err)
{
    char buf[TW_OUTFILE_PATH_MAX];
    if (!dir || !dir[0]) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no directory");
    int e = copy(buf, sizeof buf, dir);
    if (e) return fail(err, dir, "cannot create", e);
    /* each parent in turn, then dir itself; one that exists is fine */
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST && !is_dir(buf))
            return fail(err, buf, "cannot create", errno);
        *p = c;
        if (c == '\0') break;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0) return fail(err, dir, "cannot create", errno);
    if (!S_ISDIR(sb.st_mode)) return fail(err, dir, "exists and is not a directory", 0);
    return TW_OK;
}
