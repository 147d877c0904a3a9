//===- CNNDialect.cpp - The cnn dialect -----------------------------------===//

#include "cnnc/Dialect/CNN/CNNDialect.h"
#include "cnnc/Dialect/CNN/CNNOps.h"

using namespace cnnc::cnn;

#include "cnnc/Dialect/CNN/CNNDialect.cpp.inc"

void CNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "cnnc/Dialect/CNN/CNNOps.cpp.inc"
      >();
}
