/*
 * A quiet inference loop, as an application runs one: loads an ONNX model with one f32 input
 * [1, N] and one output, feeds it the raw little-endian f32 input file, and times each
 * set_input → compute → get_output with the WASI monotonic clock. Prints one line:
 *   {"iterations":K,"output_bytes":B,"ns":[t1,t2,...]}
 * (used by bench/host-overhead.ts)
 *
 *   onnx-bench MODEL.onnx INPUT.f32 ITERATIONS
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wasi-nn-app.h"

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: onnx-bench MODEL.onnx INPUT.f32 ITERATIONS\n"); return 2; }
  graph_builder builder;
  uint32_t input_size, graph, ctx, err;
  builder.buf = read_file(argv[1], &builder.size);
  uint8_t *input = read_file(argv[2], &input_size);
  int iterations = atoi(argv[3]);
  if (!builder.buf || !input || iterations <= 0) { fprintf(stderr, "onnx-bench: bad arguments\n"); return 2; }
  if ((err = nn_load(&builder, 1, 1, 0, &graph)) || (err = nn_init(graph, &ctx))) { fprintf(stderr, "onnx-bench: load: %u\n", err); return 1; }
  uint32_t dims[2] = {1, input_size / 4};
  tensor t = {dims, 2, 1, input, input_size};
  static uint8_t out[1 << 20];
  uint64_t *ns = malloc(sizeof(uint64_t) * (size_t)iterations);
  uint32_t written = 0;
  for (int i = 0; i < iterations; i++) {
    uint64_t t0 = now_ns();
    if ((err = nn_set_input(ctx, 0, &t)) || (err = nn_compute(ctx)) || (err = nn_get_output(ctx, 0, out, sizeof out, &written))) {
      fprintf(stderr, "onnx-bench: iteration %d: errno %u\n", i, err);
      return 1;
    }
    ns[i] = now_ns() - t0;
  }
  printf("{\"iterations\":%d,\"output_bytes\":%u,\"ns\":[", iterations, written);
  for (int i = 0; i < iterations; i++) printf("%s%llu", i ? "," : "", (unsigned long long)ns[i]);
  printf("]}\n");
  return 0;
}
