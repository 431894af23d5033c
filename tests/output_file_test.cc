// Output files: a regular file is replaced whole and a symlink to one keeps
// pointing at the new contents; a FIFO or a character device is written
// through and stays what it was; a socket is refused, and so is a stream
// where the output must be a regular file; an output that is not committed
// leaves the path as it was; two outputs that are one file, by any path,
// are refused. Text is made valid UTF-8, checked against nlohmann's parser.
#include "io/output_file.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "cli_runner.h"
#include "io/utf8.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::read_text_file;
using testing::ScratchDirectory;

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Files in `directory` whose name holds ".tmp.": leftover temporaries.
std::vector<std::string> temporaries_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) names.push_back(name);
  }
  return names;
}

mode_t type_of(const fs::path& path) {
  struct stat info;
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & S_IFMT;
}

TEST(OutputFile, ReplacesARegularFileWholeAndLeavesNoTemporary) {
  ScratchDirectory scratch("output_regular");
  const fs::path path = scratch.path() / "out.json";
  write_text(path, "old contents that are longer than the new ones");
  ASSERT_TRUE(write_file_atomically(path, "new").ok());
  EXPECT_EQ(read_text_file(path), "new");
  EXPECT_THAT(temporaries_in(scratch.path()), IsEmpty());
}

TEST(OutputFile, WithoutCommitThePathIsUnchanged) {
  ScratchDirectory scratch("output_uncommitted");
  const fs::path path = scratch.path() / "out.json";
  write_text(path, "kept");
  {
    absl::StatusOr<OutputFile> out = OutputFile::open(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->write(std::string(1 << 20, 'x')).ok());
  }
  EXPECT_EQ(read_text_file(path), "kept");
  EXPECT_THAT(temporaries_in(scratch.path()), IsEmpty());
}

TEST(OutputFile, FollowsASymlinkAndKeepsIt) {
  ScratchDirectory scratch("output_symlink");
  const fs::path target = scratch.path() / "target.json";
  const fs::path link = scratch.path() / "link.json";
  write_text(target, "old");
  fs::create_symlink(target.filename(), link);
  ASSERT_TRUE(check_writable(link).ok());
  ASSERT_TRUE(write_file_atomically(link, "new").ok());
  EXPECT_EQ(type_of(link), S_IFLNK);
  EXPECT_EQ(read_text_file(target), "new");
}

TEST(OutputFile, RefusesADanglingSymlink) {
  ScratchDirectory scratch("output_dangling");
  const fs::path link = scratch.path() / "link.json";
  fs::create_symlink("missing.json", link);
  const absl::Status status = check_writable(link);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(type_of(link), S_IFLNK);
}

TEST(OutputFile, WritesThroughAFifoAndLeavesItAFifo) {
  ScratchDirectory scratch("output_fifo");
  const fs::path fifo = scratch.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ASSERT_TRUE(check_writable(fifo).ok());
  std::future<std::string> read =
      std::async(std::launch::async, [&] { return read_text_file(fifo); });
  const std::string text(200000, 'j');  // more than a pipe buffers
  ASSERT_TRUE(write_file_atomically(fifo, text).ok());
  EXPECT_EQ(read.get(), text);
  EXPECT_EQ(type_of(fifo), S_IFIFO);
  EXPECT_THAT(temporaries_in(scratch.path()), IsEmpty());
}

TEST(OutputFile, ACheckpointMustBeARegularFile) {
  ScratchDirectory scratch("output_checkpoint_fifo");
  const fs::path fifo = scratch.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const absl::Status status = check_writable(fifo, Streams::kRefused);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(write_file_atomically(fifo, "x", Streams::kRefused).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(type_of(fifo), S_IFIFO);
}

TEST(OutputFile, WritesThroughACharacterDeviceAndLeavesIt) {
  ScratchDirectory scratch("output_device");
  // A null device of our own, so that a regression cannot replace the
  // system's /dev/null; making one needs root.
  const fs::path device = scratch.path() / "null";
  if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod needs root";
  }
  ASSERT_TRUE(check_writable(device).ok());
  ASSERT_TRUE(write_file_atomically(device, "discarded").ok());
  EXPECT_EQ(type_of(device), S_IFCHR);
  EXPECT_THAT(temporaries_in(scratch.path()), IsEmpty());
}

TEST(OutputFile, RefusesASocketAndADirectory) {
  ScratchDirectory scratch("output_socket");
  const fs::path path = scratch.path() / "socket";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  EXPECT_EQ(check_writable(path).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(write_file_atomically(path, "x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(type_of(path), S_IFSOCK);
  ::close(fd);
  EXPECT_EQ(check_writable(scratch.path()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OutputFile, TwoOutputsInOneFileAreRefusedWhateverThePath) {
  ScratchDirectory scratch("output_distinct");
  const fs::path file = scratch.path() / "run.sprec";
  write_text(file, "records");
  fs::create_directory(scratch.path() / "sub");
  fs::create_hard_link(file, scratch.path() / "hard");
  fs::create_symlink(file, scratch.path() / "soft");
  const std::string same[] = {
      file.string(),
      (scratch.path() / "." / "run.sprec").string(),
      (scratch.path() / "sub" / ".." / "run.sprec").string(),
      (scratch.path() / "hard").string(),
      (scratch.path() / "soft").string(),
  };
  for (const std::string& other : same) {
    const absl::Status status = check_distinct_outputs(
        {{"--records", file.string()}, {"--json", other}});
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << other;
    EXPECT_THAT(status.message(), HasSubstr("--records")) << other;
    EXPECT_THAT(status.message(), HasSubstr("--json")) << other;
  }
  // Not there yet: compared by their normalised absolute paths.
  const fs::path fresh = scratch.path() / "fresh.ckpt";
  EXPECT_FALSE(check_distinct_outputs(
                   {{"--records", fresh.string()},
                    {"--checkpoint",
                     (scratch.path() / "sub" / ".." / "fresh.ckpt").string()}})
                   .ok());
  const fs::path cwd = fs::current_path();
  fs::current_path(scratch.path());
  EXPECT_FALSE(check_distinct_outputs(
                   {{"--records", "fresh.ckpt"}, {"--json", fresh.string()}})
                   .ok());
  fs::current_path(cwd);
  EXPECT_TRUE(check_distinct_outputs({{"--records", file.string()},
                                      {"--json", fresh.string()},
                                      {"--checkpoint", ""},
                                      {"--resume", ""}})
                  .ok());
  EXPECT_TRUE(check_distinct_outputs(
                  {{"--json", "/dev/null"}, {"--checkpoint", "/dev/null"}})
                  .ok());
}

// Whether `text` is valid UTF-8, by nlohmann's parser: an oracle written
// apart from valid_utf8.
bool parses_as_utf8(const std::string& text) {
  return !nlohmann::json::parse("\"" + text + "\"", nullptr, false)
              .is_discarded();
}

TEST(ValidUtf8, KeepsValidTextAndReplacesEveryKindOfBadByte) {
  const std::string valid[] = {"",
                               "plain ascii",
                               "caf\xC3\xA9",
                               "\xE2\x82\xAC 20",
                               "\xF0\x9F\x8E\xB2 dice",
                               "\xEF\xBF\xBD",
                               "\xF4\x8F\xBF\xBF"};
  for (const std::string& text : valid) {
    ASSERT_TRUE(parses_as_utf8(text)) << text;
    EXPECT_EQ(valid_utf8(text), text);
  }
  // Markus Kuhn's decoder test cases: a lone continuation byte, a truncated
  // sequence, overlong forms, a surrogate, a code point above U+10FFFF,
  // bytes that never occur.
  const std::string invalid[] = {
      "\x80",         "a\xBFz",           "\xE2\x82",
      "\xC0\xAF",     "\xE0\x80\xAF",     "\xF0\x80\x80\xAF",
      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFE",
      "\xFF\xFF",     "ok \xC3 then \xA9"};
  for (const std::string& text : invalid) {
    ASSERT_FALSE(parses_as_utf8(text)) << text;
    const std::string fixed = valid_utf8(text);
    EXPECT_TRUE(parses_as_utf8(fixed)) << text;
    EXPECT_THAT(fixed, HasSubstr("\xEF\xBF\xBD")) << text;
  }
  EXPECT_EQ(valid_utf8("a\xFFz"), "a\xEF\xBF\xBDz");
}

TEST(ValidUtf8, AgreesWithTheParserOnEveryTwoByteString) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      std::string text = {static_cast<char>(first), static_cast<char>(second)};
      // Control characters and quotes are JSON's business, not UTF-8's.
      if (first < 0x20 || first == '"' || first == '\\' || second < 0x20 ||
          second == '"' || second == '\\') {
        continue;
      }
      const bool valid = parses_as_utf8(text);
      EXPECT_EQ(valid_utf8(text) == text, valid) << first << " " << second;
      EXPECT_TRUE(parses_as_utf8(valid_utf8(text))) << first << " " << second;
    }
  }
}

TEST(JsonText, ReplacesInvalidUtf8InsteadOfThrowing) {
  const nlohmann::ordered_json json = {{"error", "bad \xFF byte"}};
  const std::string text = json_text(json, 2);
  const nlohmann::json back = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(back.is_discarded()) << text;
  EXPECT_EQ(back["error"], "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace selfplay
