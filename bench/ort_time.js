#!/usr/bin/env node
// ONNX Runtime's side of bench/compare.sh: loads MODEL.onnx into a session
// (CPU execution provider, all graph optimizations, THREADS intra-op
// threads, sequential), feeds it INPUT.npy (float32), warms up, then for
// every line `N` read from stdin runs the model N times and prints the
// median latency in milliseconds, so the driver can interleave its runs
// with the other engines' without paying the session's creation again.
// With OUTPUT.npy, first writes the model's output there (float32).
//
//   ORT_NODE_MODULES=DIR node bench/ort_time.js MODEL.onnx THREADS INPUT.npy [OUTPUT.npy]
//
// DIR holds node_modules/onnxruntime-node (scripts/install-deps.sh --bench).
'use strict';
const path = require('path');
const readline = require('readline');

const [modelPath, threadsText, inputPath, outputPath] = process.argv.slice(2);
if (!inputPath) {
  console.error('usage: ort_time.js MODEL.onnx THREADS INPUT.npy [OUTPUT.npy]');
  process.exit(1);
}
const modules = process.env.ORT_NODE_MODULES || '.';
const ort = require(path.join(modules, 'node_modules', 'onnxruntime-node'));

const {readNpy, writeNpy} = require('./npy.js');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: Number(threadsText),
    interOpNumThreads: 1,
  });
  const input = readNpy(inputPath);
  const feeds = {
    [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.shape)
  };
  const first = await session.run(feeds);
  if (outputPath) {
    const out = first[session.outputNames[0]];
    writeNpy(outputPath, out.dims, out.data);
  }
  for (let i = 0; i < 3; ++i)
    await session.run(feeds);
  console.log('ready');
  const lines = readline.createInterface({input: process.stdin});
  for await (const line of lines) {
    const runs = Number(line);
    if (!(runs > 0))
      continue;
    const times = [];
    for (let i = 0; i < runs; ++i) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    console.log(median(times).toFixed(3));
  }
}

main().catch((e) => {
  console.error(`ort_time.js: ${e.message}`);
  process.exit(1);
});
