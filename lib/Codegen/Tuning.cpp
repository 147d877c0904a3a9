//===- Tuning.cpp - Tuning records as JSON --------------------------------===//
//
// One file holds the records of every CPU and target:
//   {"version": 2, "records": [{"cpu": "...", "target": "...",
//     "kernel": "<signature>", "stage": "<what it computes>",
//     "winograd": 4, "plan": {<planJson>}, "ms": 0.41, "default_ms": 0.45}]}
//
//===----------------------------------------------------------------------===//

#include "Tuning.h"
#include "KernelCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

using namespace cnnc;
using namespace cnnc::codegen;

/// The version this file format has; version 1 recorded a loop name where
/// version 2 records the plan.
constexpr int kVersion = 2;

std::string cnnc::codegen::describeChoice(int winograd,
                                          const StagePlan &plan) {
  if (plan.convs.empty())
    return "no conv";
  const ConvPlan &p = plan.convs.back();
  std::string text =
      winograd > 0 ? "winograd F(" + std::to_string(winograd) + "x" +
                         std::to_string(winograd) + ", 3x3), " +
                         (p.loop == ConvLoop::WinogradStrips
                              ? "strips of " + std::to_string(p.stripRows)
                              : std::string("phases"))
                   : std::string("direct, ") + convLoopName(p.loop);
  text += ", tile " + std::to_string(p.tile.vectors) + "x" +
          std::to_string(p.tile.pixels);
  if (p.loop == ConvLoop::Blocked)
    text += ", " + std::to_string(p.taskRows) + " rows, block " +
            std::to_string(p.reductionBlock);
  if (plan.method == StageMethod::BlockStrips)
    text += ", strips of " + std::to_string(plan.stripRows) + " rows";
  return text;
}

/// Reads one record, or says what is wrong with it.
static llvm::Expected<TuningRecord> parseRecord(const llvm::json::Value &value,
                                                const llvm::Twine &where) {
  const llvm::json::Object *o = value.getAsObject();
  auto bad = [&](const char *what) { return failure(where + ": " + what); };
  if (!o)
    return bad("not an object");
  TuningRecord r;
  for (auto [key, field] : {std::pair{"cpu", &r.cpu},
                            {"target", &r.target},
                            {"kernel", &r.kernel},
                            {"stage", &r.stage}}) {
    std::optional<llvm::StringRef> text = o->getString(key);
    if (!text)
      return failure(where + ": no string '" + key + "'");
    *field = text->str();
  }
  std::optional<int64_t> winograd = o->getInteger("winograd");
  if (!winograd ||
      (*winograd != -1 && *winograd != 0 && *winograd != 2 && *winograd != 4))
    return bad("'winograd' must be -1, 0, 2 or 4");
  r.winograd = static_cast<int>(*winograd);
  // Checked against the stage it is for when a compile applies it.
  const llvm::json::Object *plan = o->getObject("plan");
  if (!plan)
    return bad("'plan' must be an object (a stage's plan as "
               "--emit=schedule prints it)");
  r.plan = llvm::json::Object(*plan);
  r.ms = o->getNumber("ms").value_or(0);
  r.defaultMs = o->getNumber("default_ms").value_or(0);
  return r;
}

llvm::Expected<TuningRecords> TuningRecords::load(llvm::StringRef path) {
  TuningRecords result;
  if (!llvm::sys::fs::exists(path))
    return result;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return failure("cannot read tuning records " + path + ": " +
                   buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return failure("tuning records " + path + ": " +
                   llvm::toString(json.takeError()));
  const llvm::json::Object *top = json->getAsObject();
  const llvm::json::Array *records = top ? top->getArray("records") : nullptr;
  if (records && top->getInteger("version") == 1) {
    llvm::errs() << "cnnc: note: tuning records " << path
                 << " are of version 1 (loops, not plans): not followed; "
                    "--tune writes them anew\n";
    return result;
  }
  if (!records || top->getInteger("version") != kVersion)
    return failure("tuning records " + path + ": expected {\"version\": " +
                   llvm::Twine(kVersion) + ", \"records\": [...]}");
  for (size_t i = 0; i < records->size(); ++i) {
    llvm::Expected<TuningRecord> r = parseRecord(
        (*records)[i], "tuning records " + path + ", record " + llvm::Twine(i));
    if (!r)
      return r.takeError();
    result.records.push_back(std::move(*r));
  }
  return result;
}

llvm::Error TuningRecords::save(llvm::StringRef path) const {
  llvm::json::Array array;
  for (const TuningRecord &r : records)
    array.push_back(llvm::json::Object{{"cpu", r.cpu},
                                       {"target", r.target},
                                       {"kernel", r.kernel},
                                       {"stage", r.stage},
                                       {"winograd", r.winograd},
                                       {"plan", r.plan},
                                       {"ms", r.ms},
                                       {"default_ms", r.defaultMs}});
  llvm::json::Value file(
      llvm::json::Object{{"version", kVersion}, {"records", std::move(array)}});
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (!dir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return failure("cannot create " + dir + ": " + ec.message());
  // Through a temporary file and a rename: whole or not at all.
  if (llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", file) << "\n";
        return llvm::Error::success();
      }))
    return failure("cannot write " + path + ": " +
                   llvm::toString(std::move(e)));
  return llvm::Error::success();
}

const TuningRecord *TuningRecords::find(llvm::StringRef cpu,
                                        llvm::StringRef target,
                                        llvm::StringRef kernel) const {
  for (const TuningRecord &r : records)
    if (r.cpu == cpu && r.target == target && r.kernel == kernel)
      return &r;
  return nullptr;
}

void TuningRecords::put(TuningRecord record) {
  for (TuningRecord &r : records)
    if (r.cpu == record.cpu && r.target == record.target &&
        r.kernel == record.kernel) {
      r = std::move(record);
      return;
    }
  records.push_back(std::move(record));
}

std::string cnnc::codegen::kernelSignature(const Stage &stage) {
  return llvm::utohexstr(llvm::xxh3_64bits(stage.structure),
                         /*LowerCase=*/true, 16);
}

std::string cnnc::codegen::tuningRecordsPath(const CompileOptions &options) {
  if (options.tuningFile == "none")
    return "";
  if (!options.tuningFile.empty())
    return options.tuningFile;
  if (!options.useCache)
    return "";
  return cacheDirectory(options) + "/tuning.json";
}
