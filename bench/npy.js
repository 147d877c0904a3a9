// Float32 .npy files for the Node.js scripts that run ONNX Runtime
// (bench/ort_time.js, test/Inputs/ort_run.js).
'use strict';
const fs = require('fs');

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
  // ONNX Runtime's integer outputs (an ArgMax's int64 class map) as the
  // f32 values CNNC returns.
  if (!(data instanceof Float32Array)) data = Float32Array.from(data, Number);
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

module.exports = {readNpy, writeNpy};
