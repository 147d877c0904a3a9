#!/usr/bin/env node
// ONNX Runtime as the tests' oracle for quantized (QDQ) models: runs
// MODEL.onnx on INPUT.npy (float32) in chunks of BATCH along the first
// axis (the model's batch; 0: all at once) and writes each graph output,
// the chunks joined, to OUTDIR/<output index>.npy (float32).
//
//   ORT_NODE_MODULES=DIR node ort_run.js MODEL.onnx INPUT.npy BATCH OUTDIR
//
// DIR holds node_modules/onnxruntime-node (scripts/install-deps.sh --test).
'use strict';
const fs = require('fs');
const path = require('path');
const {readNpy, writeNpy} = require('../../bench/npy.js');

async function main() {
  const [modelPath, inputPath, batchText, outDir] = process.argv.slice(2);
  if (!outDir)
    throw new Error('usage: ort_run.js MODEL.onnx INPUT.npy BATCH OUTDIR');
  const modules = process.env.ORT_NODE_MODULES || '.';
  const where = path.join(modules, 'node_modules', 'onnxruntime-node');
  if (!fs.existsSync(where))
    throw new Error(`no ONNX Runtime in ${modules} (ORT_NODE_MODULES); ` +
                    'run scripts/install-deps.sh --test');
  const ort = require(where);
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 2,
    logSeverityLevel: 3,
  });
  const input = readNpy(inputPath);
  const total = input.shape[0];
  const batch = Number(batchText) || total;
  if (total % batch !== 0)
    throw new Error(`${inputPath}: ${total} inputs are not chunks of ${batch}`);
  const perInput = input.data.length / total;
  const results = session.outputNames.map(() => ({parts: [], dims: null}));
  for (let start = 0; start < total; start += batch) {
    const chunk = input.data.subarray(start * perInput,
                                      (start + batch) * perInput);
    const feeds = {
      [session.inputNames[0]]: new ort.Tensor(
          'float32', chunk, [batch, ...input.shape.slice(1)])
    };
    const out = await session.run(feeds);
    session.outputNames.forEach((name, i) => {
      if (out[name].type !== 'float32')
        throw new Error(`output '${name}' is ${out[name].type}`);
      results[i].parts.push(out[name].data);
      results[i].dims = out[name].dims;
    });
  }
  fs.mkdirSync(outDir, {recursive: true});
  results.forEach(({parts, dims}, i) => {
    const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      joined.set(p, offset);
      offset += p.length;
    }
    writeNpy(path.join(outDir, `${i}.npy`),
             [dims[0] * parts.length, ...dims.slice(1)], joined);
  });
}

main().catch((e) => {
  console.error(`ort_run.js: ${e.message}`);
  process.exit(1);
});
