/*
 * driver.c -- the wasi-nn "driver guest" (a wasm32-wasi command program).
 *
 * It interprets the step script named by argv[1] and performs exactly the wasi-nn calls
 * the script asks for (hostile ones included), printing one JSON line per step, framed with
 * the run token argv[2] when one is given (see end_line). It never
 * judges what the host does; the harness does that. The step-script language, the output
 * format and the builds (one per ABI dialect, chosen by -D flags below) are specified in
 * guests/README.md, which is the contract: change both together. Built by guests/build.sh.
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- wasi-nn imports: every parameter and result is an i32 ---------------------------- */

/*
 * One build per ABI dialect (guests/build.sh), chosen by -D flags:
 *   NN_DIALECT="name"   the dialect's name, stored in the custom section `wasi-nn.dialect`
 *   NN_MODULE="module"  the import module (default "wasi_ephemeral_nn"; WAMR legacy: "wasi_nn")
 *   NN_LEGACY           WAMR legacy signatures: load(builder_array_ptr, encoding, target,
 *                       graph_out) and get_output(ctx, index, out_ptr, inout_size_ptr)
 *   NN_WITH_CONFIG      also import load_by_name_with_config (WAMR >= 2.2, WasmEdge)
 *   NN_WASMEDGE         also import WasmEdge's compute_single, get_output_single, fini_single,
 *                       unload and finalize_execution_context
 */
#ifndef NN_DIALECT
#error "build with -DNN_DIALECT=\"name\" (see guests/build.sh)"
#endif
#ifndef NN_MODULE
#define NN_MODULE "wasi_ephemeral_nn"
#endif

/* The custom section `wasi-nn.dialect` holds the dialect's name (no NUL), so a host can tell
 * which numbering and layouts this build speaks without guessing from its imports. Written in
 * assembly: clang 14 puts a variable with __attribute__((section(".custom_section.X"))) in the
 * data section, not in a custom section (checked: the .wasm then has no custom section). */
__asm__(".section \".custom_section.wasi-nn.dialect\",\"\",@\n"
        ".ascii \"" NN_DIALECT "\"\n"
        ".text\n");

#ifdef NN_COMPONENT
/* The component builds: the wasi-nn functions are C functions over the WIT imports. */
#define LEGACY 0
#define HAVE_CONFIG 0
#define HAVE_WASMEDGE 0
#define HAVE_COMPONENT 1
#include "wit-nn.h"
#ifdef NN_WIT_SET_INPUT
#define HAVE_WIT_SET_INPUT 1
#define HAVE_WIT_COMPUTE_NAMED 0
#else
#define HAVE_WIT_SET_INPUT 0
#define HAVE_WIT_COMPUTE_NAMED 1
#endif
#else
#define HAVE_COMPONENT 0
#define HAVE_WIT_SET_INPUT 0
#define HAVE_WIT_COMPUTE_NAMED 0
#define NN_IMPORT(n) __attribute__((import_module(NN_MODULE), import_name(n)))

#ifdef NN_LEGACY
#define LEGACY 1
NN_IMPORT("load")
uint32_t nn_load(uint32_t builder_array_ptr, uint32_t encoding, uint32_t target, uint32_t graph_out_ptr);
NN_IMPORT("get_output")
uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t out_ptr, uint32_t inout_size_ptr);
#else
#define LEGACY 0
NN_IMPORT("load")
uint32_t nn_load(uint32_t builders_ptr, uint32_t builders_len, uint32_t encoding, uint32_t target,
                 uint32_t graph_out_ptr);
NN_IMPORT("get_output")
uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t out_ptr, uint32_t out_max_bytes,
                       uint32_t written_out_ptr);
#endif
NN_IMPORT("load_by_name")
uint32_t nn_load_by_name(uint32_t name_ptr, uint32_t name_len, uint32_t graph_out_ptr);
NN_IMPORT("init_execution_context")
uint32_t nn_init_execution_context(uint32_t graph, uint32_t ctx_out_ptr);
NN_IMPORT("set_input")
uint32_t nn_set_input(uint32_t ctx, uint32_t index, uint32_t tensor_ptr);
NN_IMPORT("compute")
uint32_t nn_compute(uint32_t ctx);

#ifdef NN_WITH_CONFIG
#define HAVE_CONFIG 1
NN_IMPORT("load_by_name_with_config")
uint32_t nn_load_by_name_with_config(uint32_t name_ptr, uint32_t name_len, uint32_t config_ptr,
                                     uint32_t config_len, uint32_t graph_out_ptr);
#else
#define HAVE_CONFIG 0
#endif

#ifdef NN_WASMEDGE
#define HAVE_WASMEDGE 1
NN_IMPORT("compute_single")
uint32_t nn_compute_single(uint32_t ctx);
NN_IMPORT("get_output_single")
uint32_t nn_get_output_single(uint32_t ctx, uint32_t index, uint32_t out_ptr, uint32_t out_max_bytes,
                              uint32_t written_out_ptr);
NN_IMPORT("fini_single")
uint32_t nn_fini_single(uint32_t ctx);
NN_IMPORT("unload")
uint32_t nn_unload(uint32_t graph);
NN_IMPORT("finalize_execution_context")
uint32_t nn_finalize_execution_context(uint32_t ctx);
#else
#define HAVE_WASMEDGE 0
#endif

#endif /* NN_COMPONENT */

enum {
  F_LOAD,
  F_LOAD_BY_NAME,
  F_INIT_EXECUTION_CONTEXT,
  F_SET_INPUT,
  F_COMPUTE,
  F_GET_OUTPUT,
  F_LOAD_BY_NAME_WITH_CONFIG,
  F_COMPUTE_SINGLE,
  F_GET_OUTPUT_SINGLE,
  F_FINI_SINGLE,
  F_UNLOAD,
  F_FINALIZE_EXECUTION_CONTEXT,
  F_TENSOR_NEW,
  F_TENSOR_DIMENSIONS,
  F_TENSOR_TYPE,
  F_TENSOR_DATA,
  F_SET_INPUT_NAMED,
  F_GET_OUTPUT_NAMED,
  F_COMPUTE_NAMED,
  F_DROP_TENSOR,
  F_DROP_GRAPH,
  F_DROP_CONTEXT,
  F_COUNT
};

static const struct {
  const char *name;
  unsigned arity;
  int imported; /* whether this build imports it */
} FNS[F_COUNT] = {
    {"load", LEGACY ? 4 : 5, 1},
    {"load_by_name", 3, 1},
    {"init_execution_context", 2, 1},
    {"set_input", 3, 1},
    {"compute", 1, 1},
    {"get_output", LEGACY ? 4 : 5, 1},
    {"load_by_name_with_config", 5, HAVE_CONFIG},
    {"compute_single", 1, HAVE_WASMEDGE},
    {"get_output_single", 5, HAVE_WASMEDGE},
    {"fini_single", 1, HAVE_WASMEDGE},
    {"unload", 1, HAVE_WASMEDGE},
    {"finalize_execution_context", 1, HAVE_WASMEDGE},
    {"tensor_new", 6, HAVE_COMPONENT},
    {"tensor_dimensions", 4, HAVE_COMPONENT},
    {"tensor_type", 2, HAVE_COMPONENT},
    {"tensor_data", 4, HAVE_COMPONENT},
    {"set_input_named", 4, HAVE_WIT_SET_INPUT},
    {"get_output_named", 4, HAVE_WIT_SET_INPUT},
    {"compute_named", 5, HAVE_WIT_COMPUTE_NAMED},
    {"drop_tensor", 1, HAVE_COMPONENT},
    {"drop_graph", 1, HAVE_COMPONENT},
    {"drop_context", 1, HAVE_COMPONENT},
};

#define MAX_ARITY 6

static uint32_t do_call(int f, const uint32_t *a) {
  switch (f) {
#ifdef NN_LEGACY
  case F_LOAD: return nn_load(a[0], a[1], a[2], a[3]);
  case F_GET_OUTPUT: return nn_get_output(a[0], a[1], a[2], a[3]);
#else
  case F_LOAD: return nn_load(a[0], a[1], a[2], a[3], a[4]);
  case F_GET_OUTPUT: return nn_get_output(a[0], a[1], a[2], a[3], a[4]);
#endif
  case F_LOAD_BY_NAME: return nn_load_by_name(a[0], a[1], a[2]);
  case F_INIT_EXECUTION_CONTEXT: return nn_init_execution_context(a[0], a[1]);
  case F_SET_INPUT: return nn_set_input(a[0], a[1], a[2]);
  case F_COMPUTE: return nn_compute(a[0]);
#ifdef NN_WITH_CONFIG
  case F_LOAD_BY_NAME_WITH_CONFIG: return nn_load_by_name_with_config(a[0], a[1], a[2], a[3], a[4]);
#endif
#ifdef NN_WASMEDGE
  case F_COMPUTE_SINGLE: return nn_compute_single(a[0]);
  case F_GET_OUTPUT_SINGLE: return nn_get_output_single(a[0], a[1], a[2], a[3], a[4]);
  case F_FINI_SINGLE: return nn_fini_single(a[0]);
  case F_UNLOAD: return nn_unload(a[0]);
  case F_FINALIZE_EXECUTION_CONTEXT: return nn_finalize_execution_context(a[0]);
#endif
#ifdef NN_COMPONENT
  case F_TENSOR_NEW: return nn_tensor_new(a[0], a[1], a[2], a[3], a[4], a[5]);
  case F_TENSOR_DIMENSIONS: return nn_tensor_dimensions(a[0], a[1], a[2], a[3]);
  case F_TENSOR_TYPE: return nn_tensor_type(a[0], a[1]);
  case F_TENSOR_DATA: return nn_tensor_data(a[0], a[1], a[2], a[3]);
#ifdef NN_WIT_SET_INPUT
  case F_SET_INPUT_NAMED: return nn_set_input_named(a[0], a[1], a[2], a[3]);
  case F_GET_OUTPUT_NAMED: return nn_get_output_named(a[0], a[1], a[2], a[3]);
#else
  case F_COMPUTE_NAMED: return nn_compute_named(a[0], a[1], a[2], a[3], a[4]);
#endif
  case F_DROP_TENSOR: return nn_drop_tensor(a[0]);
  case F_DROP_GRAPH: return nn_drop_graph(a[0]);
  case F_DROP_CONTEXT: return nn_drop_context(a[0]);
#endif
  default: abort(); /* unreachable: checked by the caller */
  }
}

/* ---- output ---------------------------------------------------------------------------- */

/* Each record (one JSON object) is built in `rec`, a memory stream, and printed by end_line()
 * in one write. With a run token (argv[2]) the line is framed as
 *   wasi-nn-obs TOKEN LENGTH JSON
 * where LENGTH is the JSON's length in bytes: a runtime's own log lines on the same stdout can
 * then never be mistaken for an observation, and one that lands inside a record is detected. */
static FILE *rec;
static char *rec_buf;
static size_t rec_size;
static const char *run_token;

/* Prints s as a JSON string. Control characters, '"', '\\', DEL and every byte >= 0x80 are
 * escaped (\u00XX per byte), so the line is always valid ASCII JSON. */
static void put_json_str(const char *s) {
  putc('"', rec);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned c = *p;
    if (c == '"' || c == '\\') {
      putc('\\', rec);
      putc((int)c, rec);
    } else if (c == '\n') {
      fputs("\\n", rec);
    } else if (c == '\t') {
      fputs("\\t", rec);
    } else if (c == '\r') {
      fputs("\\r", rec);
    } else if (c < 0x20 || c >= 0x7f) {
      fprintf(rec, "\\u%04x", c);
    } else {
      putc((int)c, rec);
    }
  }
  putc('"', rec);
}

/* Ends the current record and prints it in one write (flushed, so a later trap cannot lose it). */
static void end_line(void) {
  fputc('}', rec);
  fflush(rec);
  long len = ftell(rec);
  if (len < 0) len = 0;
  if (run_token) printf("wasi-nn-obs %s %ld %.*s\n", run_token, len, (int)len, rec_buf);
  else printf("%.*s\n", (int)len, rec_buf);
  fflush(stdout);
  fseek(rec, 0, SEEK_SET);
}

/* A run token is 8 to 64 lowercase hex digits. */
static int valid_token(const char *t) {
  size_t n = strlen(t);
  if (n < 8 || n > 64) return 0;
  for (const char *p = t; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

/* A script error: {"step":N,"error":"..."}, exit status 3, no done line. */
__attribute__((noreturn, format(printf, 2, 3))) static void fail(unsigned long step, const char *fmt,
                                                                 ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(rec, "{\"step\":%lu,\"error\":", step);
  put_json_str(msg);
  end_line();
  exit(3);
}

/* ---- buffers --------------------------------------------------------------------------- */

#define NAME_MAX_LEN 63
#define MAX_BUF_SIZE 0xFFFFFFF0u /* largest size whose 16-byte round-up fits in 32 bits */

struct buffer {
  char name[NAME_MAX_LEN + 1];
  size_t name_len;
  uint8_t *data;
  uint32_t size;
};

static struct buffer *bufs;
static size_t nbufs, capbufs;

static int is_name_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

static struct buffer *find_buf(const char *name, size_t len) {
  for (size_t i = 0; i < nbufs; i++)
    if (bufs[i].name_len == len && memcmp(bufs[i].name, name, len) == 0) return &bufs[i];
  return NULL;
}

static struct buffer *need_buf(unsigned long step, const char *name) {
  struct buffer *b = find_buf(name, strlen(name));
  if (!b) fail(step, "unknown buffer '%.64s'", name);
  return b;
}

/* Checks a name for a new buffer (alloc, file). */
static void check_new_name(unsigned long step, const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > NAME_MAX_LEN) fail(step, "bad buffer name '%.64s': must be 1 to 63 characters", name);
  for (size_t i = 0; i < n; i++)
    if (!is_name_char((unsigned char)name[i]))
      fail(step, "bad buffer name '%.64s': only A-Z a-z 0-9 _ . are allowed", name);
  if (strcmp(name, "mem") == 0) fail(step, "bad buffer name 'mem': reserved for %%mem");
  if (find_buf(name, n)) fail(step, "buffer '%.64s' already exists", name);
}

/* 16-byte aligned block of at least max(size, 1) bytes (the size rounded up to 16, at least
 * 16), so even a 0-byte buffer has a unique address. NULL if it cannot be had. */
static uint8_t *buf_alloc(size_t size, size_t *alloc_size) {
  if (size > MAX_BUF_SIZE) return NULL;
  size_t n = size == 0 ? 16 : (size + 15) & ~(size_t)15;
  *alloc_size = n;
  return aligned_alloc(16, n);
}

static int reserve_slot(void) {
  if (nbufs < capbufs) return 1;
  size_t cap = capbufs ? capbufs * 2 : 256;
  struct buffer *nb = realloc(bufs, cap * sizeof *nb);
  if (!nb) return 0;
  bufs = nb;
  capbufs = cap;
  return 1;
}

static void add_buf(const char *name, uint8_t *data, uint32_t size) {
  struct buffer *b = &bufs[nbufs++]; /* reserve_slot() succeeded before */
  size_t n = strlen(name);
  memcpy(b->name, name, n + 1);
  b->name_len = n;
  b->data = data;
  b->size = size;
}

__attribute__((noreturn)) static void oom(unsigned long step, const char *op, const char *name) {
  fprintf(rec, "{\"step\":%lu,\"op\":\"%s\",\"name\":", step, op);
  put_json_str(name);
  fputs(",\"error\":\"out of memory\"", rec);
  end_line();
  exit(3);
}

/* ---- values ---------------------------------------------------------------------------- */

static int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static uint32_t mem_size(void) {
  /* pages * 64 KiB in u32 arithmetic (a full 4 GiB memory reads as 0) */
  return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* Evaluates a value (see README "Values"); any malformed value is a script error. */
static uint32_t eval(unsigned long step, const char *tok) {
  const char *p = tok;
  uint32_t acc = 0;
  int op = '+';
  for (;;) {
    uint32_t t;
    if (*p == '@' || *p == '$' || *p == '%') {
      int kind = *p++;
      const char *s = p;
      while (is_name_char((unsigned char)*p)) p++;
      size_t n = (size_t)(p - s);
      if (n == 0) fail(step, "bad value '%.64s': '%c' without a buffer name", tok, kind);
      if (kind == '%' && n == 3 && memcmp(s, "mem", 3) == 0) {
        t = mem_size();
      } else {
        struct buffer *b = find_buf(s, n);
        if (!b) fail(step, "unknown buffer '%.*s' in value '%.64s'", (int)(n > 64 ? 64 : n), s, tok);
        if (kind == '@') {
          t = (uint32_t)(uintptr_t)b->data;
        } else if (kind == '%') {
          t = b->size;
        } else {
          if (b->size < 4) fail(step, "bad value '%.64s': buffer '%s' is smaller than 4 bytes", tok, b->name);
          memcpy(&t, b->data, 4);
        }
      }
    } else if (*p >= '0' && *p <= '9') {
      uint64_t v = 0;
      if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        const char *s = p;
        for (int d; (d = hex_digit((unsigned char)*p)) >= 0; p++) {
          v = v * 16 + (uint64_t)d;
          if (v > 0xFFFFFFFFu) fail(step, "bad value '%.64s': literal out of range", tok);
        }
        if (p == s) fail(step, "bad value '%.64s': '0x' without hex digits", tok);
      } else {
        for (; *p >= '0' && *p <= '9'; p++) {
          v = v * 10 + (uint64_t)(*p - '0');
          if (v > 0xFFFFFFFFu) fail(step, "bad value '%.64s': literal out of range", tok);
        }
      }
      t = (uint32_t)v;
    } else {
      fail(step, "bad value '%.64s'", tok);
    }
    acc = op == '+' ? acc + t : acc - t;
    if (*p == 0) return acc;
    if (*p != '+' && *p != '-') fail(step, "bad value '%.64s': unexpected '%c'", tok, *p);
    op = *p++;
  }
}

/* Bounds check for writes and dumps: [off, off+len) must lie inside the buffer. */
static void check_range(unsigned long step, const char *op, const struct buffer *b, uint32_t off,
                        uint64_t len) {
  if ((uint64_t)off + len > b->size)
    fail(step, "%s outside buffer '%s': offset %lu + %llu bytes > size %lu", op, b->name,
         (unsigned long)off, (unsigned long long)len, (unsigned long)b->size);
}

/* ---- operations ------------------------------------------------------------------------ */

static void op_alloc(unsigned long step, char **tok, size_t ntok) {
  if (ntok != 3 && ntok != 4) fail(step, "alloc takes 2 or 3 arguments (NAME SIZE [FILL]), got %zu", ntok - 1);
  const char *name = tok[1];
  check_new_name(step, name);
  uint32_t size = eval(step, tok[2]);
  uint32_t fill = ntok == 4 ? eval(step, tok[3]) : 0;
  if (fill > 0xFF) fail(step, "alloc fill %lu is not a byte", (unsigned long)fill);
  size_t n = 0;
  uint8_t *p = NULL;
  if (!reserve_slot() || !(p = buf_alloc(size, &n))) oom(step, "alloc", name);
  memset(p, (int)fill, n);
  add_buf(name, p, size);
  fprintf(rec, "{\"step\":%lu,\"op\":\"alloc\",\"name\":", step);
  put_json_str(name);
  fprintf(rec, ",\"addr\":%lu,\"size\":%lu", (unsigned long)(uintptr_t)p, (unsigned long)size);
  end_line();
}

static void file_error(unsigned long step, const char *name, int err) {
  fprintf(rec, "{\"step\":%lu,\"op\":\"file\",\"name\":", step);
  put_json_str(name);
  fputs(",\"error\":", rec);
  put_json_str(strerror(err));
  end_line();
}

static void op_file(unsigned long step, char **tok, size_t ntok) {
  if (ntok != 3) fail(step, "file takes 2 arguments (NAME PATH), got %zu", ntok - 1);
  const char *name = tok[1], *path = tok[2];
  check_new_name(step, name);
  if (!reserve_slot()) oom(step, "file", name);

  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    file_error(step, name, errno);
    return;
  }
  struct stat st;
  size_t cap = 65536;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if ((uint64_t)st.st_size >= MAX_BUF_SIZE) {
      close(fd);
      file_error(step, name, EFBIG);
      return;
    }
    cap = (size_t)st.st_size + 1; /* +1: EOF is seen without growing */
  }
  size_t n;
  uint8_t *p = buf_alloc(cap, &n);
  if (!p) oom(step, "file", name);
  cap = n;
  size_t len = 0;
  for (;;) {
    if (len == cap) { /* grow (file not regular, or it grew while being read) */
      if (cap >= MAX_BUF_SIZE) {
        free(p);
        close(fd);
        file_error(step, name, EFBIG);
        return;
      }
      size_t want = cap > MAX_BUF_SIZE / 2 ? MAX_BUF_SIZE : cap * 2;
      uint8_t *q = buf_alloc(want, &n);
      if (!q) oom(step, "file", name);
      memcpy(q, p, len);
      free(p);
      p = q;
      cap = n;
    }
    size_t chunk = cap - len;
    if (chunk > (1u << 24)) chunk = 1u << 24;
    ssize_t r = read(fd, p + len, chunk);
    if (r < 0) {
      int e = errno;
      free(p);
      close(fd);
      file_error(step, name, e);
      return;
    }
    if (r == 0) break;
    len += (size_t)r;
  }
  close(fd);
  memset(p + len, 0, cap - len);
  add_buf(name, p, (uint32_t)len);
  fprintf(rec, "{\"step\":%lu,\"op\":\"file\",\"name\":", step);
  put_json_str(name);
  fprintf(rec, ",\"addr\":%lu,\"size\":%lu", (unsigned long)(uintptr_t)p, (unsigned long)len);
  end_line();
}

static void op_hex(unsigned long step, char **tok, size_t ntok) {
  if (ntok != 4) fail(step, "hex takes 3 arguments (NAME OFFSET HEX), got %zu", ntok - 1);
  struct buffer *b = need_buf(step, tok[1]);
  uint32_t off = eval(step, tok[2]);
  const char *h = tok[3];
  size_t digits = strlen(h);
  if (digits % 2) fail(step, "hex: odd number of hex digits (%zu)", digits);
  for (size_t i = 0; i < digits; i++)
    if (hex_digit((unsigned char)h[i]) < 0) fail(step, "hex: '%c' at position %zu is not a hex digit", h[i], i);
  check_range(step, "hex write", b, off, digits / 2);
  uint8_t *dst = b->data + off;
  for (size_t i = 0; i < digits; i += 2)
    *dst++ = (uint8_t)(hex_digit((unsigned char)h[i]) << 4 | hex_digit((unsigned char)h[i + 1]));
  fprintf(rec, "{\"step\":%lu,\"op\":\"hex\"", step);
  end_line();
}

static void op_write(unsigned long step, char **tok, size_t ntok, int is_u32) {
  const char *op = is_u32 ? "u32" : "u8";
  if (ntok != 4) fail(step, "%s takes 3 arguments (NAME OFFSET VALUE), got %zu", op, ntok - 1);
  struct buffer *b = need_buf(step, tok[1]);
  uint32_t off = eval(step, tok[2]);
  uint32_t v = eval(step, tok[3]);
  if (is_u32) {
    check_range(step, "u32 write", b, off, 4);
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    memcpy(b->data + off, le, 4);
  } else {
    if (v > 0xFF) fail(step, "u8 value %lu is not a byte", (unsigned long)v);
    check_range(step, "u8 write", b, off, 1);
    b->data[off] = (uint8_t)v;
  }
  fprintf(rec, "{\"step\":%lu,\"op\":\"%s\"", step, op);
  end_line();
}

#ifdef NN_COMPONENT
/* The rest of a component call's record: error.data() of a failed call ("error_data") and the
 * (name, tensor handle) pairs compute returned ("outputs"). */
static void wit_record_extra(void) {
  if (wit_error_text) {
    fputs(",\"error_data\":", rec);
    put_json_str(wit_error_text);
    free(wit_error_text);
    wit_error_text = NULL;
  }
  if (wit_have_outputs) {
    const struct wit_named *o = (const struct wit_named *)(uintptr_t)wit_outputs_seen.ptr;
    fputs(",\"outputs\":[", rec);
    for (uint32_t i = 0; i < wit_outputs_seen.len; i++) {
      char *name = malloc((size_t)o[i].name_len + 1);
      if (!name) abort();
      memcpy(name, (const void *)(uintptr_t)o[i].name, o[i].name_len);
      name[o[i].name_len] = 0;
      fputs(i ? ",[" : "[", rec);
      put_json_str(name);
      fprintf(rec, ",%lu]", (unsigned long)o[i].tensor);
      free(name);
    }
    putc(']', rec);
    wit_have_outputs = 0;
  }
}
#endif

static void op_call(unsigned long step, char **tok, size_t ntok) {
  if (ntok < 2) fail(step, "call needs a function name");
  int f = -1;
  for (int i = 0; i < F_COUNT; i++)
    if (strcmp(tok[1], FNS[i].name) == 0) f = i;
  if (f < 0) fail(step, "unknown function '%.64s'", tok[1]);
  if (!FNS[f].imported) fail(step, "function '%s' is not imported by this (%s) build", FNS[f].name, NN_DIALECT);
  if (ntok - 2 != FNS[f].arity)
    fail(step, "call %s takes %u arguments, got %zu", FNS[f].name, FNS[f].arity, ntok - 2);
  uint32_t a[MAX_ARITY] = {0};
  for (unsigned i = 0; i < FNS[f].arity; i++) a[i] = eval(step, tok[2 + i]);
  uint32_t r = do_call(f, a);
  fprintf(rec, "{\"step\":%lu,\"op\":\"call\",\"fn\":\"%s\",\"args\":[", step, FNS[f].name);
  for (unsigned i = 0; i < FNS[f].arity; i++) fprintf(rec, "%s%lu", i ? "," : "", (unsigned long)a[i]);
  fprintf(rec, "],\"errno\":%lu", (unsigned long)r);
#ifdef NN_COMPONENT
  wit_record_extra();
#endif
  end_line();
}

/* `name NAME`: component builds only; the next set_input names its input by the bytes of buffer
 * NAME (at most 63) instead of its decimal index. */
static void op_name(unsigned long step, char **tok, size_t ntok) {
  if (!HAVE_COMPONENT) fail(step, "name is for the component builds");
  if (ntok != 2) fail(step, "name takes 1 argument (NAME), got %zu", ntok - 1);
  struct buffer *b = need_buf(step, tok[1]);
  if (b->size > 63) fail(step, "name: an input name of %lu bytes (at most 63)", (unsigned long)b->size);
#if HAVE_COMPONENT
  wit_name_next_input(b->data, b->size);
#endif
  fprintf(rec, "{\"step\":%lu,\"op\":\"name\"", step);
  end_line();
}

static void op_dump(unsigned long step, char **tok, size_t ntok) {
  if (ntok != 4) fail(step, "dump takes 3 arguments (NAME OFFSET LEN), got %zu", ntok - 1);
  struct buffer *b = need_buf(step, tok[1]);
  uint32_t off = eval(step, tok[2]);
  uint32_t len = eval(step, tok[3]);
  check_range(step, "dump", b, off, len);
  fprintf(rec, "{\"step\":%lu,\"op\":\"dump\",\"name\":", step);
  put_json_str(b->name);
  fprintf(rec, ",\"offset\":%lu,\"hex\":\"", (unsigned long)off);
  static const char H[] = "0123456789abcdef";
  char out[4096];
  size_t o = 0;
  for (uint32_t i = 0; i < len; i++) {
    uint8_t c = b->data[off + i];
    out[o++] = H[c >> 4];
    out[o++] = H[c & 15];
    if (o == sizeof out) {
      fwrite(out, 1, o, rec);
      o = 0;
    }
  }
  fwrite(out, 1, o, rec);
  putc('"', rec);
  end_line();
}

/* ---- main loop ------------------------------------------------------------------------- */

#define MAX_TOK 16 /* more than any operation takes; extra tokens are only counted */

static int is_sep(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int main(int argc, char **argv) {
  rec = open_memstream(&rec_buf, &rec_size);
  if (!rec) {
    fputs("driver: cannot open the record stream (out of memory)\n", stderr);
    return 4;
  }
  if (argc > 2) {
    if (!valid_token(argv[2])) fail(0, "the run token (argv[2]) must be 8 to 64 lowercase hex digits");
    run_token = argv[2];
  }
  if (argc < 2) fail(0, "usage: driver STEP-SCRIPT [RUN-TOKEN] (no script path in argv[1])");
  FILE *f = fopen(argv[1], "r");
  if (!f) fail(0, "cannot open script '%.200s': %s", argv[1], strerror(errno));

  char *line = NULL;
  size_t linecap = 0;
  unsigned long step = 0;
  for (;;) {
    errno = 0;
    ssize_t len = getline(&line, &linecap, f);
    if (len < 0) {
      if (ferror(f)) fail(0, "cannot read script '%.200s': %s", argv[1], strerror(errno ? errno : EIO));
      break;
    }
    int has_nul = memchr(line, 0, (size_t)len) != NULL;

    char *tok[MAX_TOK];
    size_t ntok = 0;
    for (char *p = line; *p;) {
      while (is_sep(*p)) p++;
      if (!*p) break;
      if (ntok < MAX_TOK) tok[ntok] = p;
      ntok++;
      while (*p && !is_sep(*p)) p++;
      if (*p) *p++ = 0;
    }
    if (ntok == 0 && !has_nul) continue; /* blank line */
    if (ntok > 0 && tok[0][0] == '#') continue; /* comment */
    step++;
    if (has_nul) fail(step, "NUL byte in script line");
    if (ntok > MAX_TOK) fail(step, "too many arguments (%zu)", ntok - 1);

    const char *op = tok[0];
    if (strcmp(op, "alloc") == 0) op_alloc(step, tok, ntok);
    else if (strcmp(op, "file") == 0) op_file(step, tok, ntok);
    else if (strcmp(op, "hex") == 0) op_hex(step, tok, ntok);
    else if (strcmp(op, "u8") == 0) op_write(step, tok, ntok, 0);
    else if (strcmp(op, "u32") == 0) op_write(step, tok, ntok, 1);
    else if (strcmp(op, "call") == 0) op_call(step, tok, ntok);
    else if (strcmp(op, "dump") == 0) op_dump(step, tok, ntok);
    else if (strcmp(op, "name") == 0) op_name(step, tok, ntok);
    else fail(step, "unknown operation '%.64s'", op);
  }
  fclose(f);
  free(line);
  fprintf(rec, "{\"done\":true,\"steps\":%lu", step);
  end_line();
  return 0;
}
