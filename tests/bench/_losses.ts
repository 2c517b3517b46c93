/** The O(N²) reference the scaling benchmark times: both pairwise losses. */
import * as tf from "@tensorflow/tfjs";
import { pairwiseDiffLoss } from "../../lib/losses/pairwise_diff_loss.ts";
import { pairwiseDiffNormLoss } from "../../lib/losses/pairwise_diff_norm_loss.ts";

/** `pairwiseDiffLoss + pairwiseDiffNormLoss`. */
export const L = (y: tf.Tensor, p: tf.Tensor): tf.Scalar =>
  tf.add(pairwiseDiffLoss(y, p), pairwiseDiffNormLoss(y, p)) as tf.Scalar;
