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
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const [modelPath, threadsText, inputPath, outputPath] = process.argv.slice(2);
if (!inputPath) {
  console.error('usage: ort_time.js MODEL.onnx THREADS INPUT.npy [OUTPUT.npy]');
  process.exit(1);
}
const modules = process.env.ORT_NODE_MODULES || '.';
const ort = require(path.join(modules, 'node_modules', 'onnxruntime-node'));

// A float32, C-order .npy file: its shape and data.
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${file}: not a .npy file`);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  if (!/'descr': '<f4'/.test(header) || /'fortran_order': True/.test(header))
    throw new Error(`${file}: expected little-endian float32 in C order`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
                    .split(',').filter((s) => s.trim()).map(Number);
  const start = 10 + headerLength;
  const data = new Float32Array(bytes.buffer.slice(
      bytes.byteOffset + start, bytes.byteOffset + bytes.length));
  return {shape, data};
}

function writeNpy(file, shape, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${
      shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head.writeUInt8(1, 6);
  head.writeUInt8(0, 7);
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([
    head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ]));
}

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
