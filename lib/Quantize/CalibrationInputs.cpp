//===- CalibrationInputs.cpp - Reading --calibration=PATH -----------------===//
//
// One .npy of samples, or a folder of them, cut into batches of the
// model's input shape. The files are the user's own, but still checked as
// untrusted: each shape must match the model's, and nothing outside the
// named file or folder is read.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Quantize/Quantize.h"
#include "cnnc/Weights/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace cnnc;

static llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::vector<std::string> dims;
  for (int64_t d : shape)
    dims.push_back(std::to_string(d));
  return "[" + llvm::join(dims, ", ") + "]";
}

/// Appends the samples of the .npy at `path` (each of `sample` shape).
static llvm::Error appendSamples(llvm::StringRef path,
                                 llvm::ArrayRef<int64_t> sample,
                                 std::vector<float> &data, int64_t &count) {
  llvm::Expected<NpyArray> array = readNpy(path);
  if (!array)
    return array.takeError();
  llvm::ArrayRef<int64_t> shape = array->shape;
  const bool one = shape == sample;
  if (!one &&
      !(shape.size() == sample.size() + 1 && shape.drop_front() == sample))
    return failure(path + ": calibration samples must have shape " +
                   shapeText(sample) + " or [N, " +
                   shapeText(sample).substr(1) + ", got " + shapeText(shape));
  count += one ? 1 : shape.front();
  data.insert(data.end(), array->data.begin(), array->data.end());
  return llvm::Error::success();
}

llvm::Expected<std::vector<reference::Tensor>>
cnnc::readCalibrationInputs(llvm::StringRef path,
                            llvm::ArrayRef<int64_t> inputShape) {
  if (inputShape.empty())
    return failure("the model's input has no batch dimension to calibrate");
  llvm::ArrayRef<int64_t> sample = inputShape.drop_front();
  const int64_t batch = inputShape.front();
  std::vector<float> data;
  int64_t count = 0;
  if (llvm::sys::fs::is_directory(path)) {
    std::vector<std::string> files;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".npy")
        files.push_back(it->path());
    if (ec)
      return failure("cannot list " + path + ": " + ec.message());
    if (files.empty())
      return failure(path + " holds no .npy file to calibrate with");
    std::sort(files.begin(), files.end());
    for (const std::string &file : files)
      if (llvm::Error error = appendSamples(file, sample, data, count))
        return std::move(error);
  } else if (llvm::Error error = appendSamples(path, sample, data, count)) {
    return std::move(error);
  }
  if (count == 0 || count % batch != 0)
    return failure(path + ": " + llvm::Twine(count) +
                   " calibration samples do not make whole batches of " +
                   llvm::Twine(batch) + " (the model's input is " +
                   shapeText(inputShape) + ")");
  std::vector<reference::Tensor> batches;
  const size_t perBatch = data.size() / size_t(count / batch);
  for (int64_t i = 0; i < count / batch; ++i)
    batches.emplace_back(
        std::vector<int64_t>(inputShape.begin(), inputShape.end()),
        std::vector<float>(data.begin() + i * perBatch,
                           data.begin() + (i + 1) * perBatch));
  return batches;
}
