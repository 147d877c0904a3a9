//===- Zoo.cpp - The model zoo's registry ---------------------------------===//

#include "cnnc/Zoo/Zoo.h"
#include "Families.h"

#include "llvm/ADT/StringSwitch.h"

#include <functional>

using namespace mlir;
using namespace cnnc;

namespace {

using BuildFn = std::function<Value(ModelBuilder &)>;

// torchvision's VGG configurations; 0 is a 2x2 max pool.
const int64_t vggA[] = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
const int64_t vggB[] = {64, 64,  0,   128, 128, 0,   256, 256,
                        0,  512, 512, 0,   512, 512, 0};
const int64_t vggD[] = {64, 64,  0,   128, 128, 0,   256, 256, 256,
                        0,  512, 512, 512, 0,   512, 512, 512, 0};
const int64_t vggE[] = {64,  64,  0,   128, 128, 0,   256, 256, 256, 256, 0,
                        512, 512, 512, 512, 0,   512, 512, 512, 512, 0};

const char *torchvisionNotes =
    "Parameter names and shapes are torchvision's state_dict() keys.";
const char *mobilenetV1Notes =
    "torchvision has no MobileNetV1; its parameter names follow the same\n"
    "Sequential convention: features.0.0 conv and features.0.1 BN (stem);\n"
    "for i = 1..13, features.<i>.0 depthwise conv, features.<i>.1 its BN,\n"
    "features.<i>.3 pointwise conv, features.<i>.4 its BN; classifier is the\n"
    "1024 -> 1000 linear layer. BN running_mean/running_var are weights too.";

struct Entry {
  ZooModelInfo info;
  BuildFn build;
};

const std::vector<Entry> &entries() {
  using namespace cnnc::zoo;
  static const std::vector<Entry> all = {
      {{"vgg11", "VGG-11 (config A)", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggA, false); }},
      {{"vgg13", "VGG-13 (config B)", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggB, false); }},
      {{"vgg16", "VGG-16 (config D)", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggD, false); }},
      {{"vgg19", "VGG-19 (config E)", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggE, false); }},
      {{"vgg11_bn", "VGG-11 with BatchNorm", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggA, true); }},
      {{"vgg16_bn", "VGG-16 with BatchNorm", torchvisionNotes},
       [](ModelBuilder &b) { return vgg(b, vggD, true); }},
      {{"resnet18", "ResNet-18 (basic blocks 2-2-2-2)", torchvisionNotes},
       [](ModelBuilder &b) {
         return resnet(b, ResNetBlock::Basic, {2, 2, 2, 2});
       }},
      {{"resnet34", "ResNet-34 (basic blocks 3-4-6-3)", torchvisionNotes},
       [](ModelBuilder &b) {
         return resnet(b, ResNetBlock::Basic, {3, 4, 6, 3});
       }},
      {{"resnet50", "ResNet-50 (bottlenecks 3-4-6-3)", torchvisionNotes},
       [](ModelBuilder &b) {
         return resnet(b, ResNetBlock::Bottleneck, {3, 4, 6, 3});
       }},
      {{"resnet101", "ResNet-101 (bottlenecks 3-4-23-3)", torchvisionNotes},
       [](ModelBuilder &b) {
         return resnet(b, ResNetBlock::Bottleneck, {3, 4, 23, 3});
       }},
      {{"mobilenet_v1", "MobileNetV1, width 1.0 (Howard et al. 2017)",
        mobilenetV1Notes},
       [](ModelBuilder &b) { return mobilenetV1(b); }},
      {{"mobilenet_v2", "MobileNetV2 (inverted residuals, ReLU6)",
        torchvisionNotes},
       [](ModelBuilder &b) { return mobilenetV2(b); }},
      {{"convnext_tiny", "ConvNeXt-Tiny (depths 3-3-9-3, width 96)",
        torchvisionNotes},
       [](ModelBuilder &b) { return convnextTiny(b); }},
  };
  return all;
}

/// `N` for a square input, `HxW` otherwise.
std::string sizeText(const ZooOptions &options) {
  if (options.inputHeight == options.inputWidth)
    return std::to_string(options.inputHeight);
  return std::to_string(options.inputHeight) + "x" +
         std::to_string(options.inputWidth);
}

const Entry *find(StringRef name) {
  for (const Entry &entry : entries())
    if (name == entry.info.name)
      return &entry;
  return nullptr;
}

} // namespace

const std::vector<ZooModelInfo> &cnnc::zooModels() {
  static const std::vector<ZooModelInfo> infos = [] {
    std::vector<ZooModelInfo> result;
    for (const Entry &entry : entries())
      result.push_back(entry.info);
    return result;
  }();
  return infos;
}

OwningOpRef<ModuleOp> cnnc::buildZooModel(MLIRContext *context, StringRef name,
                                          const ZooOptions &options,
                                          std::string &error) {
  const Entry *entry = find(name);
  if (!entry) {
    error = "unknown model '" + name.str() + "' (cnn-zoo --list lists them)";
    return nullptr;
  }
  if (options.inputHeight <= 0 || options.inputWidth <= 0 ||
      options.batch <= 0) {
    error = "input size and batch must be positive";
    return nullptr;
  }
  ModelBuilder builder(
      context, name,
      {options.batch, 3, options.inputHeight, options.inputWidth});
  Value output = entry->build(builder);
  OwningOpRef<ModuleOp> module = builder.finish(output);
  if (!module)
    error = "input size " + sizeText(options) + " is too small for " +
            name.str() + ": " + builder.error();
  return module;
}

bool cnnc::parseInputSize(StringRef text, int64_t &height, int64_t &width) {
  auto [first, second] = text.split('x');
  if (first.getAsInteger(10, height))
    return false;
  if (second.empty() && !text.contains('x')) {
    width = height;
    return true;
  }
  return !second.getAsInteger(10, width);
}

std::string cnnc::zooModelHeader(StringRef name, const ZooOptions &options) {
  const Entry *entry = find(name);
  std::string text;
  auto line = [&](StringRef s) { text += ("// " + s + "\n").str(); };
  line((name + ": " + (entry ? entry->info.summary : "")).str());
  line("Input " + std::to_string(options.batch) + "x3x" +
       std::to_string(options.inputHeight) + "x" +
       std::to_string(options.inputWidth) + " (NCHW), output " +
       std::to_string(options.batch) + "x1000 logits.");
  if (entry) {
    SmallVector<StringRef> notes;
    StringRef(entry->info.notes).split(notes, '\n');
    for (StringRef note : notes)
      line(note);
  }
  std::string command = "cnn-zoo " + name.str();
  if (options.inputHeight != 224 || options.inputWidth != 224)
    command += " --input-size=" + sizeText(options);
  if (options.batch != 1)
    command += " --batch=" + std::to_string(options.batch);
  line("Generated by `" + command + "`; do not edit.");
  return text;
}
