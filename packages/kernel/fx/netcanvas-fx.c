/*
 * netcanvas-fx: link effects (delay, jitter, reorder, loss, corrupt, duplicate) on one interface,
 * for kernels without sch_netem (see docs/link-effects.md for why this exists).
 *
 *   netcanvas-fx start --dev DEV --dir out|in [--delay MS] [--jitter MS] [--reorder PCT]
 *                      [--loss PCT] [--corrupt PCT] [--duplicate PCT]
 *   netcanvas-fx stop  --dev DEV --dir out|in
 *
 * Run inside the network namespace of DEV (ip netns exec NS ...). `start` binds a free NFQUEUE,
 * adds one ip(6)tables-legacy mangle rule that queues DEV's packets to it (POSTROUTING -o DEV for
 * "out", PREROUTING -i DEV for "in"; --queue-bypass: if this process dies, packets pass), writes
 * its state to /run/netcanvas-fx/NETNS-INODE-DIR-DEV.json (read by the observer), and returns once
 * all that is done; the daemon then holds each packet delay±jitter before accepting it. `stop`
 * ends the daemon of DEV/DIR (it removes its rules and file); it succeeds if none runs.
 *
 * Raw netlink only (no libnetfilter_queue): nothing to install but gcc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STATE_DIR "/run/netcanvas-fx"
#define MARK "0x4e43/0xffff"
#define MARK_VALUE 0x4e43
#define MAX_HELD 8192
#define BUF_SIZE (128 * 1024)

struct options {
  const char *dev, *dir;
  long delay_ms, jitter_ms;
  double reorder, loss, corrupt, duplicate;
};

struct held {
  uint64_t due; /* CLOCK_MONOTONIC ns */
  uint64_t seq; /* arrival order: equal due times keep it */
  uint32_t id;
  uint16_t len;
  unsigned char *data; /* only when the payload is needed (corrupt, duplicate) */
};

static struct options opt = {0};
static struct held heap[MAX_HELD];
static size_t held_count = 0;
static uint64_t seq_next = 0;
static int nl = -1, raw4 = -1;
static unsigned queue_num = 0;
static char state_path[256];
static volatile sig_atomic_t stopping = 0;

static void die(const char *what) {
  fprintf(stderr, "netcanvas-fx: %s: %s\n", what, strerror(errno));
  exit(1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double chance(void) { return (double)random() / ((double)RAND_MAX + 1.0) * 100.0; }

/* ---- the rules: ip(6)tables-legacy, so they stay out of the lab's own (nft) firewall view ---- */

static int run_tool(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int rule(const char *tool, const char *action, const char *dev, const char *dir, unsigned q) {
  char num[16];
  snprintf(num, sizeof num, "%u", q);
  int out = strcmp(dir, "out") == 0;
  char *argv[] = {(char *)tool, "-w", "-t", "mangle", (char *)action,
                  out ? "POSTROUTING" : "PREROUTING", out ? "-o" : "-i", (char *)dev,
                  "-m", "mark", "!", "--mark", MARK, "-m", "comment", "--comment", "netcanvas-fx",
                  "-j", "NFQUEUE", "--queue-num", num, "--queue-bypass", NULL};
  return run_tool(argv);
}

static int rules(const char *action, const char *dev, const char *dir, unsigned q) {
  int a = rule("iptables-legacy", action, dev, dir, q);
  int b = rule("ip6tables-legacy", action, dev, dir, q);
  return a != 0 ? a : b;
}

/* ---- netlink ---- */

static void put_attr(struct nlmsghdr *h, uint16_t type, const void *data, size_t len) {
  struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
  a->nla_type = type;
  a->nla_len = (uint16_t)(NLA_HDRLEN + len);
  memcpy((char *)a + NLA_HDRLEN, data, len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlmsghdr *begin(char *buf, uint16_t msg, uint16_t flags) {
  memset(buf, 0, 64);
  struct nlmsghdr *h = (struct nlmsghdr *)buf;
  h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  h->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msg;
  h->nlmsg_flags = NLM_F_REQUEST | flags;
  struct nfgenmsg *g = NLMSG_DATA(h);
  g->nfgen_family = AF_UNSPEC;
  g->version = NFNETLINK_V0;
  g->res_id = htons((uint16_t)queue_num);
  return h;
}

/* Sends a config message and waits for its ack: 0, or the kernel's errno. */
static int config(struct nlmsghdr *h) {
  static uint32_t seq = 1;
  h->nlmsg_seq = seq++;
  if (send(nl, h, h->nlmsg_len, 0) < 0) return errno;
  char buf[4096];
  ssize_t n = recv(nl, buf, sizeof buf, 0);
  if (n < 0) return errno;
  struct nlmsghdr *r = (struct nlmsghdr *)buf;
  if (r->nlmsg_type == NLMSG_ERROR) return -((struct nlmsgerr *)NLMSG_DATA(r))->error;
  return 0;
}

/* Binds the first free queue from a start derived from the device, so two devices rarely meet. */
static void bind_queue(int copy_payload) {
  unsigned hash = 5381;
  for (const char *c = opt.dev; *c; c++) hash = hash * 33 + (unsigned char)*c;
  hash += opt.dir[0];
  char buf[256];
  for (int tries = 0; tries < 200; tries++) {
    queue_num = 1000 + (hash + (unsigned)tries) % 60000;
    struct nlmsghdr *h = begin(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
    struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET)};
    put_attr(h, NFQA_CFG_CMD, &cmd, sizeof cmd);
    int err = config(h);
    if (err == EBUSY || err == EEXIST) continue;
    if (err != 0) {
      errno = err;
      die("binding an NFQUEUE (is nfnetlink_queue in the kernel?)");
    }
    h = begin(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
    struct nfqnl_msg_config_params params = {.copy_range = htonl(copy_payload ? 0xffff : 0),
                                             .copy_mode = copy_payload ? NFQNL_COPY_PACKET : NFQNL_COPY_META};
    put_attr(h, NFQA_CFG_PARAMS, &params, sizeof params);
    uint32_t maxlen = htonl(MAX_HELD), flags = htonl(NFQA_CFG_F_FAIL_OPEN);
    put_attr(h, NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen);
    put_attr(h, NFQA_CFG_MASK, &flags, sizeof flags);
    put_attr(h, NFQA_CFG_FLAGS, &flags, sizeof flags);
    if ((err = config(h)) != 0) {
      errno = err;
      die("configuring the NFQUEUE");
    }
    return;
  }
  errno = EBUSY;
  die("no free NFQUEUE number");
}

static void verdict(uint32_t id, const unsigned char *payload, uint16_t len) {
  char buf[BUF_SIZE];
  struct nlmsghdr *h = begin(buf, NFQNL_MSG_VERDICT, 0);
  struct nfqnl_msg_verdict_hdr v = {.verdict = htonl(NF_ACCEPT), .id = htonl(id)};
  put_attr(h, NFQA_VERDICT_HDR, &v, sizeof v);
  if (payload) put_attr(h, NFQA_PAYLOAD, payload, len);
  send(nl, h, h->nlmsg_len, 0);
}

static void drop(uint32_t id) {
  char buf[256];
  struct nlmsghdr *h = begin(buf, NFQNL_MSG_VERDICT, 0);
  struct nfqnl_msg_verdict_hdr v = {.verdict = htonl(NF_DROP), .id = htonl(id)};
  put_attr(h, NFQA_VERDICT_HDR, &v, sizeof v);
  send(nl, h, h->nlmsg_len, 0);
}

/* ---- the held packets: a min-heap on (due, seq) ---- */

static int before(const struct held *a, const struct held *b) {
  return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void push(struct held p) {
  size_t i = held_count++;
  heap[i] = p;
  while (i > 0 && before(&heap[i], &heap[(i - 1) / 2])) {
    struct held t = heap[i];
    heap[i] = heap[(i - 1) / 2];
    heap[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static struct held pop(void) {
  struct held top = heap[0];
  heap[0] = heap[--held_count];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < held_count && before(&heap[l], &heap[m])) m = l;
    if (r < held_count && before(&heap[r], &heap[m])) m = r;
    if (m == i) break;
    struct held t = heap[i];
    heap[i] = heap[m];
    heap[m] = t;
    i = m;
  }
  return top;
}

/* A copy of an IPv4 packet sent again through a raw socket (marked, so it is not queued again). */
static void duplicate(const unsigned char *data, uint16_t len) {
  if (raw4 < 0 || len < 20 || (data[0] >> 4) != 4) return;
  struct sockaddr_in to = {.sin_family = AF_INET};
  memcpy(&to.sin_addr, data + 16, 4);
  sendto(raw4, data, len, 0, (struct sockaddr *)&to, sizeof to);
}

/* Flips one bit after the IP header: the packet still routes; its checksum fails at the receiver. */
static void corrupt(unsigned char *data, uint16_t len) {
  uint16_t header = (data[0] >> 4) == 4 ? (uint16_t)((data[0] & 15) * 4) : 40;
  if (len <= header) header = 0;
  if (len == 0) return;
  data[header + (uint16_t)(random() % (len - header))] ^= (unsigned char)(1u << (random() % 8));
}

static void release(struct held p) {
  if (p.data && opt.corrupt > 0 && chance() < opt.corrupt) {
    corrupt(p.data, p.len);
    verdict(p.id, p.data, p.len);
  } else {
    verdict(p.id, NULL, 0);
  }
  if (p.data && opt.duplicate > 0 && strcmp(opt.dir, "out") == 0 && chance() < opt.duplicate)
    duplicate(p.data, p.len);
  free(p.data);
}

static uint64_t due_for(uint64_t now) {
  if (opt.reorder > 0 && chance() < opt.reorder) return now; /* sent at once, ahead of the held */
  long ms = opt.delay_ms;
  if (opt.jitter_ms > 0) ms += (long)(random() % (2 * opt.jitter_ms + 1)) - opt.jitter_ms;
  return now + (uint64_t)(ms < 0 ? 0 : ms) * 1000000ull;
}

static void on_packet(struct nlmsghdr *h, uint64_t now) {
  struct nfqnl_msg_packet_hdr *ph = NULL;
  unsigned char *payload = NULL;
  uint16_t len = 0;
  int rest = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));
  struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
  while (rest >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rest) {
    int type = a->nla_type & NLA_TYPE_MASK;
    if (type == NFQA_PACKET_HDR) ph = (void *)((char *)a + NLA_HDRLEN);
    if (type == NFQA_PAYLOAD) {
      payload = (unsigned char *)a + NLA_HDRLEN;
      len = (uint16_t)(a->nla_len - NLA_HDRLEN);
    }
    rest -= NLA_ALIGN(a->nla_len);
    a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
  }
  if (!ph) return;
  uint32_t id = ntohl(ph->packet_id);
  if (opt.loss > 0 && chance() < opt.loss) return drop(id);
  struct held p = {.due = due_for(now), .seq = seq_next++, .id = id, .len = len};
  if (payload && len > 0) {
    p.data = malloc(len);
    if (p.data) memcpy(p.data, payload, len);
  }
  if (held_count == MAX_HELD) return release(p);
  push(p);
}

static void receive_all(void) {
  static char buf[BUF_SIZE];
  for (;;) {
    ssize_t n = recv(nl, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) return; /* EAGAIN, or ENOBUFS (the kernel let packets pass: fail-open) */
    uint64_t now = now_ns();
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
      if ((h->nlmsg_type & 0xff) == NFQNL_MSG_PACKET) on_packet(h, now);
  }
}

static void serve(void) {
  while (!stopping) {
    uint64_t now = now_ns();
    while (held_count > 0 && heap[0].due <= now) release(pop());
    struct timespec wait = {1, 0};
    if (held_count > 0) {
      uint64_t left = heap[0].due - now;
      wait.tv_sec = (time_t)(left / 1000000000ull);
      wait.tv_nsec = (long)(left % 1000000000ull);
    }
    struct pollfd p = {.fd = nl, .events = POLLIN};
    if (ppoll(&p, 1, &wait, NULL) > 0) receive_all();
  }
  while (held_count > 0) release(pop());
}

/* ---- start, stop ---- */

static void set_state_path(void) {
  struct stat st;
  if (stat("/proc/self/ns/net", &st) < 0) die("reading this network namespace");
  snprintf(state_path, sizeof state_path, STATE_DIR "/%lu-%s-%s.json", (unsigned long)st.st_ino, opt.dir,
           opt.dev);
}

/* State files of helpers that died without cleaning up (killed with their namespace): removed. */
static void prune_dead(void) {
  DIR *dir = opendir(STATE_DIR);
  if (!dir) return;
  for (struct dirent *e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] == '.' || !strstr(e->d_name, ".json")) continue;
    char path[512];
    snprintf(path, sizeof path, STATE_DIR "/%s", e->d_name);
    FILE *f = fopen(path, "r");
    int pid = 0;
    if (!f) continue;
    int got = fscanf(f, "{\"pid\":%d", &pid);
    fclose(f);
    if (got == 1 && pid > 1 && kill(pid, 0) != 0 && errno == ESRCH) unlink(path);
  }
  closedir(dir);
}

static void write_state(void) {
  mkdir(STATE_DIR, 0755);
  prune_dead();
  char tmp[300];
  snprintf(tmp, sizeof tmp, "%s.tmp", state_path);
  FILE *f = fopen(tmp, "w");
  if (!f) die("writing " STATE_DIR);
  fprintf(f,
          "{\"pid\":%d,\"queue\":%u,\"dev\":\"%s\",\"dir\":\"%s\",\"delayMs\":%ld,\"jitterMs\":%ld,"
          "\"reorderPercent\":%g,\"lossPercent\":%g,\"corruptPercent\":%g,\"duplicatePercent\":%g}\n",
          getpid(), queue_num, opt.dev, opt.dir, opt.delay_ms, opt.jitter_ms, opt.reorder, opt.loss, opt.corrupt,
          opt.duplicate);
  if (fclose(f) != 0 || rename(tmp, state_path) != 0) die("writing " STATE_DIR);
}

static void on_term(int sig) {
  (void)sig;
  stopping = 1;
}

static int start(void) {
  int ready[2];
  if (pipe(ready) < 0) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child > 0) { /* the caller waits for the daemon to say it is in place */
    close(ready[1]);
    char c;
    return read(ready[0], &c, 1) == 1 ? 0 : 1;
  }
  close(ready[0]);
  setsid();
  for (int fd = 3; fd < 1024; fd++)
    if (fd != ready[1]) close(fd);
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  signal(SIGPIPE, SIG_IGN);
  srandom((unsigned)(now_ns() ^ (uint64_t)getpid()));
  nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (nl < 0) die("netlink socket");
  int size = 8 << 20;
  setsockopt(nl, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  int one = 1;
  setsockopt(nl, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  bind_queue(opt.corrupt > 0 || opt.duplicate > 0);
  if (opt.duplicate > 0) {
    raw4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    int mark = MARK_VALUE;
    if (raw4 >= 0) setsockopt(raw4, SOL_SOCKET, SO_MARK, &mark, sizeof mark);
  }
  if (rules("-A", opt.dev, opt.dir, queue_num) != 0) {
    rules("-D", opt.dev, opt.dir, queue_num);
    fprintf(stderr, "netcanvas-fx: iptables-legacy refused the NFQUEUE rule on %s\n", opt.dev);
    exit(1);
  }
  write_state();
  int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  if (write(ready[1], "k", 1) != 1) exit(1);
  close(ready[1]);
  serve();
  rules("-D", opt.dev, opt.dir, queue_num);
  unlink(state_path);
  return 0;
}

/* Ends the daemon named by the state file (SIGTERM, then waits up to 2 s); removes leftovers of one that died. */
static int stop(void) {
  FILE *f = fopen(state_path, "r");
  if (!f) return 0;
  int pid = 0;
  unsigned q = 0;
  int got = fscanf(f, "{\"pid\":%d,\"queue\":%u", &pid, &q);
  fclose(f);
  if (got == 2 && pid > 1 && kill(pid, SIGTERM) == 0) {
    for (int i = 0; i < 200 && kill(pid, 0) == 0; i++) usleep(10000);
    if (kill(pid, 0) != 0) return 0;
    kill(pid, SIGKILL);
  }
  if (got == 2) rules("-D", opt.dev, opt.dir, q);
  unlink(state_path);
  return 0;
}

static long whole(const char *name, const char *v) {
  char *end;
  long n = strtol(v, &end, 10);
  if (*end || n < 0 || n > 60000) {
    fprintf(stderr, "netcanvas-fx: %s must be 0..60000 ms, not \"%s\"\n", name, v);
    exit(2);
  }
  return n;
}

static double percent(const char *name, const char *v) {
  char *end;
  double n = strtod(v, &end);
  if (*end || !(n >= 0 && n <= 100)) {
    fprintf(stderr, "netcanvas-fx: %s must be a percentage 0..100, not \"%s\"\n", name, v);
    exit(2);
  }
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "start") != 0 && strcmp(argv[1], "stop") != 0)) {
    fprintf(stderr, "usage: netcanvas-fx start|stop --dev DEV --dir out|in [--delay MS] [--jitter MS]\n"
                    "       [--reorder PCT] [--loss PCT] [--corrupt PCT] [--duplicate PCT]\n");
    return 2;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--dev")) opt.dev = v;
    else if (!strcmp(k, "--dir")) opt.dir = v;
    else if (!strcmp(k, "--delay")) opt.delay_ms = whole(k, v);
    else if (!strcmp(k, "--jitter")) opt.jitter_ms = whole(k, v);
    else if (!strcmp(k, "--reorder")) opt.reorder = percent(k, v);
    else if (!strcmp(k, "--loss")) opt.loss = percent(k, v);
    else if (!strcmp(k, "--corrupt")) opt.corrupt = percent(k, v);
    else if (!strcmp(k, "--duplicate")) opt.duplicate = percent(k, v);
    else {
      fprintf(stderr, "netcanvas-fx: unknown option %s\n", k);
      return 2;
    }
  }
  if (!opt.dev || strlen(opt.dev) > 15 || strchr(opt.dev, '/') || !opt.dir ||
      (strcmp(opt.dir, "out") != 0 && strcmp(opt.dir, "in") != 0)) {
    fprintf(stderr, "netcanvas-fx: --dev NAME (an interface) and --dir out|in are needed\n");
    return 2;
  }
  set_state_path();
  stop(); /* a start replaces what runs on DEV/DIR */
  return strcmp(argv[1], "start") == 0 ? start() : 0;
}
