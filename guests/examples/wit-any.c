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

#include "wit-app.h"

static const char *ENCODINGS[] = {"openvino", "onnx", "tensorflow", "pytorch", "tensorflowlite", "ggml", "autodetect"};
static const char *ERRORS[] = {"invalid-argument", "invalid-encoding", "timeout", "runtime-error", "unsupported-operation", "too-large", "not-found", "security", "unknown"};

static int failed(const char *fn, const struct result *r) {
  if ((r->disc & 0xff) == 0) return 0;
  uint32_t code = nn_error_code(r->val.ptr);
  struct list msg = {0, 0};
  nn_error_data(r->val.ptr, (uint32_t)(uintptr_t)&msg);
  printf("%s: %s: %.*s\n", fn, code < 9 ? ERRORS[code] : "?", (int)msg.len, (const char *)(uintptr_t)msg.ptr);
  return 1;
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
