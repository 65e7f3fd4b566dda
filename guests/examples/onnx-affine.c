/*
 * An application-style wasi-nn guest, written the way a user would write one (it shares no
 * code with the driver): reads an ONNX model from a path given in argv, runs it on an input
 * given as numbers in argv, prints the outputs, then asks for the output into a 4-byte buffer
 * and prints the errno it gets (too_large, 7, on a conforming host) and the size reported.
 *
 *   onnx-affine MODEL.onnx X0 X1 X2 X3
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasi-nn-app.h"

int main(int argc, char **argv) {
  if (argc != 6) { fprintf(stderr, "usage: onnx-affine MODEL.onnx X0 X1 X2 X3\n"); return 2; }
  graph_builder builder;
  builder.buf = read_file(argv[1], &builder.size);
  if (!builder.buf) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  uint32_t graph, ctx, err;
  if ((err = nn_load(&builder, 1, 1 /* onnx */, 0 /* cpu */, &graph))) { printf("load failed: %u\n", err); return 1; }
  if ((err = nn_init(graph, &ctx))) { printf("init_execution_context failed: %u\n", err); return 1; }
  float x[4];
  for (int i = 0; i < 4; i++) x[i] = strtof(argv[2 + i], NULL);
  uint32_t dims[2] = {1, 4};
  tensor t = {dims, 2, 1, (uint8_t *)x, sizeof x};
  if ((err = nn_set_input(ctx, 0, &t))) { printf("set_input failed: %u\n", err); return 1; }
  if ((err = nn_compute(ctx))) { printf("compute failed: %u\n", err); return 1; }
  float y[16];
  uint32_t written = 0;
  if ((err = nn_get_output(ctx, 0, (uint8_t *)y, sizeof y, &written))) { printf("get_output failed: %u\n", err); return 1; }
  printf("output (%u bytes):", written);
  for (uint32_t i = 0; i < written / 4; i++) printf(" %.6f", y[i]);
  printf("\n");
  uint8_t small[4] = {0};
  uint32_t needed = 0;
  err = nn_get_output(ctx, 0, small, sizeof small, &needed);
  printf("get_output into 4 bytes: errno %u, size needed %u\n", err, needed);
  return 0;
}
