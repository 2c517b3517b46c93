/**
 * The kit's training step against tfjs as it stands: the paper's FFNN from plain tfjs ops with
 * tfjs's own gradients, trained with tfjs's MAE and with GAR written from tfjs ops (autodiff through
 * the three sub-losses and the DRO aggregation) — what a direct port of the authors' code gives.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { droAggregate } from "../losses/dro_aggregate.ts";
import { gar } from "../losses/gar.ts";
import { garParts } from "../losses/gar_parts.ts";
import { mae } from "../losses/mae.ts";
import { withoutFiniteChecks } from "../losses/validate.ts";
import { createFfnn, type Ffnn } from "../model/ffnn.ts";
import type { Objective } from "../model/train_step.ts";
import { alternatingStepTimes } from "./_step_timing.ts";
import { plainApply } from "./plain_apply.ts";

/** Result of one model size and batch size. */
export interface StockStepRow {
  /** Hidden sizes. */
  hidden: number[];
  /** Input features. */
  inputDim: number;
  /** Batch size. */
  batchSize: number;
  /** The tfjs backend. */
  backend: string;
  /** Median ms of one step: the kit's `dense` layers and `mae`. */
  kitMaeMs: number;
  /** Median ms of one step: the kit's `dense` layers and the fused `gar`. */
  kitGarMs: number;
  /** Median ms of one step: plain tfjs layers and `tf.losses.absoluteDifference`. */
  stockMaeMs: number;
  /** Median ms of one step: plain tfjs layers and `droAggregate(garParts(…))` by autodiff. */
  stockGarMs: number;
  /** `kitGarMs / kitMaeMs`: what GAR costs over MAE in the kit. */
  kitGarToMae: number;
  /** `stockGarMs / stockMaeMs`: what GAR costs over MAE in stock tfjs. */
  stockGarToMae: number;
  /** `stockGarMs / kitGarMs`: the kit's speed-up of a GAR step. */
  garSpeedup: number;
}

/** Options of {@linkcode stockStepBenchmark}. */
export interface StockStepOptions {
  /** Model sizes as `[inputDim, hidden]` (default the paper's two: `[81, [128, 256, 128, 64]]`, `[8, [16, 32, 16, 8]]`). */
  models?: [number, number[]][];
  /** Batch sizes (default `[256, 4096]`, the issue's). */
  batchSizes?: number[];
  /** Timed rounds (default 15); each round runs `stepsPerRound` steps of each variant, alternating. */
  rounds?: number;
  /** Steps per round (default `max(2, round(2560 / batchSize))`: 10 at batch 256, 2 at 4096). */
  stepsPerRound?: number;
  /** Receives one line per finished row. */
  onProgress?: (line: string) => void;
}

const stockMae: Objective = (t, p) => tf.losses.absoluteDifference(t, p) as tf.Scalar;
const stockGar: Objective = (t, p) => {
  const { mae, variance, pearson } = garParts(t, p);
  return droAggregate([mae, variance, pearson], 1);
};
const kitMae: Objective = (t, p) => mae(t, p);
const kitGar: Objective = (t, p) => gar(t, p);

/**
 * Times one SGD training step of each model size and batch size (one target, random data) four
 * ways — kit or plain layers, MAE or GAR (alpha = 1) — alternating in rounds; reports medians of the
 * per-round means. Finite-value checks of the losses are off while it runs (as in the runtime
 * benchmark). Runs on the active backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { stockStepBenchmark } from "./stock_steps.ts";
 * await tf.setBackend("cpu");
 * const [row] = await stockStepBenchmark({ models: [[3, [4]]], batchSizes: [8], rounds: 1, stepsPerRound: 1 });
 * assert.ok(row.kitGarMs > 0 && row.stockGarMs > 0);
 * ```
 */
export async function stockStepBenchmark(options: StockStepOptions = {}): Promise<StockStepRow[]> {
  const models = options.models ?? [[81, [128, 256, 128, 64]], [8, [16, 32, 16, 8]]];
  const batchSizes = options.batchSizes ?? [256, 4096];
  const rounds = options.rounds ?? 15;
  const rows: StockStepRow[] = [];
  await withoutFiniteChecks(async () => {
    for (const [inputDim, hidden] of models) {
      for (const batchSize of batchSizes) {
        const x = tf.randomNormal([batchSize, inputDim], 0, 1, "float32", 1) as tf.Tensor2D;
        const y = tf.randomNormal([batchSize, 1], 0, 1, "float32", 2) as tf.Tensor2D;
        const nets = [0, 1, 2, 3].map(() => createFfnn({ inputDim, outputDim: 1, hidden, seed: 0 }));
        const plain = (m: Ffnn): Ffnn => ({ ...m, apply: (input) => plainApply(m, input) });
        const [kitMaeMs, kitGarMs, stockMaeMs, stockGarMs] = await alternatingStepTimes(
          [
            { model: nets[0], objective: kitMae },
            { model: nets[1], objective: kitGar },
            { model: plain(nets[2]), objective: stockMae },
            { model: plain(nets[3]), objective: stockGar },
          ],
          x,
          y,
          rounds,
          options.stepsPerRound ?? Math.max(2, Math.round(2560 / batchSize)),
        );
        const row: StockStepRow = {
          hidden: [...hidden],
          inputDim,
          batchSize,
          backend: tf.getBackend(),
          kitMaeMs,
          kitGarMs,
          stockMaeMs,
          stockGarMs,
          kitGarToMae: kitGarMs / kitMaeMs,
          stockGarToMae: stockGarMs / stockMaeMs,
          garSpeedup: stockGarMs / kitGarMs,
        };
        rows.push(row);
        options.onProgress?.(describeStockRow(row));
        for (const m of nets) m.dispose();
        tf.dispose([x, y]);
      }
    }
  });
  return rows;
}

/**
 * One line for a {@linkcode StockStepRow}: step ms and GAR ÷ MAE of the kit and of stock tfjs, and the
 * kit's GAR speed-up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeStockRow } from "./stock_steps.ts";
 * const line = describeStockRow({ hidden: [4], inputDim: 3, batchSize: 8, backend: "cpu", kitMaeMs: 1,
 *   kitGarMs: 1, stockMaeMs: 2, stockGarMs: 4, kitGarToMae: 1, stockGarToMae: 2, garSpeedup: 4 });
 * assert.match(line, /GAR step 4\.00× faster/);
 * ```
 */
export function describeStockRow(r: StockStepRow): string {
  const ms = (v: number) => v.toFixed(2);
  return `(${r.hidden.join(",")}) batch ${r.batchSize}: kit MAE ${ms(r.kitMaeMs)}, GAR ${ms(r.kitGarMs)} ` +
    `(${ms(r.kitGarToMae)}×) | stock MAE ${ms(r.stockMaeMs)}, GAR ${ms(r.stockGarMs)} ` +
    `(${ms(r.stockGarToMae)}×) | GAR step ${ms(r.garSpeedup)}× faster`;
}
