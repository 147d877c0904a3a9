//===- Tuning.cpp - Tuning records as JSON --------------------------------===//
//
// One file holds the records of every CPU and target:
//   {"version": 1, "records": [{"cpu": "...", "target": "...",
//     "kernel": "<signature>", "stage": "<what it computes>",
//     "winograd": 4, "loop": "auto", "ms": 0.41, "default_ms": 0.45}]}
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
using Loop = StageChoice::Loop;

/// The loops a record may name: those tuning measures (convLoopName's
/// names).
static bool recordable(Loop loop) {
  return loop == Loop::Auto || loop == Loop::Rows || loop == Loop::WholeRows ||
         loop == Loop::Blocked;
}

std::string cnnc::codegen::describeChoice(const StageChoice &choice) {
  if (choice.winograd > 0)
    return "winograd F(" + std::to_string(choice.winograd) + "x" +
           std::to_string(choice.winograd) + ", 3x3)";
  return std::string("direct, ") + convLoopName(choice.loop);
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
  r.choice.winograd = static_cast<int>(*winograd);
  std::optional<llvm::StringRef> name = o->getString("loop");
  std::optional<Loop> loop = name ? convLoopNamed(*name) : std::nullopt;
  if (!loop || !recordable(*loop))
    return bad("'loop' must be auto, rows, whole-rows or blocked");
  r.choice.loop = *loop;
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
  if (!records || top->getInteger("version") != 1)
    return failure("tuning records " + path +
                   ": expected {\"version\": 1, \"records\": [...]}");
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
                                       {"winograd", r.choice.winograd},
                                       {"loop", convLoopName(r.choice.loop)},
                                       {"ms", r.ms},
                                       {"default_ms", r.defaultMs}});
  llvm::json::Value file(
      llvm::json::Object{{"version", 1}, {"records", std::move(array)}});
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
