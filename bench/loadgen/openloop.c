/*
 * openloop: an open-loop load generator (wrk2's method) for the api bench's fixed-rate rows, over HTTP/1.1 (REST) or
 * HTTP/2 cleartext (gRPC unary calls).
 *
 * Request k is due at start + k / rate whether or not earlier requests were answered; it goes out on a connection with
 * room (HTTP/1.1: an idle keep-alive connection; HTTP/2: fewer than MAX_STREAMS streams open), or waits in a queue until
 * one has; its latency counts from when it was DUE, so a stalled server shows as the queue it builds (no coordinated
 * omission). Requests leave on their own due times (a timer per request, not batches per tick). One thread, epoll, a
 * separate process: its pauses are not the server's.
 *
 * usage: openloop http1 HOST:PORT PATHS_FILE RATE CONNECTIONS WARMUP_S MEASURED_S
 *          PATHS_FILE: one request target per line ("/cosmos/bank/v1beta1/balances/depin1..."), used in turn.
 *        openloop grpc HOST:PORT METHOD_PATH BODIES_FILE RATE CONNECTIONS MAX_STREAMS WARMUP_S MEASURED_S
 *          METHOD_PATH: "/cosmos.bank.v1beta1.Query/Balance"; BODIES_FILE: gRPC length-prefixed request messages one
 *          after another, used in turn. A call succeeds when its stream carries a response message before it ends
 *          (a trailers-only answer is gRPC's error shape).
 * Prints one JSON object: requests due in the measured window and answered, failures, the answered rate, and the
 * latency percentiles of the measured requests in microseconds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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

#define IN_CAPACITY (1 << 20)
#define OUT_CAPACITY (1 << 20)
#define STREAM_SLOTS 4096 /* per HTTP/2 connection: in-flight streams, by (stream id / 2) mod this */

typedef struct {
    uint32_t id;    /* 0: free */
    int64_t due;
    int counted, got_message;
} stream_t;

typedef struct {
    int fd;
    int in_flight;
    char *out; size_t out_len, out_sent;
    unsigned char *in; size_t in_len;
    /* HTTP/1.1 */
    int64_t due; int counted;
    /* HTTP/2 */
    uint32_t next_stream;
    int64_t send_window;
    stream_t *streams;
} conn_t;

static int grpc_mode;
static int max_in_flight = 1;
static char authority[128];
static struct sockaddr_in server;
static char **items; static size_t *item_lengths; static size_t item_count, next_item;
static const char *method_path;
static int64_t *latencies; static size_t latency_count, latency_capacity;
static long failures;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) { fprintf(stderr, "openloop: %s: %s\n", what, strerror(errno)); exit(2); }
static void fail(const char *what) { fprintf(stderr, "openloop: %s\n", what); exit(3); }

static void append(conn_t *c, const void *bytes, size_t n) {
    if (c->out_len + n > OUT_CAPACITY) fail("output buffer full (server not reading?)");
    memcpy(c->out + c->out_len, bytes, n);
    c->out_len += n;
}

static void flush_out(conn_t *c) {
    while (c->out_sent < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
        if (n < 0) { if (errno == EAGAIN || errno == EINPROGRESS || errno == ENOTCONN) return; die("send"); }
        c->out_sent += (size_t)n;
    }
    c->out_len = c->out_sent = 0;
}

static void record(int64_t due, int counted, int ok) {
    if (!counted) return;
    if (latency_count < latency_capacity) latencies[latency_count++] = now_ns() - due;
    if (!ok) failures++;
}

/* ---- HTTP/2 (RFC 9113) with HPACK literals only (RFC 7541): enough for gRPC unary calls ---- */

static void frame_header(conn_t *c, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream) {
    unsigned char h[9] = { (unsigned char)(length >> 16), (unsigned char)(length >> 8), (unsigned char)length, type, flags,
                           (unsigned char)(stream >> 24), (unsigned char)(stream >> 16), (unsigned char)(stream >> 8), (unsigned char)stream };
    append(c, h, 9);
}

/* HPACK integer with an n-bit prefix; returns bytes written. */
static size_t hpack_int(unsigned char *at, unsigned char first, int prefix_bits, size_t value) {
    size_t limit = ((size_t)1 << prefix_bits) - 1, n = 0;
    if (value < limit) { at[n++] = (unsigned char)(first | value); return n; }
    at[n++] = (unsigned char)(first | limit);
    value -= limit;
    while (value >= 128) { at[n++] = (unsigned char)(value % 128 + 128); value /= 128; }
    at[n++] = (unsigned char)value;
    return n;
}

static size_t hpack_string(unsigned char *at, const char *s, size_t length) {
    size_t n = hpack_int(at, 0x00, 7, length); /* not Huffman-coded */
    memcpy(at + n, s, length);
    return n + length;
}

static void h2_open(conn_t *c) {
    static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    append(c, preface, sizeof preface - 1);
    /* SETTINGS: a stream window of 2^31-1 (we never send WINDOW_UPDATE per stream); then the connection's window too. */
    unsigned char settings[6] = { 0x00, 0x04, 0x7f, 0xff, 0xff, 0xff };
    frame_header(c, 6, 0x4, 0, 0);
    append(c, settings, 6);
    uint32_t increment = 0x7fffffffu - 65535u;
    unsigned char window[4] = { (unsigned char)(increment >> 24), (unsigned char)(increment >> 16), (unsigned char)(increment >> 8), (unsigned char)increment };
    frame_header(c, 4, 0x8, 0, 0);
    append(c, window, 4);
    c->next_stream = 1;
    c->send_window = 65535;
}

static int h2_can_send(conn_t *c) {
    return c->in_flight < max_in_flight && c->send_window >= (int64_t)item_lengths[next_item % item_count];
}

static void h2_start(conn_t *c, int64_t due, int counted) {
    size_t i = next_item++ % item_count;
    uint32_t id = c->next_stream;
    c->next_stream += 2;
    stream_t *s = &c->streams[(id >> 1) % STREAM_SLOTS];
    if (s->id != 0) fail("more streams in flight than slots");
    *s = (stream_t){ .id = id, .due = due, .counted = counted };
    unsigned char block[512];
    size_t n = 0;
    block[n++] = 0x83; /* :method POST (static 3) */
    block[n++] = 0x86; /* :scheme http (static 6) */
    n += hpack_int(block + n, 0x00, 4, 4); /* :path, literal without indexing, name = static 4 */
    n += hpack_string(block + n, method_path, strlen(method_path));
    n += hpack_int(block + n, 0x00, 4, 1); /* :authority (static 1) */
    n += hpack_string(block + n, authority, strlen(authority));
    n += hpack_int(block + n, 0x00, 4, 31); /* content-type (static 31) */
    n += hpack_string(block + n, "application/grpc", 16);
    block[n++] = 0x00; /* te: trailers, new name */
    n += hpack_string(block + n, "te", 2);
    n += hpack_string(block + n, "trailers", 8);
    frame_header(c, (uint32_t)n, 0x1, 0x4, id); /* HEADERS, END_HEADERS */
    append(c, block, n);
    frame_header(c, (uint32_t)item_lengths[i], 0x0, 0x1, id); /* DATA, END_STREAM */
    append(c, items[i], item_lengths[i]);
    c->send_window -= (int64_t)item_lengths[i];
    c->in_flight++;
    flush_out(c);
}

static void h2_end(conn_t *c, uint32_t id, int reset) {
    stream_t *s = &c->streams[(id >> 1) % STREAM_SLOTS];
    if (s->id != id) return;
    record(s->due, s->counted, !reset && s->got_message);
    s->id = 0;
    c->in_flight--;
}

static void h2_read(conn_t *c) {
    size_t at = 0;
    while (c->in_len - at >= 9) {
        unsigned char *f = c->in + at;
        uint32_t length = (uint32_t)f[0] << 16 | (uint32_t)f[1] << 8 | f[2];
        uint8_t type = f[3], flags = f[4];
        uint32_t id = ((uint32_t)f[5] << 24 | (uint32_t)f[6] << 16 | (uint32_t)f[7] << 8 | f[8]) & 0x7fffffffu;
        if (c->in_len - at < 9 + length) break;
        unsigned char *payload = f + 9;
        switch (type) {
        case 0x0: /* DATA */
            if (length > 5) { stream_t *s = &c->streams[(id >> 1) % STREAM_SLOTS]; if (s->id == id) s->got_message = 1; }
            if (flags & 0x1) h2_end(c, id, 0);
            break;
        case 0x1: /* HEADERS (response headers, or trailers ending the stream) */
            if (flags & 0x1) h2_end(c, id, 0);
            break;
        case 0x3: /* RST_STREAM */
            h2_end(c, id, 1);
            break;
        case 0x4: /* SETTINGS: acknowledge */
            if (!(flags & 0x1)) frame_header(c, 0, 0x4, 0x1, 0);
            break;
        case 0x6: /* PING: answer */
            if (!(flags & 0x1)) { frame_header(c, 8, 0x6, 0x1, 0); append(c, payload, 8); }
            break;
        case 0x7: /* GOAWAY */
            fail("the server sent GOAWAY");
            break;
        case 0x8: /* WINDOW_UPDATE: only the connection's window limits our small requests */
            if (id == 0 && length == 4)
                c->send_window += (int64_t)(((uint32_t)payload[0] << 24 | (uint32_t)payload[1] << 16 | (uint32_t)payload[2] << 8 | payload[3]) & 0x7fffffffu);
            break;
        default: /* PRIORITY, CONTINUATION (END_STREAM rides on HEADERS), unknown: nothing to do */
            break;
        }
        at += 9 + length;
    }
    memmove(c->in, c->in + at, c->in_len - at);
    c->in_len -= at;
    flush_out(c);
}

/* ---- HTTP/1.1 ---- */

static int h1_can_send(conn_t *c) { return c->in_flight == 0; }

static void h1_start(conn_t *c, int64_t due, int counted) {
    char request[4096];
    int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n\r\n", items[next_item++ % item_count], authority);
    append(c, request, (size_t)n);
    c->in_flight = 1; c->due = due; c->counted = counted;
    flush_out(c);
}

/* A complete response at the start of c->in? Its length, 0 when incomplete; *status gets the status code. */
static size_t h1_response(conn_t *c, int *status) {
    char *text = (char *)c->in;
    text[c->in_len] = 0;
    char *end = strstr(text, "\r\n\r\n");
    if (!end) return 0;
    size_t head = (size_t)(end - text) + 4;
    *status = atoi(text + 9);
    char *cl = strcasestr(text, "\r\ncontent-length:");
    if (cl && cl < end) {
        size_t body = (size_t)strtoul(cl + 17, NULL, 10);
        return c->in_len >= head + body ? head + body : 0;
    }
    char *chunked = strcasestr(text, "\r\ntransfer-encoding: chunked");
    if (chunked && chunked < end) {
        size_t at = head;
        for (;;) {
            char *line_end = strstr(text + at, "\r\n");
            if (!line_end) return 0;
            size_t size = (size_t)strtoul(text + at, NULL, 16);
            at = (size_t)(line_end - text) + 2;
            if (size == 0) return c->in_len >= at + 2 ? at + 2 : 0;
            at += size + 2;
            if (at > c->in_len) return 0;
        }
    }
    return head; /* no body */
}

static void h1_read(conn_t *c) {
    int status = 0;
    size_t used;
    while (c->in_flight && (used = h1_response(c, &status)) > 0) {
        record(c->due, c->counted, status == 200);
        memmove(c->in, c->in + used, c->in_len - used);
        c->in_len -= used;
        c->in_flight = 0;
    }
}

/* ---- the schedule ---- */

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

static void load_paths(const char *file) {
    FILE *f = fopen(file, "r");
    if (!f) die(file);
    size_t cap = 1024;
    items = malloc(cap * sizeof *items); item_lengths = malloc(cap * sizeof *item_lengths);
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (item_count == cap) { cap *= 2; items = realloc(items, cap * sizeof *items); item_lengths = realloc(item_lengths, cap * sizeof *item_lengths); }
        item_lengths[item_count] = strlen(line);
        items[item_count++] = strdup(line);
    }
    fclose(f);
}

static void load_bodies(const char *file) {
    FILE *f = fopen(file, "rb");
    if (!f) die(file);
    size_t cap = 1024;
    items = malloc(cap * sizeof *items); item_lengths = malloc(cap * sizeof *item_lengths);
    unsigned char prefix[5];
    while (fread(prefix, 1, 5, f) == 5) {
        size_t length = (size_t)prefix[1] << 24 | (size_t)prefix[2] << 16 | (size_t)prefix[3] << 8 | prefix[4];
        if (length > 65536) fail("a request message over 64 KiB");
        char *body = malloc(5 + length);
        memcpy(body, prefix, 5);
        if (fread(body + 5, 1, length, f) != length) fail("a truncated request message");
        if (item_count == cap) { cap *= 2; items = realloc(items, cap * sizeof *items); item_lengths = realloc(item_lengths, cap * sizeof *item_lengths); }
        item_lengths[item_count] = 5 + length;
        items[item_count++] = body;
    }
    fclose(f);
}

int main(int argc, char **argv) {
    const char *usage = "usage: openloop http1 HOST:PORT PATHS_FILE RATE CONNECTIONS WARMUP_S MEASURED_S\n"
                        "       openloop grpc HOST:PORT METHOD_PATH BODIES_FILE RATE CONNECTIONS MAX_STREAMS WARMUP_S MEASURED_S\n";
    double rate, warmup, measured;
    int connections;
    if (argc == 8 && strcmp(argv[1], "http1") == 0) {
        load_paths(argv[3]);
        rate = atof(argv[4]); connections = atoi(argv[5]); warmup = atof(argv[6]); measured = atof(argv[7]);
    } else if (argc == 10 && strcmp(argv[1], "grpc") == 0) {
        grpc_mode = 1;
        method_path = argv[3];
        load_bodies(argv[4]);
        rate = atof(argv[5]); connections = atoi(argv[6]); max_in_flight = atoi(argv[7]); warmup = atof(argv[8]); measured = atof(argv[9]);
        if (max_in_flight < 1 || max_in_flight >= STREAM_SLOTS) fail("MAX_STREAMS must be between 1 and 4095");
    } else {
        fputs(usage, stderr);
        return 2;
    }
    char host[64]; int port;
    if (sscanf(argv[2], "%63[^:]:%d", host, &port) != 2) { fprintf(stderr, "openloop: bad address %s\n", argv[2]); return 2; }
    snprintf(authority, sizeof authority, "%s", argv[2]);
    server.sin_family = AF_INET; server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) { fprintf(stderr, "openloop: bad host %s\n", host); return 2; }
    if (rate <= 0 || connections <= 0 || warmup < 0 || measured <= 0) fail("bad numbers");
    if (item_count == 0) fail("no requests in the file");

    latency_capacity = (size_t)(rate * measured * 1.1) + 1024;
    latencies = malloc(latency_capacity * sizeof *latencies);
    int epfd = epoll_create1(0);
    if (epfd < 0) die("epoll_create1");
    conn_t *conns = calloc((size_t)connections, sizeof *conns);
    for (int i = 0; i < connections; i++) {
        conn_t *c = &conns[i];
        c->out = malloc(OUT_CAPACITY); c->in = malloc(IN_CAPACITY + 1);
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c->fd < 0) die("socket");
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c->fd, (struct sockaddr *)&server, sizeof server) < 0 && errno != EINPROGRESS) die("connect");
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
        if (grpc_mode) { c->streams = calloc(STREAM_SLOTS, sizeof *c->streams); h2_open(c); }
    }
    /* Requests due while no connection has room wait here (their due times), in order. */
    size_t queue_cap = 1 << 20; int64_t *queue = malloc(queue_cap * sizeof *queue); size_t q_head = 0, q_tail = 0;

    double interval = 1e9 / rate;
    int64_t start = now_ns() + 200000000LL; /* connections get 200 ms to open (and HTTP/2 to exchange settings) */
    int64_t measure_from = start + (int64_t)(warmup * 1e9), measure_to = measure_from + (int64_t)(measured * 1e9);
    long long k = 0;
    int64_t next_due = start;
    int hint = 0;
    struct epoll_event events[256];
    for (;;) {
        int64_t t = now_ns();
        while (next_due <= t && next_due < measure_to) {
            if (q_tail - q_head == queue_cap) fail("queue overflow (server stalled?)");
            queue[q_tail++ % queue_cap] = next_due;
            k++;
            next_due = start + (int64_t)((double)k * interval);
        }
        /* Due requests go out round robin over the connections with room. */
        for (int n = 0; n < connections && q_head < q_tail; n++) {
            conn_t *c = &conns[(hint + n) % connections];
            if (!(grpc_mode ? h2_can_send(c) : h1_can_send(c))) continue;
            int64_t due = queue[q_head++ % queue_cap];
            if (grpc_mode) h2_start(c, due, due >= measure_from); else h1_start(c, due, due >= measure_from);
            hint = (int)((c - conns) + 1) % connections;
        }
        int in_flight = 0;
        for (int n = 0; n < connections; n++) in_flight += conns[n].in_flight;
        if (next_due >= measure_to && q_head == q_tail && in_flight == 0) break;

        /* Sleep until the next request is due, or briefly while requests wait for room (answers wake us sooner). */
        int64_t wait = q_head < q_tail ? 50000 : next_due < measure_to ? next_due - now_ns() : 100000000LL;
        if (wait < 0) wait = 0;
        struct timespec timeout = { .tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL };
        int ready = epoll_pwait2(epfd, events, 256, &timeout, NULL);
        if (ready < 0) { if (errno == EINTR) continue; die("epoll_pwait2"); }
        for (int e = 0; e < ready; e++) {
            conn_t *c = events[e].data.ptr;
            if (events[e].events & EPOLLOUT) flush_out(c);
            if (!(events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
            for (;;) {
                ssize_t n = recv(c->fd, c->in + c->in_len, IN_CAPACITY - c->in_len, 0);
                if (n < 0) { if (errno == EAGAIN) break; die("recv"); }
                if (n == 0) fail("the server closed a connection");
                c->in_len += (size_t)n;
                if (c->in_len == IN_CAPACITY) fail("a response over the input buffer");
            }
            if (grpc_mode) h2_read(c); else h1_read(c);
        }
    }
    qsort(latencies, latency_count, sizeof *latencies, compare);
    printf("{\"requests\":%zu,\"failures\":%ld,\"rate\":%.1f,\"p50_us\":%lld,\"p90_us\":%lld,\"p99_us\":%lld,\"p999_us\":%lld,\"max_us\":%lld}\n",
           latency_count, failures, (double)latency_count / measured,
           (long long)(percentile(0.50) / 1000), (long long)(percentile(0.90) / 1000), (long long)(percentile(0.99) / 1000),
           (long long)(percentile(0.999) / 1000), (long long)(latency_count ? latencies[latency_count - 1] / 1000 : 0));
    return 0;
}
