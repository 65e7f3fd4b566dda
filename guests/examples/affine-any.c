/*
 * An application-style wasi-nn guest for any encoding (it shares no code with the driver):
 * loads a model given as one or more files (one builder each, in order) with the encoding
 * NUMBER given on the command line, runs it on four f32 numbers, prints the f32 outputs.
 * On a failed call it prints the function and errno and exits 1.
 *
 *   affine-any ENCODING FILE[+FILE...] X0 X1 X2 X3
 *   e.g. affine-any 4 /m/affine_relu.tflite 1 2 3 4
 *        affine-any 0 /m/affine_relu.xml+/m/affine_relu.bin 1 2 3 4
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi-nn-app.h"

int main(int argc, char **argv) {
  if (argc != 7) { fprintf(stderr, "usage: affine-any ENCODING FILE[+FILE...] X0 X1 X2 X3\n"); return 2; }
  uint32_t encoding = (uint32_t)strtoul(argv[1], NULL, 10);
  graph_builder builders[4];
  uint32_t count = 0;
  for (char *path = strtok(argv[2], "+"); path; path = strtok(NULL, "+")) {
    if (count == 4) { fprintf(stderr, "affine-any: at most 4 files\n"); return 2; }
    builders[count].buf = read_file(path, &builders[count].size);
    if (!builders[count].buf) { fprintf(stderr, "affine-any: cannot read %s\n", path); return 2; }
    count++;
  }
  uint32_t graph, ctx, err;
  if ((err = nn_load(builders, count, encoding, 0, &graph))) { printf("load: errno %u\n", err); return 1; }
  if ((err = nn_init(graph, &ctx))) { printf("init_execution_context: errno %u\n", err); return 1; }
  float x[4];
  for (int i = 0; i < 4; i++) x[i] = strtof(argv[3 + i], NULL);
  uint32_t dims[2] = {1, 4};
  tensor t = {dims, 2, 1 /* f32 */, (uint8_t *)x, sizeof x};
  if ((err = nn_set_input(ctx, 0, &t))) { printf("set_input: errno %u\n", err); return 1; }
  if ((err = nn_compute(ctx))) { printf("compute: errno %u\n", err); return 1; }
  float y[64];
  uint32_t written = 0;
  if ((err = nn_get_output(ctx, 0, (uint8_t *)y, sizeof y, &written))) { printf("get_output: errno %u\n", err); return 1; }
  printf("output:");
  for (uint32_t i = 0; i < written / 4; i++) printf(" %.6f", y[i]);
  printf("\n");
  return 0;
}
