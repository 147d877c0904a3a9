//===- CNNDialect.h - The cnn dialect ---------------------------*- C++ -*-===//

#ifndef CNNC_DIALECT_CNN_CNNDIALECT_H
#define CNNC_DIALECT_CNN_CNNDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "cnnc/Dialect/CNN/CNNDialect.h.inc"

#endif // CNNC_DIALECT_CNN_CNNDIALECT_H
