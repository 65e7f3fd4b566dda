/*
 * An application-style wasi-nn *component* (it shares no code with the driver): imports the WIT
 * interface wasi:nn@0.2.0-rc-2024-10-28 through its canonical-ABI lowering, loads a model given
 * as one or more files (one builder each) with the encoding NAMED on the command line, computes
 * on four f32 numbers given as input "0" (dims [1,4]), and prints every output compute returns
 * with its name. A failed call prints the function, the error code and error.data(), exit 1.
 *
 *   wit-any ENCODING FILE[+FILE...] X0 X1 X2 X3
 *   e.g. wit-any onnx /m/affine_relu.onnx 1 2 3 4
 *        wit-any openvino /m/affine_relu.xml+/m/affine_relu.bin 1 2 3 4
 * Built by guests/build.sh (clang-14, then guests/componentize.mjs with the WASI preview1 adapter).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NN(iface, n) __attribute__((import_module("wasi:nn/" iface "@" NN_WIT_VERSION), import_name(n)))
NN("graph", "load") void nn_load(uint32_t builders, uint32_t count, uint32_t encoding, uint32_t target, uint32_t ret);
NN("graph", "[method]graph.init-execution-context") void nn_init(uint32_t graph, uint32_t ret);
NN("tensor", "[constructor]tensor") uint32_t nn_tensor(uint32_t dims, uint32_t ndims, uint32_t type, uint32_t data, uint32_t len);
NN("tensor", "[method]tensor.ty") uint32_t nn_tensor_ty(uint32_t tensor);
NN("tensor", "[method]tensor.data") void nn_tensor_data(uint32_t tensor, uint32_t ret);
NN("inference", "[method]graph-execution-context.compute") void nn_compute(uint32_t ctx, uint32_t inputs, uint32_t count, uint32_t ret);
NN("errors", "[method]error.code") uint32_t nn_error_code(uint32_t error);
NN("errors", "[method]error.data") void nn_error_data(uint32_t error, uint32_t ret);

/* The module is linked without crt1 (guests/build.sh: -nostartfiles -Wl,--no-entry) and exports
 * its own _start: lld wraps every export of a *command* module in the C constructors and
 * destructors, so each time the host called cabi_realloc (to return a list or string) the C
 * exit-time cleanup would run, which seeks open input files back and lost the script's place. */
void __wasm_call_ctors(void);
int __main_void(void);
__attribute__((export_name("_start"))) void wit_start(void) {
  __wasm_call_ctors();
  exit(__main_void());
}

/* The host allocates the lists and strings it returns with this. */
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *ptr, size_t old, size_t align, size_t size) {
  (void)old;
  if (size == 0) return (void *)align;
  void *p = realloc(ptr, size);
  if (!p) abort();
  return p;
}

static const char *ENCODINGS[] = {"openvino", "onnx", "tensorflow", "pytorch", "tensorflowlite", "ggml", "autodetect"};
static const char *ERRORS[] = {"invalid-argument", "invalid-encoding", "timeout", "runtime-error", "unsupported-operation", "too-large", "not-found", "security", "unknown"};
enum { FP32 = 1 };

struct list { uint32_t ptr, len; };
struct result { uint32_t disc; struct list val; }; /* disc @0, payload @4 */
struct named { struct list name; uint32_t tensor; };

static int failed(const char *fn, const struct result *r) {
  if ((r->disc & 0xff) == 0) return 0;
  uint32_t code = nn_error_code(r->val.ptr);
  struct list msg = {0, 0};
  nn_error_data(r->val.ptr, (uint32_t)(uintptr_t)&msg);
  printf("%s: %s: %.*s\n", fn, code < 9 ? ERRORS[code] : "?", (int)msg.len, (const char *)(uintptr_t)msg.ptr);
  return 1;
}

static uint8_t *read_file(const char *path, uint32_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc(cap);
  for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
    len += n;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  *size = (uint32_t)len;
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 7) { fprintf(stderr, "usage: wit-any ENCODING FILE[+FILE...] X0 X1 X2 X3\n"); return 2; }
  uint32_t encoding = 0;
  while (encoding < 7 && strcmp(argv[1], ENCODINGS[encoding]) != 0) encoding++;
  if (encoding == 7) { fprintf(stderr, "wit-any: unknown encoding %s\n", argv[1]); return 2; }
  struct list builders[4];
  uint32_t count = 0;
  for (char *path = strtok(argv[2], "+"); path; path = strtok(NULL, "+")) {
    if (count == 4) { fprintf(stderr, "wit-any: at most 4 files\n"); return 2; }
    uint8_t *bytes = read_file(path, &builders[count].len);
    if (!bytes) { fprintf(stderr, "wit-any: cannot read %s\n", path); return 2; }
    builders[count++].ptr = (uint32_t)(uintptr_t)bytes;
  }
  struct result r;
  nn_load((uint32_t)(uintptr_t)builders, count, encoding, 0 /* cpu */, (uint32_t)(uintptr_t)&r);
  if (failed("load", &r)) return 1;
  uint32_t graph = r.val.ptr;
  nn_init(graph, (uint32_t)(uintptr_t)&r);
  if (failed("init-execution-context", &r)) return 1;
  uint32_t ctx = r.val.ptr;

  float x[4];
  for (int i = 0; i < 4; i++) x[i] = strtof(argv[3 + i], NULL);
  uint32_t dims[2] = {1, 4};
  struct named input = {{(uint32_t)(uintptr_t)"0", 1}, nn_tensor((uint32_t)(uintptr_t)dims, 2, FP32, (uint32_t)(uintptr_t)x, sizeof x)};
  nn_compute(ctx, (uint32_t)(uintptr_t)&input, 1, (uint32_t)(uintptr_t)&r);
  if (failed("compute", &r)) return 1;
  const struct named *out = (const struct named *)(uintptr_t)r.val.ptr;
  for (uint32_t i = 0; i < r.val.len; i++) {
    struct list data = {0, 0};
    nn_tensor_data(out[i].tensor, (uint32_t)(uintptr_t)&data);
    printf("%.*s:", (int)out[i].name.len, (const char *)(uintptr_t)out[i].name.ptr);
    if (nn_tensor_ty(out[i].tensor) == FP32) {
      for (uint32_t k = 0; k + 4 <= data.len; k += 4) {
        float v;
        memcpy(&v, (const uint8_t *)(uintptr_t)data.ptr + k, 4);
        printf(" %.6f", v);
      }
    } else {
      printf(" (%u bytes, not f32)", data.len);
    }
    printf("\n");
  }
  return 0;
}
