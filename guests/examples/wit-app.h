/*
 * What the component example applications share (wit-any.c, wit-bench.c; nothing of the driver):
 * the canonical-ABI lowering of the wasi:nn@NN_WIT_VERSION imports they call, the result and
 * list layouts, cabi_realloc (the host allocates returned lists and strings with it), _start,
 * and a whole-file reader. Built by guests/build.sh, which makes each a component.
 */
#ifndef WIT_APP_H
#define WIT_APP_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NN(iface, n) __attribute__((import_module("wasi:nn/" iface "@" NN_WIT_VERSION), import_name(n)))
NN("graph", "load") void nn_load(uint32_t builders, uint32_t count, uint32_t encoding, uint32_t target, uint32_t ret);
NN("graph", "[method]graph.init-execution-context") void nn_init(uint32_t graph, uint32_t ret);
NN("tensor", "[constructor]tensor") uint32_t nn_tensor(uint32_t dims, uint32_t ndims, uint32_t type, uint32_t data, uint32_t len);
NN("tensor", "[method]tensor.ty") uint32_t nn_tensor_ty(uint32_t tensor);
NN("tensor", "[method]tensor.data") void nn_tensor_data(uint32_t tensor, uint32_t ret);
NN("tensor", "[resource-drop]tensor") void nn_tensor_drop(uint32_t tensor);
NN("inference", "[method]graph-execution-context.compute") void nn_compute(uint32_t ctx, uint32_t inputs, uint32_t count, uint32_t ret);
NN("errors", "[method]error.code") uint32_t nn_error_code(uint32_t error);
NN("errors", "[method]error.data") void nn_error_data(uint32_t error, uint32_t ret);

enum { FP32 = 1 };
struct list { uint32_t ptr, len; };
/* result<T, error>: the discriminant at 0, the payload (a handle, or a list's ptr and len) at 4 */
struct result { uint32_t disc; struct list val; };
/* named-tensor = tuple<string, tensor> */
struct named { struct list name; uint32_t tensor; };

/* Linked without crt1 (guests/build.sh): lld wraps every export of a *command* module in the C
 * constructors and destructors, so each host call into cabi_realloc would run the exit-time
 * stdio cleanup. The module exports its own _start instead. */
void __wasm_call_ctors(void);
int __main_void(void);
__attribute__((export_name("_start"))) void app_start(void) {
  __wasm_call_ctors();
  exit(__main_void());
}

__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *ptr, size_t old, size_t align, size_t size) {
  (void)old;
  if (size == 0) return (void *)align;
  void *p = realloc(ptr, size);
  if (!p) abort();
  return p;
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
#endif
