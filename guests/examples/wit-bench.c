/*
 * The component twin of onnx-bench.c: a quiet inference loop over the WIT interface
 * wasi:nn@0.2.0-rc-2024-10-28. Loads an ONNX model with one f32 input [1, N], then times each
 * tensor constructor → compute([("0", tensor)]) → tensor.data() of the first output (and the
 * drops and frees an application does) with the WASI monotonic clock. Prints one line:
 *   {"iterations":K,"output_bytes":B,"ns":[t1,t2,...]}
 * (used by bench/component-overhead.ts)
 *
 *   wit-bench MODEL.onnx INPUT.f32 ITERATIONS
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wit-app.h"

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: wit-bench MODEL.onnx INPUT.f32 ITERATIONS\n"); return 2; }
  struct list builder;
  uint32_t input_size;
  uint8_t *model = read_file(argv[1], &builder.len);
  uint8_t *input = read_file(argv[2], &input_size);
  int iterations = atoi(argv[3]);
  if (!model || !input || iterations <= 0) { fprintf(stderr, "wit-bench: bad arguments\n"); return 2; }
  builder.ptr = (uint32_t)(uintptr_t)model;
  struct result r;
  nn_load((uint32_t)(uintptr_t)&builder, 1, 1 /* onnx */, 0 /* cpu */, (uint32_t)(uintptr_t)&r);
  if (r.disc & 0xff) { fprintf(stderr, "wit-bench: load failed\n"); return 1; }
  nn_init(r.val.ptr, (uint32_t)(uintptr_t)&r);
  if (r.disc & 0xff) { fprintf(stderr, "wit-bench: init-execution-context failed\n"); return 1; }
  uint32_t ctx = r.val.ptr;
  uint32_t dims[2] = {1, input_size / 4};
  uint64_t *ns = malloc(sizeof(uint64_t) * (size_t)iterations);
  uint32_t output_bytes = 0;
  for (int i = 0; i < iterations; i++) {
    uint64_t t0 = now_ns();
    struct named in = {{(uint32_t)(uintptr_t)"0", 1}, nn_tensor((uint32_t)(uintptr_t)dims, 2, 1 /* FP32 */, (uint32_t)(uintptr_t)input, input_size)};
    nn_compute(ctx, (uint32_t)(uintptr_t)&in, 1, (uint32_t)(uintptr_t)&r);
    if (r.disc & 0xff) { fprintf(stderr, "wit-bench: iteration %d: compute failed\n", i); return 1; }
    struct named *out = (struct named *)(uintptr_t)r.val.ptr;
    struct list data = {0, 0};
    nn_tensor_data(out[0].tensor, (uint32_t)(uintptr_t)&data);
    output_bytes = data.len;
    free((void *)(uintptr_t)data.ptr);
    for (uint32_t k = 0; k < r.val.len; k++) {
      nn_tensor_drop(out[k].tensor);
      free((void *)(uintptr_t)out[k].name.ptr);
    }
    free(out);
    ns[i] = now_ns() - t0;
  }
  printf("{\"iterations\":%d,\"output_bytes\":%u,\"ns\":[", iterations, output_bytes);
  for (int i = 0; i < iterations; i++) printf("%s%llu", i ? "," : "", (unsigned long long)ns[i]);
  printf("]}\n");
  return 0;
}
