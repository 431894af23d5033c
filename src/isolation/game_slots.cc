#include "isolation/game_slots.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace selfplay::isolation {
namespace {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "slots shared between processes must be lock-free");

using Slot = std::atomic<std::uint64_t>;

absl::Status system_error(std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(std::string(what), ": ", std::strerror(errno)));
}

absl::StatusOr<Slot*> map_slots(int fd, std::size_t count) {
  void* memory = ::mmap(nullptr, count * sizeof(Slot), PROT_READ | PROT_WRITE,
                        MAP_SHARED, fd, 0);
  if (memory == MAP_FAILED) return system_error("mmap of the game slots");
  return static_cast<Slot*>(memory);
}

}  // namespace

absl::StatusOr<GameSlots> GameSlots::create(int threads) {
  if (threads < 1) {
    return absl::InvalidArgumentError("game slots for no thread");
  }
  const std::size_t count = static_cast<std::size_t>(threads);
  const int created = ::memfd_create("selfplay-game-slots", MFD_CLOEXEC);
  if (created < 0) return system_error("memfd_create");
  const int fd = ::fcntl(created, F_DUPFD_CLOEXEC, kWorkerSlotsFd + 1);
  const int dup_error = errno;
  ::close(created);
  if (fd < 0) {
    errno = dup_error;
    return system_error("fcntl(F_DUPFD_CLOEXEC)");
  }
  // A new memfd reads as zeros: every slot starts idle.
  if (::ftruncate(fd, static_cast<off_t>(count * sizeof(Slot))) != 0) {
    const absl::Status error = system_error("ftruncate of the game slots");
    ::close(fd);
    return error;
  }
  absl::StatusOr<Slot*> slots = map_slots(fd, count);
  if (!slots.ok()) {
    ::close(fd);
    return slots.status();
  }
  return GameSlots(fd, *slots, count);
}

absl::StatusOr<GameSlots> GameSlots::attach(int fd, int threads) {
  struct stat info;
  if (threads < 1 || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
      info.st_size < static_cast<off_t>(threads * sizeof(Slot))) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        "descriptor ", fd, " holds no slots for ", threads, " threads"));
  }
  absl::StatusOr<Slot*> slots = map_slots(fd, threads);
  if (!slots.ok()) {
    ::close(fd);
    return slots.status();
  }
  return GameSlots(fd, *slots, threads);
}

GameSlots::GameSlots(GameSlots&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      slots_(std::exchange(other.slots_, nullptr)),
      count_(std::exchange(other.count_, 0)) {}

GameSlots& GameSlots::operator=(GameSlots&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    slots_ = std::exchange(other.slots_, nullptr);
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

GameSlots::~GameSlots() { release(); }

void GameSlots::release() {
  if (slots_ != nullptr) ::munmap(slots_, count_ * sizeof(Slot));
  if (fd_ >= 0) ::close(fd_);
  slots_ = nullptr;
  fd_ = -1;
  count_ = 0;
}

}  // namespace selfplay::isolation
