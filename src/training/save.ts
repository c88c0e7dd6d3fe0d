// Saves a trained model in the TF.js Layers format: model.json (topology and
// weights manifest) plus one weights.bin, the pair tf.loadLayersModel reads.
// The files travel to the page as ArrayBuffers and the page offers the download.

import * as tf from '@tensorflow/tfjs';
import { CIFAR10_MEAN, CIFAR10_STD } from './augment';

export interface SavedFile {
  name: string;
  data: ArrayBuffer;
}

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Metadata stored in model.json: the input scaling and the meaning of the outputs. */
export interface SavedModelMetadata {
  classNames: string[];
  /** The model outputs logits; apply softmax for probabilities. */
  output: 'logits';
  /** Inputs are RGB in [0, 1] standardised per channel: (x - mean) / std. */
  inputMean: readonly number[];
  inputStd: readonly number[];
  trainedSteps: number;
}

/** Serialises `model` (reading its weights back from the device) into model.json and weights.bin. */
export async function saveModelFiles(
  model: tf.LayersModel,
  metadata: Omit<SavedModelMetadata, 'output' | 'inputMean' | 'inputStd'>,
): Promise<SavedFile[]> {
  let files: SavedFile[] | null = null;
  const userDefinedMetadata: SavedModelMetadata = {
    ...metadata,
    output: 'logits',
    inputMean: CIFAR10_MEAN,
    inputStd: CIFAR10_STD,
  };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        userDefinedMetadata,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      const json = new TextEncoder().encode(JSON.stringify(modelJson));
      files = [
        {
          name: MODEL_FILE,
          data: json.buffer.slice(json.byteOffset, json.byteOffset + json.byteLength),
        },
        { name: WEIGHTS_FILE, data: weightData },
      ];
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!files) throw new Error('the TF.js save handler was not called');
  return files;
}

/** Loads files written by `saveModelFiles` back into a model (for tests and for resuming from a download). */
export async function loadModelFiles(files: SavedFile[]): Promise<tf.LayersModel> {
  const modelFile = files.find((file) => file.name === MODEL_FILE);
  const weightsFile = files.find((file) => file.name === WEIGHTS_FILE);
  if (!modelFile || !weightsFile) throw new Error(`expected ${MODEL_FILE} and ${WEIGHTS_FILE}`);
  const json = JSON.parse(new TextDecoder().decode(modelFile.data)) as tf.io.ModelJSON;
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  return tf.loadLayersModel(tf.io.fromMemory(json.modelTopology, weightSpecs, weightsFile.data));
}
