//===- MemoryPlan.h - Activation buffers and their arena --------*- C++ -*-===//
//
// Private to lib/Codegen. Every activation passed between stages gets fixed
// bounds (so each kernel is compiled for constant extents and strides) and
// a fixed offset in one arena, planned from liveness at compile time.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_MEMORYPLAN_H
#define CNNC_LIB_CODEGEN_MEMORYPLAN_H

#include "Lowering.h"

namespace cnnc::codegen {

/// After scheduling: sizes every activation to cover what its producer
/// computes (schedules round tiles up) and what its consumers read, fixes
/// the bounds of every stage's parameters and output, and assigns arena
/// offsets. With `concatInPlace` (CPU targets), the producers of a
/// concatenation's operands write into its buffer where they can, and its
/// stage goes. With `planarStemInputs` (CPU targets), an input that only
/// int8 stems with folded kernel columns read is stored planar. Returns
/// the arena's size in bytes.
int64_t planMemory(LoweredModel &model, bool concatInPlace,
                   bool planarStemInputs);

/// The largest total of activations alive at once (during one stage), a
/// lower bound for any arena.
int64_t peakLiveBytes(const LoweredModel &model);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_MEMORYPLAN_H
