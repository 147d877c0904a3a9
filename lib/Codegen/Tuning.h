//===- Tuning.h - Tuning records: measured choices per kernel ---*- C++ -*-===//
//
// `cnnc --tune` measures candidate schedules of each distinct kernel on
// this machine and keeps the fastest as a record, keyed by the CPU's name,
// the target and the kernel's signature (what it computes, with shapes):
// the Winograd tile and the whole plan (SchedulePlan.h), as
// `--emit=schedule` prints it. Later compiles for the same CPU and target
// apply the records.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_LIB_CODEGEN_TUNING_H
#define CNNC_LIB_CODEGEN_TUNING_H

#include "Stage.h"
#include "cnnc/Codegen/Codegen.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace cnnc::codegen {

struct TuningRecord {
  std::string cpu, target;
  /// kernelSignature() of the stages it applies to.
  std::string kernel;
  /// What the kernel computes, for people reading the file.
  std::string stage;
  /// The winner: the last conv's Winograd tile (-1: not eligible, 0:
  /// direct) and the plan, as planJson writes it.
  int winograd = -1;
  llvm::json::Value plan = nullptr;
  /// Its median time and the defaults', in milliseconds.
  double ms = 0, defaultMs = 0;
};

class TuningRecords {
public:
  /// Reads `path`; a missing file holds no records, nor does one of
  /// version 1 (before plans were recorded), which a note on stderr says.
  static llvm::Expected<TuningRecords> load(llvm::StringRef path);
  /// Writes all records to `path`, whole or not at all.
  llvm::Error save(llvm::StringRef path) const;
  const TuningRecord *find(llvm::StringRef cpu, llvm::StringRef target,
                           llvm::StringRef kernel) const;
  /// Adds `record`, replacing one for the same CPU, target and kernel.
  void put(TuningRecord record);
  size_t size() const { return records.size(); }

private:
  std::vector<TuningRecord> records;
};

/// What a stage's kernel computes, whatever its schedule: a hash of its
/// ops, attributes and shapes.
std::string kernelSignature(const Stage &stage);

/// The records file `options` names: --tuning=FILE, else tuning.json in
/// the compile cache; "" for none (--tuning=none, or --no-cache without
/// --tuning).
std::string tuningRecordsPath(const CompileOptions &options);

/// A record's choice in a few words: "winograd F(4x4, 3x3), phases, tile
/// 4x6", "direct, blocked, tile 4x5, 7 rows, block 64".
std::string describeChoice(int winograd, const StagePlan &plan);

} // namespace cnnc::codegen

#endif // CNNC_LIB_CODEGEN_TUNING_H
