/*
 * wit-nn.h -- the driver's wasi-nn functions for the component builds (NN_COMPONENT), included
 * by driver.c. The imports are the canonical-ABI lowering of the WIT interface `wasi:nn` at
 * NN_WIT_VERSION (reference-host/component/wit/); guests/componentize.mjs embeds that WIT and
 * makes the core module a component with the WASI preview1 command adapter.
 *
 * Two sets of functions, both reached through `call` (guests/README.md, "Component builds"):
 *  - the six spec functions with their witx arities, done over WIT: handles go to the result
 *    pointer, a tensor struct becomes a tensor resource, input and output indexes are decimal
 *    names, get_output copies `tensor.data()` into the caller's buffer. rc-2024-10-28 has no
 *    set-input: set_input keeps the tensor until compute passes every kept one, by name.
 *  - the WIT calls themselves: tensor_new, tensor_dimensions, tensor_type, tensor_data,
 *    set_input_named and get_output_named (rc-2024-08-19), compute_named (rc-2024-10-28),
 *    drop_tensor, drop_graph, drop_context.
 * A WIT error becomes errno = error-code + 1 (the wamr-2.1 / WIT numbering), and the record
 * carries `error.data()` as "error_data". Two errnos are the driver's own, never the host's:
 * DRIVER_NO_OUTPUT (get_output of an index the last compute did not return) and
 * DRIVER_TOO_SMALL (a caller buffer smaller than the list the host returned: nothing copied).
 */
#include <stdint.h>

#ifndef NN_WIT_VERSION
#error "a component build needs -DNN_WIT_VERSION=\"0.2.0-rc-...\""
#endif

#define WIT(iface, n) __attribute__((import_module("wasi:nn/" iface "@" NN_WIT_VERSION), import_name(n)))

WIT("graph", "load") void wit_load(uint32_t builders, uint32_t builders_len, uint32_t encoding, uint32_t target, uint32_t ret);
WIT("graph", "load-by-name") void wit_load_by_name(uint32_t name, uint32_t name_len, uint32_t ret);
WIT("graph", "[method]graph.init-execution-context") void wit_init_execution_context(uint32_t graph, uint32_t ret);
WIT("graph", "[resource-drop]graph") void wit_drop_graph(uint32_t graph);
WIT("tensor", "[constructor]tensor") uint32_t wit_tensor_new(uint32_t dims, uint32_t dims_len, uint32_t type, uint32_t data, uint32_t data_len);
WIT("tensor", "[method]tensor.dimensions") void wit_tensor_dimensions(uint32_t tensor, uint32_t ret);
WIT("tensor", "[method]tensor.ty") uint32_t wit_tensor_ty(uint32_t tensor);
WIT("tensor", "[method]tensor.data") void wit_tensor_data(uint32_t tensor, uint32_t ret);
WIT("tensor", "[resource-drop]tensor") void wit_drop_tensor(uint32_t tensor);
WIT("inference", "[resource-drop]graph-execution-context") void wit_drop_context(uint32_t ctx);
WIT("errors", "[method]error.code") uint32_t wit_error_code(uint32_t error);
WIT("errors", "[method]error.data") void wit_error_data(uint32_t error, uint32_t ret);
WIT("errors", "[resource-drop]error") void wit_drop_error(uint32_t error);
#ifdef NN_WIT_SET_INPUT
WIT("inference", "[method]graph-execution-context.set-input") void wit_set_input(uint32_t ctx, uint32_t name, uint32_t name_len, uint32_t tensor, uint32_t ret);
WIT("inference", "[method]graph-execution-context.compute") void wit_compute(uint32_t ctx, uint32_t ret);
WIT("inference", "[method]graph-execution-context.get-output") void wit_get_output(uint32_t ctx, uint32_t name, uint32_t name_len, uint32_t ret);
#else
WIT("inference", "[method]graph-execution-context.compute") void wit_compute(uint32_t ctx, uint32_t inputs, uint32_t inputs_len, uint32_t ret);
#endif

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

/* The host allocates returned lists and strings in the guest with this (canonical ABI). */
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align; /* a non-null, aligned, never dereferenced pointer */
  void *p = align <= 16 ? realloc(ptr, new_size) : NULL;
  if (!p) abort();
  return p;
}

#define DRIVER_NO_OUTPUT 1000u
#define DRIVER_TOO_SMALL 1001u

/* What the record of the current call carries besides errno (printed by wit_record_extra). */
static char *wit_error_text;     /* error.data() of a failed call */
static struct wit_list { uint32_t ptr, len; } wit_outputs_seen; /* compute's list<named-tensor> */
static int wit_have_outputs;

struct ret8 { uint32_t disc, val; };
struct ret12 { uint32_t disc, ptr, len; };

/* A failed result: the error's code (+1, so 0 stays success), its data kept for the record. */
static uint32_t wit_fail(uint32_t error) {
  uint32_t code = wit_error_code(error);
  struct wit_list s __attribute__((aligned(4))) = {0, 0};
  wit_error_data(error, (uint32_t)(uintptr_t)&s);
  free(wit_error_text);
  wit_error_text = malloc((size_t)s.len + 1);
  if (wit_error_text) {
    memcpy(wit_error_text, (const void *)(uintptr_t)s.ptr, s.len);
    wit_error_text[s.len] = 0;
  }
  if (s.len) free((void *)(uintptr_t)s.ptr);
  wit_drop_error(error);
  return code + 1;
}

/* result<own<T>, error>: the handle to *out on success. */
static uint32_t wit_handle_result(const struct ret8 *r, uint32_t out) {
  if ((r->disc & 0xff) != 0) return wit_fail(r->val);
  memcpy((void *)(uintptr_t)out, &r->val, 4);
  return 0;
}

__attribute__((unused)) static uint32_t wit_unit_result(const struct ret8 *r) {
  return (r->disc & 0xff) != 0 ? wit_fail(r->val) : 0;
}

/* ---- per-context state of the witx-shaped functions ----------------------------------- */

#define WIT_MAX_INPUTS 64
struct wit_named { uint32_t name, name_len, tensor; }; /* tuple<string, own<tensor>> */
struct wit_ctx {
  uint32_t ctx, used;
  struct wit_named pending[WIT_MAX_INPUTS]; /* set_input's tensors, until compute (rc-2024-10-28) */
  char pending_names[WIT_MAX_INPUTS][64];
  uint32_t npending;
  struct wit_list outputs; /* the last successful compute's list<named-tensor> */
};
#define WIT_MAX_CTX 64
static struct wit_ctx wit_ctxs[WIT_MAX_CTX];

__attribute__((unused)) static struct wit_ctx *wit_ctx_of(uint32_t ctx) {
  struct wit_ctx *free_slot = NULL;
  for (int i = 0; i < WIT_MAX_CTX; i++) {
    if (wit_ctxs[i].used && wit_ctxs[i].ctx == ctx) return &wit_ctxs[i];
    if (!wit_ctxs[i].used && !free_slot) free_slot = &wit_ctxs[i];
  }
  if (!free_slot) abort(); /* more contexts than any case makes */
  memset(free_slot, 0, sizeof *free_slot);
  free_slot->used = 1;
  free_slot->ctx = ctx;
  return free_slot;
}

static void wit_free_outputs(struct wit_list *l) {
  struct wit_named *o = (struct wit_named *)(uintptr_t)l->ptr;
  for (uint32_t i = 0; i < l->len; i++) {
    wit_drop_tensor(o[i].tensor);
    if (o[i].name_len) free((void *)(uintptr_t)o[i].name);
  }
  if (l->len) free(o);
  l->ptr = l->len = 0;
}

/* Copies a host-allocated list into the caller's buffer (when it fits) and frees it. */
static uint32_t wit_copy_out(struct wit_list l, uint32_t elem, uint32_t out, uint32_t out_max, uint32_t written, uint32_t count) {
  uint64_t bytes = (uint64_t)l.len * elem;
  uint32_t r = 0;
  if (bytes > out_max) r = DRIVER_TOO_SMALL;
  else {
    if (bytes) memcpy((void *)(uintptr_t)out, (const void *)(uintptr_t)l.ptr, (size_t)bytes);
    uint32_t n = count ? l.len : (uint32_t)bytes;
    memcpy((void *)(uintptr_t)written, &n, 4);
  }
  if (l.len) free((void *)(uintptr_t)l.ptr);
  return r;
}

/* ---- the witx-shaped functions -------------------------------------------------------- */

static uint32_t nn_load(uint32_t builders, uint32_t builders_len, uint32_t encoding, uint32_t target, uint32_t out) {
  struct ret8 r = {0, 0};
  wit_load(builders, builders_len, encoding, target, (uint32_t)(uintptr_t)&r);
  return wit_handle_result(&r, out);
}

static uint32_t nn_load_by_name(uint32_t name, uint32_t name_len, uint32_t out) {
  struct ret8 r = {0, 0};
  wit_load_by_name(name, name_len, (uint32_t)(uintptr_t)&r);
  return wit_handle_result(&r, out);
}

static uint32_t nn_init_execution_context(uint32_t graph, uint32_t out) {
  struct ret8 r = {0, 0};
  wit_init_execution_context(graph, (uint32_t)(uintptr_t)&r);
  return wit_handle_result(&r, out);
}

/* The witx tensor struct {dims ptr, dims len, type, data ptr, data len} becomes a tensor resource. */
static uint32_t wit_tensor_of(uint32_t tensor_ptr) {
  uint32_t f[5];
  memcpy(f, (const void *)(uintptr_t)tensor_ptr, sizeof f);
  return wit_tensor_new(f[0], f[1], f[2], f[3], f[4]);
}

/* The name the next set_input gives its input instead of the decimal index (the `name` op):
 * the model's own input name, which every WIT host resolves (a decimal index is the reference
 * host's extension). -1: none. */
static char wit_next_name[64];
static int wit_next_name_len = -1;

__attribute__((unused)) static void wit_name_next_input(const uint8_t *bytes, size_t len) {
  memcpy(wit_next_name, bytes, len);
  wit_next_name[len] = 0;
  wit_next_name_len = (int)len;
}

static uint32_t nn_set_input(uint32_t ctx, uint32_t index, uint32_t tensor_ptr) {
  uint32_t tensor = wit_tensor_of(tensor_ptr);
  char name[64];
  int n;
  if (wit_next_name_len >= 0) {
    memcpy(name, wit_next_name, (size_t)wit_next_name_len + 1);
    n = wit_next_name_len;
    wit_next_name_len = -1;
  } else {
    n = snprintf(name, sizeof name, "%lu", (unsigned long)index);
  }
#ifdef NN_WIT_SET_INPUT
  struct ret8 r = {0, 0};
  wit_set_input(ctx, (uint32_t)(uintptr_t)name, (uint32_t)n, tensor, (uint32_t)(uintptr_t)&r);
  return wit_unit_result(&r);
#else
  struct wit_ctx *c = wit_ctx_of(ctx);
  uint32_t i = 0;
  while (i < c->npending && strcmp(c->pending_names[i], name) != 0) i++;
  if (i == c->npending) {
    if (c->npending == WIT_MAX_INPUTS) abort();
    c->npending++;
  } else {
    wit_drop_tensor(c->pending[i].tensor); /* set again: the later tensor wins */
  }
  memcpy(c->pending_names[i], name, (size_t)n + 1);
  c->pending[i] = (struct wit_named){(uint32_t)(uintptr_t)c->pending_names[i], (uint32_t)n, tensor};
  return 0;
#endif
}

#ifndef NN_WIT_SET_INPUT
/* compute(inputs) -> result<list<named-tensor>, error>; the inputs are consumed either way. */
static uint32_t wit_compute_list(struct wit_ctx *c, uint32_t inputs, uint32_t inputs_len) {
  struct ret12 r = {0, 0, 0};
  wit_compute(c->ctx, inputs, inputs_len, (uint32_t)(uintptr_t)&r);
  if ((r.disc & 0xff) != 0) return wit_fail(r.ptr);
  wit_free_outputs(&c->outputs);
  c->outputs = (struct wit_list){r.ptr, r.len};
  wit_outputs_seen = c->outputs;
  wit_have_outputs = 1;
  return 0;
}
#endif

static uint32_t nn_compute(uint32_t ctx) {
#ifdef NN_WIT_SET_INPUT
  struct ret8 r = {0, 0};
  wit_compute(ctx, (uint32_t)(uintptr_t)&r);
  return wit_unit_result(&r);
#else
  struct wit_ctx *c = wit_ctx_of(ctx);
  uint32_t n = c->npending;
  c->npending = 0;
  return wit_compute_list(c, (uint32_t)(uintptr_t)c->pending, n);
#endif
}

static uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t out, uint32_t out_max, uint32_t written) {
  uint32_t tensor;
#ifdef NN_WIT_SET_INPUT
  char name[11];
  int n = snprintf(name, sizeof name, "%lu", (unsigned long)index);
  struct ret8 r = {0, 0};
  wit_get_output(ctx, (uint32_t)(uintptr_t)name, (uint32_t)n, (uint32_t)(uintptr_t)&r);
  if ((r.disc & 0xff) != 0) return wit_fail(r.val);
  tensor = r.val;
#else
  struct wit_ctx *c = wit_ctx_of(ctx);
  if (index >= c->outputs.len) return DRIVER_NO_OUTPUT;
  tensor = ((struct wit_named *)(uintptr_t)c->outputs.ptr)[index].tensor;
#endif
  struct wit_list data = {0, 0};
  wit_tensor_data(tensor, (uint32_t)(uintptr_t)&data);
#ifdef NN_WIT_SET_INPUT
  wit_drop_tensor(tensor);
#endif
  return wit_copy_out(data, 1, out, out_max, written, 0);
}

/* ---- the WIT calls themselves --------------------------------------------------------- */

static uint32_t nn_tensor_new(uint32_t dims, uint32_t dims_len, uint32_t type, uint32_t data, uint32_t data_len, uint32_t out) {
  uint32_t t = wit_tensor_new(dims, dims_len, type, data, data_len);
  memcpy((void *)(uintptr_t)out, &t, 4);
  return 0;
}

static uint32_t nn_tensor_dimensions(uint32_t tensor, uint32_t out, uint32_t out_max, uint32_t written) {
  struct wit_list l = {0, 0};
  wit_tensor_dimensions(tensor, (uint32_t)(uintptr_t)&l);
  return wit_copy_out(l, 4, out, out_max, written, 1);
}

static uint32_t nn_tensor_type(uint32_t tensor, uint32_t out) {
  uint32_t t = wit_tensor_ty(tensor);
  memcpy((void *)(uintptr_t)out, &t, 4);
  return 0;
}

static uint32_t nn_tensor_data(uint32_t tensor, uint32_t out, uint32_t out_max, uint32_t written) {
  struct wit_list l = {0, 0};
  wit_tensor_data(tensor, (uint32_t)(uintptr_t)&l);
  return wit_copy_out(l, 1, out, out_max, written, 0);
}

#ifdef NN_WIT_SET_INPUT
static uint32_t nn_set_input_named(uint32_t ctx, uint32_t name, uint32_t name_len, uint32_t tensor) {
  struct ret8 r = {0, 0};
  wit_set_input(ctx, name, name_len, tensor, (uint32_t)(uintptr_t)&r);
  return wit_unit_result(&r);
}

static uint32_t nn_get_output_named(uint32_t ctx, uint32_t name, uint32_t name_len, uint32_t out) {
  struct ret8 r = {0, 0};
  wit_get_output(ctx, name, name_len, (uint32_t)(uintptr_t)&r);
  return wit_handle_result(&r, out);
}
#else
/* compute_named(ctx, inputs, count, out): `inputs` are 12-byte {name ptr, name len, tensor}
 * records; the output handles go to `out` (u32 each, as many as fit). */
static uint32_t nn_compute_named(uint32_t ctx, uint32_t inputs, uint32_t inputs_len, uint32_t out, uint32_t out_max) {
  struct wit_ctx *c = wit_ctx_of(ctx);
  uint32_t r = wit_compute_list(c, inputs, inputs_len);
  if (r) return r;
  struct wit_named *o = (struct wit_named *)(uintptr_t)c->outputs.ptr;
  for (uint32_t i = 0; i < c->outputs.len && (uint64_t)(i + 1) * 4 <= out_max; i++) memcpy((uint8_t *)(uintptr_t)out + i * 4, &o[i].tensor, 4);
  return 0;
}
#endif

static uint32_t nn_drop_tensor(uint32_t tensor) {
  wit_drop_tensor(tensor);
  return 0;
}

static uint32_t nn_drop_graph(uint32_t graph) {
  wit_drop_graph(graph);
  return 0;
}

static uint32_t nn_drop_context(uint32_t ctx) {
  for (int i = 0; i < WIT_MAX_CTX; i++)
    if (wit_ctxs[i].used && wit_ctxs[i].ctx == ctx) {
      for (uint32_t k = 0; k < wit_ctxs[i].npending; k++) wit_drop_tensor(wit_ctxs[i].pending[k].tensor);
      wit_free_outputs(&wit_ctxs[i].outputs);
      wit_ctxs[i].used = 0;
    }
  wit_drop_context(ctx);
  return 0;
}
