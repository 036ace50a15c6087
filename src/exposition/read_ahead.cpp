// ExpositionParser::feed_from: the input read and its lines lexed on a second thread while this
// one interns and stores. Reading, finding lines and tokenizing samples (numbers, UTF-8 checks,
// hashes of label values) are about half of a parse, and none of it needs the parser's state;
// the machine's second core would otherwise sit idle.
//
// The reader fills one of a few buffers, lexes its complete lines (lexed_lines.hpp) and queues
// it; the parser takes buffers in order and hands each back once its lines are parsed. A line
// cut by the end of a read is copied to the start of the next buffer.

#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "exposition/lexed_lines.hpp"
#include "exposition/parser_impl.hpp"

namespace e2e3d {

namespace {

// Enough in flight that neither side waits for the other on a jitter, and each read large
// enough that the hand-over costs nothing next to the parse of its lines.
constexpr std::size_t kBuffers = 4;
constexpr std::size_t kReadSize = std::size_t{1} << 20;
// How far ahead the parser prefetches hash-table slots: enough lines to cover a memory latency.
constexpr std::size_t kPrefetchLines = 8;

struct Buffer {
  std::vector<char> bytes;
  std::size_t carried = 0;     // bytes at the start that the previous read left unfinished
  std::size_t size = 0;        // carried + read
  std::size_t lines_end = 0;   // just past the last '\n'; the rest moves on to the next buffer
  bool last = false;           // the end of the input (or a failed read)
  std::exception_ptr failure;  // what `read` threw
  detail::LexedChunk lexed;
};

class ReadAhead {
 public:
  ReadAhead(const ExpositionParser::ReadFunction& read, std::string carry)
      : read_(read), carry_(std::move(carry)) {
    for (Buffer& buffer : buffers_)
      free_.push_back(&buffer);
    thread_ = std::thread([this] { run(); });
  }
  ~ReadAhead() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next buffer in input order; waits for the reader.
  Buffer& next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty(); });
    Buffer* buffer = full_.front();
    full_.pop_front();
    return *buffer;
  }

  void give_back(Buffer& buffer) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(&buffer);
    }
    changed_.notify_all();
  }

 private:
  void run() {
    for (;;) {
      Buffer* buffer = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !free_.empty(); });
        if (stopping_) return;
        buffer = free_.back();
        free_.pop_back();
      }
      const bool more = fill(*buffer);
      {
        std::lock_guard lock(mutex_);
        full_.push_back(buffer);
      }
      changed_.notify_all();
      if (!more) return;
    }
  }

  // Reads into `buffer` after the carried line and lexes its complete lines; false at the end.
  bool fill(Buffer& buffer) {
    buffer.bytes.resize(carry_.size() + kReadSize);
    std::memcpy(buffer.bytes.data(), carry_.data(), carry_.size());
    buffer.carried = carry_.size();
    buffer.lexed.lines.clear();
    buffer.lexed.labels.clear();
    buffer.lines_end = 0;
    std::size_t n = 0;
    try {
      n = read_(buffer.bytes.data() + buffer.carried, kReadSize);
    } catch (...) {
      buffer.failure = std::current_exception();
    }
    buffer.size = buffer.carried + n;
    if (buffer.failure || n == 0) {
      buffer.last = true;
      return false;
    }
    const char* begin = buffer.bytes.data();
    const char* read_at = begin + buffer.carried;
    const auto* newline = static_cast<const char*>(memrchr(read_at, '\n', n));
    if (newline != nullptr) {
      buffer.lines_end = static_cast<std::size_t>(newline + 1 - begin);
      detail::lex_lines(begin, newline + 1, buffer.lexed);
    }
    carry_.assign(begin + buffer.lines_end, begin + buffer.size);
    return true;
  }

  const ExpositionParser::ReadFunction& read_;
  std::string carry_;  // reader thread only

  Buffer buffers_[kBuffers];
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Buffer*> free_;
  std::deque<Buffer*> full_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

void ExpositionParser::feed_from(const ReadFunction& read,
                                 const std::function<void(std::string_view chunk)>& inspect) {
  Impl& impl = *impl_;
  if (impl.failure) throw *impl.failure;
  if (impl.finished) throw Error(ErrorKind::parse, "ExpositionParser::feed_from after finish");
  std::string carry = std::move(impl.carry);
  impl.carry.clear();
  ReadAhead reader(read, std::move(carry));
  try {
    for (;;) {
      Buffer& buffer = reader.next();
      if (buffer.failure) std::rethrow_exception(buffer.failure);
      const std::string_view chunk(buffer.bytes.data() + buffer.carried,
                                   buffer.size - buffer.carried);
      if (inspect && !chunk.empty()) inspect(chunk);
      const detail::LexedLabel* labels = buffer.lexed.labels.data();
      const std::vector<detail::LexedLine>& lines = buffer.lexed.lines;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        // A new label value costs a cache miss on its hash-table slot. The hashes are known
        // ahead, so the slots of a later line load while this one is parsed.
        if (i + kPrefetchLines < lines.size()) {
          const detail::LexedLine& later = lines[i + kPrefetchLines];
          for (uint32_t k = 0; k < later.label_count; ++k)
            impl.builder.prefetch(labels[later.first_label + k].value_hash);
        }
        impl.on_lexed_line(lines[i], labels);
      }
      if (buffer.last) {
        // What is left has no '\n': feed() keeps it for finish(), or for a later feed().
        impl.carry.assign(buffer.bytes.data() + buffer.lines_end, buffer.size - buffer.lines_end);
        return;
      }
      reader.give_back(buffer);
    }
  } catch (const ParseError& error) {
    impl.failure = error;
    throw;
  }
}

}  // namespace e2e3d
