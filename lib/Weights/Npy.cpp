//===- Npy.cpp - NumPy .npy files of f32 in C order -----------------------===//

#include "cnnc/Weights/Npy.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;

using namespace cnnc;

/// Larger arrays are refused: 4 TB of floats, and no size computed from
/// a shape can overflow.
static constexpr int64_t kMaxNpyElements = int64_t(1) << 40;

static Error npyError(StringRef path, const Twine &message) {
  return createStringError(inconvertibleErrorCode(), path + ": " + message);
}

/// The value text of `'key': value` in the header dictionary.
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

Expected<NpyArray> cnnc::readNpy(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file)
    return npyError(path, "cannot open: " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError(path, "not a .npy file (no \\x93NUMPY magic)");
  uint8_t major = bytes[6];
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = support::endian::read16le(bytes.data() + 8);
    headerStart = 10;
  } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
    headerLength = support::endian::read32le(bytes.data() + 8);
    headerStart = 12;
  } else {
    return npyError(path, "unsupported .npy version " + Twine(int(major)));
  }
  if (headerStart + headerLength > bytes.size())
    return npyError(path, "header runs past the end of the file");
  StringRef header = bytes.substr(headerStart, headerLength);

  std::optional<StringRef> descr = headerField(header, "descr");
  if (!descr || !descr->starts_with("'"))
    return npyError(path, "header has no 'descr'");
  StringRef dtype =
      descr->drop_front().take_until([](char c) { return c == '\''; });
  if (dtype != "<f4" && dtype != "=f4")
    return npyError(path, "holds dtype '" + dtype +
                              "', but only f32 ('<f4') is supported");
  std::optional<StringRef> fortran = headerField(header, "fortran_order");
  if (!fortran || !fortran->starts_with("False"))
    return npyError(path, "is not in C order (fortran_order must be False)");
  std::optional<StringRef> shapeText = headerField(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return npyError(path, "header has no 'shape' tuple");

  NpyArray array;
  StringRef dims =
      shapeText->drop_front().take_until([](char c) { return c == ')'; });
  SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  int64_t count = 1;
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return npyError(path, "shape entry '" + part + "' is not a size");
    array.shape.push_back(d);
    // Checked: (4611686018427387905,) would wrap around to 1 element.
    if (d != 0 && count > kMaxNpyElements / d)
      return npyError(path, "shape (" + dims.trim() +
                                ") has more than 2^40 "
                                "elements");
    count *= d;
  }
  StringRef data = bytes.drop_front(headerStart + headerLength);
  if (data.size() != static_cast<size_t>(count) * sizeof(float))
    return npyError(path, "holds " + Twine(data.size()) +
                              " data bytes, but its shape needs " +
                              Twine(count * sizeof(float)));
  array.data.resize(count);
  if (count) // an empty array's data pointer may be null
    std::memcpy(array.data.data(), data.data(), data.size());
  return array;
}

Error cnnc::writeNpy(StringRef path, ArrayRef<int64_t> shape,
                     ArrayRef<float> data) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int64_t d : shape)
    header += std::to_string(d) + ", ";
  if (shape.size() > 1)
    header.resize(header.size() - 1); // "(1, 3)" and the 1-tuple "(5,)"
  if (shape.size() > 1)
    header.back() = ')';
  else
    header += ")";
  header += ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  return writeToOutput(path, [&](raw_ostream &os) -> Error {
    os << "\x93NUMPY" << char(1) << char(0);
    char length[2];
    support::endian::write16le(length, static_cast<uint16_t>(header.size()));
    os.write(length, 2);
    os << header;
    os.write(reinterpret_cast<const char *>(data.data()),
             data.size() * sizeof(float));
    return Error::success();
  });
}
