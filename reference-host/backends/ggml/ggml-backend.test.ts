/**
 * The GGML backend against its engine: the recorded golden texts are reproduced, a model that
 * aborts llama.cpp becomes an errno and the host serves the next call, and a call that hangs
 * times out into runtime_error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { NnError, type Tensor } from '../../core/types.js';
import { EngineClient } from './engine-client.js';
import { GgmlBackend } from './ggml-backend.js';

interface GoldenJson {
  engine: string;
  cases: { prompt: string; nPredict: number; text: string; inputTokens: number; outputTokens: number }[];
}

const fixture = (p: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, p)));
const prompt = (s: string): Tensor => ({ type: 'u8', dims: [1], data: new TextEncoder().encode(s) });
const text = (t: Tensor) => new TextDecoder().decode(t.data);
function errnoOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NnError) return `${e.errno}: ${e.message}`;
    throw e;
  }
  return 'success';
}

const backend = new GgmlBackend();

describe.skipIf(!backend.availability().available)('ggml backend (node-llama-cpp)', () => {
  it('reproduces the golden texts and token counts of our llama evaluator (fixtures/gen/gguf/llama-eval.ts)', () => {
    const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'ggml/golden.json'), 'utf8')) as GoldenJson;
    expect(golden.engine).toContain('llama-eval.ts');
    expect(golden.cases.length).toBeGreaterThan(0);
    const graph = backend.load([fixture('ggml/tiny-llama.gguf')], 'cpu');
    for (const g of golden.cases) {
      const ctx = graph.initExecutionContext({ 'n-predict': g.nPredict });
      ctx.setInput(0, prompt(g.prompt));
      ctx.compute();
      expect(text(ctx.getOutput(0))).toBe(g.text);
      const meta = JSON.parse(text(ctx.getOutput(1))) as Record<string, unknown>;
      expect(meta).toMatchObject({ input_tokens: g.inputTokens, output_tokens: g.outputTokens });
      ctx.dispose();
    }
    graph.dispose();
  });

  it('streams the same tokens as compute, then end_of_sequence', () => {
    const graph = backend.load([fixture('ggml/tiny-llama.gguf')], 'cpu');
    const ctx = graph.initExecutionContext();
    ctx.setInput(0, prompt('wasi-nn'));
    ctx.compute();
    const whole = text(ctx.getOutput(0));
    const parts: string[] = [];
    let end = '';
    for (let i = 0; i < 300 && !end; i++) {
      end = errnoOf(() => ctx.computeSingle?.()) === 'success' ? '' : errnoOf(() => ctx.computeSingle?.());
      if (!end) parts.push(text(ctx.getOutputSingle?.(0) as Tensor));
    }
    expect(parts.join('')).toBe(whole);
    expect(parts.length).toBeGreaterThan(1);
    graph.dispose();
  });

  it('turns a model that aborts llama.cpp into invalid_argument, and serves the next load', () => {
    const before = backend.load([fixture('ggml/tiny-llama.gguf')], 'cpu');
    // llama.cpp: GGML_ASSERT(t_meta.ne[dim] >= 1) in llama-model-loader.cpp → abort() of the whole process
    const crash = errnoOf(() => backend.load([fixture('bad/ggml/head-count-0.bin')], 'cpu'));
    expect(crash).toMatch(/^invalid_argument: .*engine process died \(SIGABRT\)/);
    // the graph of the dead process is gone; a fresh load works
    expect(errnoOf(() => before.initExecutionContext())).toMatch(/^runtime_error/);
    const after = backend.load([fixture('ggml/tiny-llama.gguf')], 'cpu');
    const ctx = after.initExecutionContext({ 'n-predict': 3 });
    ctx.setInput(0, prompt('wasi-nn'));
    ctx.compute();
    expect(text(ctx.getOutput(0))).toBe('*+*');
    after.dispose();
    before.dispose();
  });

  it('answers runtime_error when the engine does not answer in time, then restarts it', () => {
    const client = new EngineClient(30_000);
    client.call({ op: 'hello' });
    const t0 = Date.now();
    expect(errnoOf(() => client.call({ op: 'hang' }, 300))).toMatch(/^runtime_error: .*did not answer hang within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const own = new GgmlBackend({ client });
    const graph = own.load([fixture('ggml/tiny-llama.gguf')], 'cpu');
    const ctx = graph.initExecutionContext({ 'n-predict': 2 });
    ctx.setInput(0, prompt('wasi-nn'));
    ctx.compute();
    expect(text(ctx.getOutput(0))).toBe('*+');
  });
});
