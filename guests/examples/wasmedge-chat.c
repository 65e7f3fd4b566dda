/*
 * A WasmEdge-style LLM chat guest, written the way the wasmedge-wasi-nn crate's examples are:
 * the model is preloaded by the runtime (`--nn-preload default:GGML:AUTO:model.gguf`) and
 * loaded by name; the metadata JSON goes in at input 1, the prompt at input 0 (dims [1]); it
 * prints the metadata right after set_input (the prompt's token count), streams the reply token
 * by token (compute_single / get_output_single until end of sequence), ends the stream
 * (fini_single), prints the final metadata, and unloads. WasmEdge numbering: ggml 6, target
 * auto 3, errno 100 end of sequence, 101 context full.
 *
 *   wasmedge-chat PROMPT [METADATA-JSON]
 *   e.g. wasi-nn-host run --nn-dialect wasmedge --nn-preload default:GGML:AUTO:tiny-llama.gguf \
 *          wasmedge-chat.wasm "wasi-nn" '{"n-predict": 8, "reverse-prompt": "~"}'
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasi-nn-app.h"

NN __attribute__((import_name("load_by_name"))) uint32_t nn_load_by_name(const char *name, uint32_t len, uint32_t *graph);
NN __attribute__((import_name("compute_single"))) uint32_t nn_compute_single(uint32_t ctx);
NN __attribute__((import_name("get_output_single"))) uint32_t nn_get_output_single(uint32_t ctx, uint32_t index, uint8_t *out, uint32_t max, uint32_t *written);
NN __attribute__((import_name("fini_single"))) uint32_t nn_fini_single(uint32_t ctx);
NN __attribute__((import_name("unload"))) uint32_t nn_unload(uint32_t graph);

enum { U8 = 3, END_OF_SEQUENCE = 100, CONTEXT_FULL = 101 };

static uint32_t set_bytes(uint32_t ctx, uint32_t index, const char *bytes) {
  uint32_t dims[1] = {1};
  tensor t = {dims, 1, U8, (uint8_t *)bytes, (uint32_t)strlen(bytes)};
  return nn_set_input(ctx, index, &t);
}

static int print_metadata(uint32_t ctx, const char *when) {
  static char meta[4096];
  uint32_t written = 0, err;
  if ((err = nn_get_output(ctx, 1, (uint8_t *)meta, sizeof meta - 1, &written))) {
    printf("get_output(1) %s: errno %u\n", when, err);
    return 1;
  }
  printf("metadata %s: %.*s\n", when, (int)written, meta);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) { fprintf(stderr, "usage: wasmedge-chat PROMPT [METADATA-JSON]\n"); return 2; }
  uint32_t graph, ctx, err;
  if ((err = nn_load_by_name("default", 7, &graph))) { printf("load_by_name(default): errno %u\n", err); return 1; }
  if ((err = nn_init(graph, &ctx))) { printf("init_execution_context: errno %u\n", err); return 1; }
  if (argc == 3 && (err = set_bytes(ctx, 1, argv[2]))) { printf("set_input(1, metadata): errno %u\n", err); return 1; }
  if ((err = set_bytes(ctx, 0, argv[1]))) { printf("set_input(0, prompt): errno %u\n", err); return 1; }
  if (print_metadata(ctx, "after set_input")) return 1;
  printf("reply:");
  for (;;) {
    err = nn_compute_single(ctx);
    if (err == END_OF_SEQUENCE || err == CONTEXT_FULL) break;
    if (err) { printf("\ncompute_single: errno %u\n", err); return 1; }
    char token[256];
    uint32_t written = 0;
    if ((err = nn_get_output_single(ctx, 0, (uint8_t *)token, sizeof token, &written))) { printf("\nget_output_single: errno %u\n", err); return 1; }
    printf(" [%.*s]", (int)written, token);
    fflush(stdout);
  }
  printf("\n");
  if ((err = nn_fini_single(ctx))) { printf("fini_single: errno %u\n", err); return 1; }
  if ((err = nn_compute(ctx))) { printf("compute: errno %u\n", err); return 1; }
  if (print_metadata(ctx, "after compute")) return 1;
  if ((err = nn_unload(graph))) { printf("unload: errno %u\n", err); return 1; }
  return 0;
}
