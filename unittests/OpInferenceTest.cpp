//===- OpInferenceTest.cpp - Result types inferred by cnn ops -------------===//
//
// Builds conv and pooling ops without result types and checks the inferred
// shapes against PyTorch's formulas, across stride, padding, dilation,
// groups and ceil_mode.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/CNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace cnnc::cnn;

namespace {

class OpInferenceTest : public ::testing::Test {
protected:
  OpInferenceTest() : builder(&context) {
    context.loadDialect<CNNDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  Value tensor(ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, builder.getF32Type());
    return WeightOp::create(builder, builder.getUnknownLoc(), type, "t");
  }

  static ArrayRef<int64_t> shapeOf(Value value) {
    return llvm::cast<RankedTensorType>(value.getType()).getShape();
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

int64_t torchConv(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
  return static_cast<int64_t>(
      std::floor(static_cast<double>(in + 2 * p - d * (k - 1) - 1) / s + 1));
}

TEST_F(OpInferenceTest, ConvAcrossStridePaddingDilationGroups) {
  const int64_t channels = 12, outChannels = 24, size = 17;
  Value input = tensor({2, channels, size, size + 3});
  for (int64_t groups : {1, 2, 3, 12})
    for (int64_t k : {1, 3, 5, 7})
      for (int64_t s : {1, 2, 3})
        for (int64_t d : {1, 2})
          for (int64_t p : {int64_t(0), k / 2}) {
            Value weight = tensor({outChannels, channels / groups, k, k});
            auto conv = Conv2DOp::create(
                builder, builder.getUnknownLoc(), input, weight, Value(),
                ArrayRef<int64_t>{s, s}, ArrayRef<int64_t>{p, p, p, p},
                ArrayRef<int64_t>{d, d}, groups, DenseF32ArrayAttr());
            SmallVector<int64_t> expected = {2, outChannels,
                                             torchConv(size, k, s, p, d),
                                             torchConv(size + 3, k, s, p, d)};
            EXPECT_EQ(shapeOf(conv.getResult()), ArrayRef<int64_t>(expected))
                << "groups=" << groups << " k=" << k << " s=" << s << " d=" << d
                << " p=" << p;
            EXPECT_TRUE(succeeded(mlir::verify(conv.getOperation())));
          }
}

TEST_F(OpInferenceTest, DepthwiseAndPointwise) {
  Value input = tensor({1, 32, 112, 112});
  auto depthwise = Conv2DOp::create(
      builder, builder.getUnknownLoc(), input, tensor({32, 1, 3, 3}), Value(),
      ArrayRef<int64_t>{2, 2}, ArrayRef<int64_t>{1, 1, 1, 1},
      ArrayRef<int64_t>{1, 1}, 32, DenseF32ArrayAttr());
  EXPECT_EQ(shapeOf(depthwise.getResult()), ArrayRef<int64_t>({1, 32, 56, 56}));
  auto pointwise =
      Conv2DOp::create(builder, builder.getUnknownLoc(), depthwise.getResult(),
                       tensor({64, 32, 1, 1}), tensor({64}),
                       ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{0, 0, 0, 0},
                       ArrayRef<int64_t>{1, 1}, 1, DenseF32ArrayAttr());
  EXPECT_EQ(shapeOf(pointwise.getResult()), ArrayRef<int64_t>({1, 64, 56, 56}));
}

TEST_F(OpInferenceTest, MaxPoolCeilModeAndDilation) {
  Value input = tensor({1, 8, 7, 10});
  auto floorPool = MaxPool2DOp::create(
      builder, builder.getUnknownLoc(), input, ArrayRef<int64_t>{2, 2},
      ArrayRef<int64_t>{2, 2}, ArrayRef<int64_t>{0, 0, 0, 0},
      ArrayRef<int64_t>{1, 1}, false);
  EXPECT_EQ(shapeOf(floorPool.getResult()), ArrayRef<int64_t>({1, 8, 3, 5}));
  auto ceilPool = MaxPool2DOp::create(
      builder, builder.getUnknownLoc(), input, ArrayRef<int64_t>{2, 2},
      ArrayRef<int64_t>{2, 2}, ArrayRef<int64_t>{0, 0, 0, 0},
      ArrayRef<int64_t>{1, 1}, true);
  EXPECT_EQ(shapeOf(ceilPool.getResult()), ArrayRef<int64_t>({1, 8, 4, 5}));
  auto dilated = MaxPool2DOp::create(
      builder, builder.getUnknownLoc(), input, ArrayRef<int64_t>{3, 3},
      ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{1, 1, 1, 1},
      ArrayRef<int64_t>{2, 2}, false);
  // Span 5 over 7 + 2 padded rows: 5 outputs; over 12 padded columns: 8.
  EXPECT_EQ(shapeOf(dilated.getResult()), ArrayRef<int64_t>({1, 8, 5, 8}));
}

TEST_F(OpInferenceTest, AvgPoolAndAdaptive) {
  Value input = tensor({1, 4, 9, 9});
  auto avg = AvgPool2DOp::create(
      builder, builder.getUnknownLoc(), input, ArrayRef<int64_t>{3, 3},
      ArrayRef<int64_t>{2, 2}, ArrayRef<int64_t>{1, 1, 1, 1}, true, false);
  EXPECT_EQ(shapeOf(avg.getResult()), ArrayRef<int64_t>({1, 4, 5, 5}));
  auto adaptive = AdaptiveAvgPool2DOp::create(builder, builder.getUnknownLoc(),
                                              input, ArrayRef<int64_t>{7, 7});
  EXPECT_EQ(shapeOf(adaptive.getResult()), ArrayRef<int64_t>({1, 4, 7, 7}));
}

TEST_F(OpInferenceTest, HeadShapes) {
  Value features = tensor({2, 512, 1, 1});
  auto flat =
      FlattenOp::create(builder, builder.getUnknownLoc(), features, 1, -1);
  EXPECT_EQ(shapeOf(flat.getResult()), ArrayRef<int64_t>({2, 512}));
  auto fc = LinearOp::create(builder, builder.getUnknownLoc(), flat.getResult(),
                             tensor({1000, 512}), tensor({1000}));
  EXPECT_EQ(shapeOf(fc.getResult()), ArrayRef<int64_t>({2, 1000}));
  auto cat = ConcatOp::create(
      builder, builder.getUnknownLoc(),
      ValueRange{tensor({1, 3, 4, 4}), tensor({1, 5, 4, 4})}, 1);
  EXPECT_EQ(shapeOf(cat.getResult()), ArrayRef<int64_t>({1, 8, 4, 4}));
}

TEST_F(OpInferenceTest, ActivationsEvaluateTheirFormulas) {
  Value x = tensor({1, 4});
  auto at = [&](auto op, double v) {
    return llvm::cast<ActivationOpInterface>(op.getOperation()).evaluate(v);
  };
  Location loc = builder.getUnknownLoc();
  auto relu = ReluOp::create(builder, loc, x);
  EXPECT_EQ(at(relu, -1), 0);
  EXPECT_EQ(at(relu, 7), 7);
  auto relu6 = Relu6Op::create(builder, loc, x);
  EXPECT_EQ(at(relu6, 7), 6);
  EXPECT_EQ(at(relu6, -2), 0);
  auto sigmoid = SigmoidOp::create(builder, loc, x);
  EXPECT_DOUBLE_EQ(at(sigmoid, 0), 0.5);
  EXPECT_NEAR(at(sigmoid, 1), 0.7310585786300049, 1e-15);
  auto hardswish = HardswishOp::create(builder, loc, x);
  EXPECT_DOUBLE_EQ(at(hardswish, -1), -1.0 / 3);
  EXPECT_DOUBLE_EQ(at(hardswish, 7), 7);
  auto hardsigmoid = HardsigmoidOp::create(builder, loc, x);
  EXPECT_DOUBLE_EQ(at(hardsigmoid, -1), 1.0 / 3);
  EXPECT_DOUBLE_EQ(at(hardsigmoid, 7), 1);
  EXPECT_DOUBLE_EQ(at(hardsigmoid, -4), 0);
  // Published values of x * Phi(x) and of the tanh approximation.
  auto gelu = GeluOp::create(builder, loc, x, GeluApproximation::None);
  EXPECT_NEAR(at(gelu, 1), 0.8413447460685429, 1e-15);
  EXPECT_NEAR(at(gelu, -1), -0.15865525393145707, 1e-15);
  auto geluTanh = GeluOp::create(builder, loc, x, GeluApproximation::Tanh);
  EXPECT_NEAR(at(geluTanh, 1), 0.8411919906082768, 1e-15);
  EXPECT_NEAR(at(geluTanh, -1), -0.15880800939172324, 1e-15);
}

} // namespace
