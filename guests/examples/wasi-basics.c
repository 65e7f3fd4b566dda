/*
 * A plain WASI preview1 command with no wasi-nn at all, for the host's own WASI behaviour:
 *   wasi-basics args ARG...     prints each argument
 *   wasi-basics env NAME        prints NAME's value
 *   wasi-basics cat PATH        prints a file (through a preopened dir)
 *   wasi-basics exit CODE       exits with CODE
 *   wasi-basics trap            executes `unreachable`
 *   wasi-basics oob             reads far outside linear memory
 *   wasi-basics recurse         recurses until the call stack is exhausted
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void trap_here(void) { __builtin_trap(); }

__attribute__((noinline)) static int read_out_of_bounds(void) {
  volatile int *p = (volatile int *)0xfffffff0u;
  return *p;
}

static volatile int keep_going = 1;

__attribute__((noinline)) static int recurse(int depth) {
  volatile char pad[256];
  pad[0] = (char)depth;
  return keep_going ? recurse(depth + 1) + pad[0] : 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: wasi-basics args|env|cat|exit|trap|oob|recurse ...\n"); return 2; }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "args")) {
    for (int i = 2; i < argc; i++) printf("%s\n", argv[i]);
  } else if (!strcmp(cmd, "env") && argc == 3) {
    const char *v = getenv(argv[2]);
    printf("%s\n", v ? v : "(unset)");
  } else if (!strcmp(cmd, "cat") && argc == 3) {
    FILE *f = fopen(argv[2], "r");
    if (!f) { perror(argv[2]); return 1; }
    int c;
    while ((c = fgetc(f)) != EOF) putchar(c);
    fclose(f);
  } else if (!strcmp(cmd, "exit") && argc == 3) {
    exit(atoi(argv[2]));
  } else if (!strcmp(cmd, "trap")) {
    trap_here();
  } else if (!strcmp(cmd, "oob")) {
    return read_out_of_bounds();
  } else if (!strcmp(cmd, "recurse")) {
    return recurse(0);
  } else {
    fprintf(stderr, "wasi-basics: unknown command %s\n", cmd);
    return 2;
  }
  return 0;
}
