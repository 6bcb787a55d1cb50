/*
 * netcanvas-nfwatch: says which network namespace's firewall changed, as it changes.
 *
 *   netcanvas-nfwatch [--all-changed] DIR
 *
 * iptables raises no rtnetlink event, so `ip monitor` never sees a rule typed in a terminal; but
 * iptables on nf_tables (Debian's default, iptables-nft) commits every change as an nf_tables
 * transaction, and the kernel announces each to the NFNLGRP_NFTABLES netlink group of the
 * namespace it happened in. This helper holds one such socket in its own network namespace (the
 * lab's root) and one in each namespace named in DIR (the lab's /run/netns): a socket stays in
 * the namespace it was made in, so one process and one epoll follow them all, however many.
 *
 * Output, one line each, flushed:
 *   ready                 the first scan of DIR is done
 *   changed NAME          NAME's rules, chains or tables changed ("changed ." for its own); also
 *                         for a namespace watched from after the start that has tables already
 *                         (rules typed before its socket was there), and with --all-changed for
 *                         every one at the start that has
 *   lost NAME             NAME's socket overflowed: read its firewall again
 * DIR is followed with inotify. `ip netns add` makes the file before it mounts the namespace on
 * it, so a file that is not a namespace yet is tried again, every 20 ms, for 5 s.
 *
 * Counters of rules that packets hit raise nothing: they are still sampled (docs/architecture.md).
 * iptables-legacy raises nothing at all: there the sweep still finds what was typed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#define MAX_WATCHED 8192
#define RETRY_MS 20
#define RETRIES 250
#define OWN_SLOT (-2)
#define INOTIFY_SLOT (-1)
#define STDIN_SLOT (-3)

struct watched {
  char name[256];
  ino_t ino; /* the namespace's inode: a name deleted and made again is another namespace */
  int sock;  /* -1: the file is not a namespace (yet) */
  int tries; /* left before a file that is not a namespace is given up */
  int seen;  /* found by the scan under way */
};

static struct watched watched[MAX_WATCHED];
static int nwatched;
static int epfd;
static int own_ns;
static const char *dir;
/* Whether a namespace attached is said to have changed: after the first scan (or from the start,
 * with --all-changed: a restart, when rules typed meanwhile were seen by nobody). */
static int announce;

static void say(const char *what, const char *name) {
  printf(*name ? "%s %s\n" : "%s\n", what, name);
  fflush(stdout);
}

/* A socket on NFNLGRP_NFTABLES in the namespace `nsfd` refers to (-1: our own). */
static int nftables_socket(int nsfd) {
  if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) != 0) return -1;
  int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_NETFILTER);
  int saved = errno;
  if (nsfd >= 0 && setns(own_ns, CLONE_NEWNET) != 0) {
    perror("netcanvas-nfwatch: back to its own namespace");
    exit(1);
  }
  if (sock < 0) {
    errno = saved;
    return -1;
  }
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = 1U << (NFNLGRP_NFTABLES - 1)};
  int size = 1 << 20; /* a flush of a long ruleset is many messages */
  setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(sock);
    return -1;
  }
  return sock;
}

static void drop(int i) {
  if (watched[i].sock >= 0) close(watched[i].sock); /* closing removes it from the epoll */
  watched[i] = watched[--nwatched];
  if (i < nwatched && watched[i].sock >= 0) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
    epoll_ctl(epfd, EPOLL_CTL_MOD, watched[i].sock, &ev);
  }
}

/* Opens NAME's namespace and subscribes; a file not (yet) a namespace keeps sock -1. */
static void attach(int i) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, watched[i].name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  watched[i].sock = nftables_socket(fd);
  close(fd);
  if (watched[i].sock < 0) return;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
  epoll_ctl(epfd, EPOLL_CTL_ADD, watched[i].sock, &ev);
}

/* Asks the namespace for its nf_tables tables (a dump): the tables come back on this socket. */
static void ask_tables(int sock) {
  struct {
    struct nlmsghdr nh;
    struct nfgenmsg nf;
  } req = {
      .nh = {.nlmsg_len = sizeof req,
             .nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE,
             .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
      .nf = {.nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0},
  };
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  sendto(sock, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel);
}

/* Whether a buffer of netlink messages holds an nf_tables one (an event, or a table of a dump),
 * not only a dump's end or an error. */
static int has_nftables(const char *buf, ssize_t n) {
  for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
    if ((h->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES) return 1;
  return 0;
}

static int find(const char *name) {
  for (int i = 0; i < nwatched; i++)
    if (strcmp(watched[i].name, name) == 0) return i;
  return -1;
}

/*
 * One name of DIR looked at again (an inotify event names it): attached when it became a
 * namespace, dropped when it went or is another namespace now. Per name, not a scan of DIR: an
 * apply of 1,000 namespaces is 1,000 events, and a scan each was quadratic.
 */
static void note(const char *name) {
  if (name[0] == '.' || strlen(name) >= sizeof watched[0].name) return;
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int i = find(name);
  int there = stat(path, &st) == 0;
  /* Gone; or made again (an attached entry's inode differs: another namespace, same name). A
   * file still waiting for its mount keeps its entry: its inode changes when the mount comes. */
  if (i >= 0 && (!there || (watched[i].sock >= 0 && watched[i].ino != st.st_ino))) {
    drop(i);
    i = -1;
  }
  if (!there) return;
  if (i < 0) {
    if (nwatched == MAX_WATCHED) return;
    i = nwatched++;
    snprintf(watched[i].name, sizeof watched[i].name, "%s", name);
    watched[i].sock = -1;
    watched[i].tries = RETRIES;
  }
  watched[i].ino = st.st_ino;
  watched[i].seen = 1;
  if (watched[i].sock < 0 && watched[i].tries > 0) {
    watched[i].tries--;
    attach(i);
    /* Mounted on the file meanwhile: the namespace's inode, not the placeholder's. */
    if (watched[i].sock >= 0 && stat(path, &st) == 0) watched[i].ino = st.st_ino;
    /* A namespace made after the start may have had rules before its socket was there
     * (`ip netns add X && ip netns exec X iptables …`): its tables are asked for, and if it has
     * any, the answer says it changed (drain). One the lab just made has none: nothing is said,
     * nothing read (announcing every new namespace cost the agent a read of each). */
    if (watched[i].sock >= 0 && announce) ask_tables(watched[i].sock);
  }
}

/* DIR whole against what is watched: at the start, and when inotify lost events. */
static void scan(void) {
  for (int i = 0; i < nwatched; i++) watched[i].seen = 0;
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) note(e->d_name);
  closedir(d);
  for (int i = nwatched - 1; i >= 0; i--)
    if (!watched[i].seen) drop(i);
}

static int waiting_for_mounts(void) {
  for (int i = 0; i < nwatched; i++)
    if (watched[i].sock < 0 && watched[i].tries > 0) return 1;
  return 0;
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Files not yet namespaces (made, not yet mounted on), tried again. */
static void retry(void) {
  for (int i = 0; i < nwatched; i++)
    if (watched[i].sock < 0 && watched[i].tries > 0) note(watched[i].name);
}

/* What inotify says happened in DIR, name by name; all of DIR when it lost events. */
static void changes(int in) {
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  ssize_t n;
  int overflow = 0;
  while ((n = read(in, buf, sizeof buf)) > 0)
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      if (ev->mask & IN_Q_OVERFLOW) overflow = 1;
      else if (ev->len > 0) note(ev->name);
      p += sizeof *ev + ev->len;
    }
  if (overflow) scan();
}

/* Reads all a socket holds; says once that its namespace changed (or lost events). */
static void drain(int sock, const char *name) {
  char buf[65536];
  int got = 0;
  for (;;) {
    ssize_t n = recv(sock, buf, sizeof buf, 0);
    if (n > 0) got |= has_nftables(buf, n);
    else if (n < 0 && errno == ENOBUFS) {
      say("lost", name);
      got = 0;
    } else break;
  }
  if (got) say("changed", name);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--all-changed") == 0) {
    announce = 1;
    argv++;
  } else if (argc != 2) {
    fprintf(stderr, "usage: netcanvas-nfwatch [--all-changed] DIR\n");
    return 2;
  }
  dir = argv[1];
  /* A socket per namespace: 1,000 namespaces are past the usual soft limit of 1,024 files. */
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  own_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  int own = nftables_socket(-1);
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (own_ns < 0 || epfd < 0 || own < 0 || in < 0) {
    perror("netcanvas-nfwatch");
    return 1;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)(int64_t)OWN_SLOT};
  epoll_ctl(epfd, EPOLL_CTL_ADD, own, &ev);
  inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM);
  ev.data.u64 = (uint64_t)(int64_t)INOTIFY_SLOT;
  epoll_ctl(epfd, EPOLL_CTL_ADD, in, &ev);
  epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &(struct epoll_event){.events = EPOLLIN | EPOLLHUP, .data.u64 = (uint64_t)(int64_t)STDIN_SLOT});
  scan();
  /* The lab's root too, on a restart. */
  if (announce) ask_tables(own);
  announce = 1;
  say("ready", "");

  struct epoll_event events[64];
  long long retried = now_ms();
  for (;;) {
    int n = epoll_wait(epfd, events, 64, waiting_for_mounts() ? RETRY_MS : -1);
    if (n < 0 && errno != EINTR) return 1;
    for (int k = 0; k < n; k++) {
      int64_t slot = (int64_t)events[k].data.u64;
      if (slot == OWN_SLOT) drain(own, ".");
      else if (slot == INOTIFY_SLOT) changes(in);
      else if (slot == STDIN_SLOT) {
        char buf[256];
        if (read(STDIN_FILENO, buf, sizeof buf) <= 0) return 0; /* the agent went: so do we */
      } else if (slot >= 0 && slot < nwatched && watched[slot].sock >= 0)
        drain(watched[slot].sock, watched[slot].name);
    }
    /* By the clock, not on a quiet epoll: events never starve a namespace waiting for its mount. */
    if (now_ms() - retried >= RETRY_MS) {
      retried = now_ms();
      if (waiting_for_mounts()) retry();
    }
  }
}
