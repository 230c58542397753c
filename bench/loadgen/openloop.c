/*
 * openloop: an open-loop HTTP/1.1 load generator (wrk2's method), for the api bench's REST rows.
 *
 * Request k is due at start + k / rate whether or not earlier requests were answered; it goes out on an idle
 * keep-alive connection, or waits in a queue until one is free; its latency counts from when it was DUE, so a stalled
 * server shows as the queue it builds (no coordinated omission). One thread, epoll, a separate process: its pauses
 * are not the server's, and it uses a few percent of a core at 10,000 req/s.
 *
 * usage: openloop HOST:PORT PATHS_FILE RATE CONNECTIONS WARMUP_S MEASURED_S
 *   PATHS_FILE: one request target per line ("/cosmos/bank/v1beta1/balances/depin1..."), used in turn.
 * Prints one JSON object: requests due in the measured window and answered, failures (status other than 200,
 * connection errors), the answered rate, and the latency percentiles of the measured requests in microseconds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RESPONSE (1 << 20)

typedef struct {
    int fd;
    int busy;
    int64_t due;            /* due time of the request in flight (ns) */
    int counted;            /* due in the measured window */
    char *out; size_t out_len, out_sent;
    char *in; size_t in_len;
} conn_t;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) { fprintf(stderr, "openloop: %s: %s\n", what, strerror(errno)); exit(2); }

static char host_header[128];
static struct sockaddr_in server;
static char **paths; static size_t path_count, next_path;
static int64_t *latencies; static size_t latency_count, latency_capacity;
static long failures;

static int connect_one(int epfd, conn_t *c) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&server, sizeof server) < 0 && errno != EINPROGRESS) die("connect");
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
    c->busy = 0; c->in_len = 0; c->out_len = c->out_sent = 0;
    return 0;
}

static void flush_out(conn_t *c) {
    while (c->out_sent < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
        if (n < 0) { if (errno == EAGAIN || errno == EINPROGRESS || errno == ENOTCONN) return; die("send"); }
        c->out_sent += (size_t)n;
    }
}

static void start_request(conn_t *c, int64_t due, int counted) {
    const char *path = paths[next_path++ % path_count];
    int n = snprintf(c->out, 4096, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n\r\n", path, host_header);
    c->out_len = (size_t)n; c->out_sent = 0;
    c->busy = 1; c->due = due; c->counted = counted;
    flush_out(c);
}

/* A complete response in c->in? Returns its length, 0 when incomplete; *status gets the status code. */
static size_t complete_response(conn_t *c, int *status) {
    c->in[c->in_len] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    size_t head = (size_t)(end - c->in) + 4;
    *status = atoi(c->in + 9);
    char *cl = strcasestr(c->in, "\r\ncontent-length:");
    if (cl && cl < end) {
        size_t body = (size_t)strtoul(cl + 17, NULL, 10);
        return c->in_len >= head + body ? head + body : 0;
    }
    if (strcasestr(c->in, "\r\ntransfer-encoding: chunked") < end) {
        size_t at = head;
        for (;;) {
            char *line_end = strstr(c->in + at, "\r\n");
            if (!line_end) return 0;
            size_t size = (size_t)strtoul(c->in + at, NULL, 16);
            at = (size_t)(line_end - c->in) + 2;
            if (size == 0) return c->in_len >= at + 2 ? at + 2 : 0;
            at += size + 2;
            if (at > c->in_len) return 0;
        }
    }
    return head; /* no body */
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t percentile(double fraction) {
    if (latency_count == 0) return 0;
    size_t rank = (size_t)(fraction * (double)latency_count + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > latency_count) rank = latency_count;
    return latencies[rank - 1];
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: openloop HOST:PORT PATHS_FILE RATE CONNECTIONS WARMUP_S MEASURED_S\n"); return 2; }
    char host[64]; int port;
    if (sscanf(argv[1], "%63[^:]:%d", host, &port) != 2) { fprintf(stderr, "openloop: bad address %s\n", argv[1]); return 2; }
    snprintf(host_header, sizeof host_header, "%s", argv[1]);
    server.sin_family = AF_INET; server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) { fprintf(stderr, "openloop: bad host %s\n", host); return 2; }
    double rate = atof(argv[3]); int connections = atoi(argv[4]);
    double warmup = atof(argv[5]), measured = atof(argv[6]);
    if (rate <= 0 || connections <= 0 || warmup < 0 || measured <= 0) { fprintf(stderr, "openloop: bad numbers\n"); return 2; }

    FILE *f = fopen(argv[2], "r");
    if (!f) die(argv[2]);
    size_t cap = 1024; paths = malloc(cap * sizeof *paths);
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (path_count == cap) paths = realloc(paths, (cap *= 2) * sizeof *paths);
        paths[path_count++] = strdup(line);
    }
    fclose(f);
    if (path_count == 0) { fprintf(stderr, "openloop: no paths in %s\n", argv[2]); return 2; }

    latency_capacity = (size_t)(rate * measured * 1.1) + 1024;
    latencies = malloc(latency_capacity * sizeof *latencies);
    int epfd = epoll_create1(0);
    if (epfd < 0) die("epoll_create1");
    conn_t *conns = calloc((size_t)connections, sizeof *conns);
    for (int i = 0; i < connections; i++) {
        conns[i].out = malloc(4096); conns[i].in = malloc(MAX_RESPONSE + 1);
        connect_one(epfd, &conns[i]);
    }
    /* Requests due while every connection is busy wait here (their due times), in order. */
    size_t queue_cap = 1 << 20; int64_t *queue = malloc(queue_cap * sizeof *queue); size_t q_head = 0, q_tail = 0;

    double interval = 1e9 / rate;
    int64_t start = now_ns() + 100000000LL; /* connections get 100 ms to open */
    int64_t measure_from = start + (int64_t)(warmup * 1e9), measure_to = measure_from + (int64_t)(measured * 1e9);
    long long k = 0;
    int64_t next_due = start;
    int idle_hint = 0;
    struct epoll_event events[256];
    for (;;) {
        int64_t t = now_ns();
        /* Everything due by now: to an idle connection, else the queue. */
        while (next_due <= t && next_due < measure_to) {
            if (q_tail - q_head == queue_cap) { fprintf(stderr, "openloop: queue overflow (server stalled?)\n"); return 3; }
            queue[q_tail++ % queue_cap] = next_due;
            k++;
            next_due = start + (int64_t)((double)k * interval);
        }
        for (int n = 0; n < connections && q_head < q_tail; n++) {
            conn_t *c = &conns[(idle_hint + n) % connections];
            if (c->busy) continue;
            int64_t due = queue[q_head++ % queue_cap];
            start_request(c, due, due >= measure_from);
            idle_hint = (int)((c - conns) + 1) % connections;
        }
        int in_flight = 0;
        for (int n = 0; n < connections; n++) in_flight += conns[n].busy;
        if (next_due >= measure_to && q_head == q_tail && in_flight == 0) break;

        int64_t wait = next_due < measure_to ? next_due - now_ns() : 100000000LL;
        if (wait < 0) wait = 0;
        struct timespec timeout = { .tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL };
        int ready = epoll_pwait2(epfd, events, 256, &timeout, NULL);
        if (ready < 0) { if (errno == EINTR) continue; die("epoll_pwait2"); }
        for (int e = 0; e < ready; e++) {
            conn_t *c = events[e].data.ptr;
            if (events[e].events & EPOLLOUT) flush_out(c);
            if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
            for (;;) {
                ssize_t n = recv(c->fd, c->in + c->in_len, MAX_RESPONSE - c->in_len, 0);
                if (n < 0) { if (errno == EAGAIN) break; die("recv"); }
                if (n == 0) { fprintf(stderr, "openloop: the server closed a connection\n"); return 3; }
                c->in_len += (size_t)n;
                if (c->in_len == MAX_RESPONSE) { fprintf(stderr, "openloop: response over %d bytes\n", MAX_RESPONSE); return 3; }
            }
            int status = 0;
            size_t used;
            while (c->busy && (used = complete_response(c, &status)) > 0) {
                int64_t end = now_ns();
                if (c->counted) {
                    if (latency_count < latency_capacity) latencies[latency_count++] = end - c->due;
                    if (status != 200) failures++;
                }
                memmove(c->in, c->in + used, c->in_len - used);
                c->in_len -= used;
                c->busy = 0;
            }
        }
    }
    qsort(latencies, latency_count, sizeof *latencies, compare);
    printf("{\"requests\":%zu,\"failures\":%ld,\"rate\":%.1f,\"p50_us\":%lld,\"p90_us\":%lld,\"p99_us\":%lld,\"p999_us\":%lld,\"max_us\":%lld}\n",
           latency_count, failures, (double)latency_count / measured,
           (long long)(percentile(0.50) / 1000), (long long)(percentile(0.90) / 1000), (long long)(percentile(0.99) / 1000),
           (long long)(percentile(0.999) / 1000), (long long)(latency_count ? latencies[latency_count - 1] / 1000 : 0));
    return 0;
}
