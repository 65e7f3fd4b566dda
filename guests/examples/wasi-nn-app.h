/*
 * What an ordinary wasi-nn application declares for itself (the example guests share it; the
 * driver does not): the witx `wasi_ephemeral_nn` imports and their record layouts, and a helper
 * that reads a whole file through WASI.
 */
#ifndef WASI_NN_APP_H
#define WASI_NN_APP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { uint8_t *buf; uint32_t size; } graph_builder;
typedef struct {
  uint32_t *dims; uint32_t dims_len;
  uint8_t type; /* witx tensor-type: 1 = f32 */
  uint8_t *data; uint32_t data_len;
} tensor;

#define NN __attribute__((import_module("wasi_ephemeral_nn")))
NN __attribute__((import_name("load"))) uint32_t nn_load(graph_builder *b, uint32_t n, uint32_t encoding, uint32_t target, uint32_t *graph);
NN __attribute__((import_name("init_execution_context"))) uint32_t nn_init(uint32_t graph, uint32_t *ctx);
NN __attribute__((import_name("set_input"))) uint32_t nn_set_input(uint32_t ctx, uint32_t index, tensor *t);
NN __attribute__((import_name("compute"))) uint32_t nn_compute(uint32_t ctx);
NN __attribute__((import_name("get_output"))) uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint8_t *out, uint32_t max, uint32_t *written);

/* The whole file at path, or NULL; its size in *size. */
static inline uint8_t *read_file(const char *path, uint32_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  *size = (uint32_t)n;
  return buf;
}

#endif
