#include "consumer/dead_letters.hpp"

#include <pqxx/pqxx>

#include "bus/headers_json.hpp"

namespace choreo::consumer {

std::vector<db::PreparedStatement> dead_letter_statements() {
  return {{"dead_letter_insert",
           "INSERT INTO tb_dead_letter (consumer, subject, stream_seq, event_id, headers, payload, "
           "reason, attempts) VALUES ($1, $2, $3, NULLIF($4, ''), $5::jsonb, $6::bytea, $7, $8) "
           // Already recorded: a redelivery after a crash between commit and term (see
           // sql/007_dead_letter_replays.sql). The first row, with the first reason, stays.
           "ON CONFLICT DO NOTHING"}};
}

std::string to_bytea_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0F]);
  }
  return out;
}

bool record_dead_letter(pqxx::transaction_base& tx, const DeadLetter& letter) {
  const auto headers_text = bus::headers_to_json(letter.headers);
  std::string reason = letter.reason.substr(0, 2000);
  const auto result = tx.exec_prepared(
      "dead_letter_insert", letter.consumer, letter.subject,
      static_cast<long long>(letter.stream_sequence), letter.event_id.value_or(""), headers_text,
      to_bytea_hex(letter.payload), reason, static_cast<long long>(letter.attempts));
  return result.affected_rows() == 1;
}

}  // namespace choreo::consumer
