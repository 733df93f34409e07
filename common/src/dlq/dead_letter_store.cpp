#include "dlq/dead_letter_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>

#include "bus/headers_json.hpp"

namespace choreo::dlq {
namespace {

// Columns in the order read_record expects. The payload travels as hex: it may be any bytes.
constexpr const char* kColumns =
    "pk_dead_letter, consumer, subject, stream_seq, event_id, headers::text, "
    "encode(payload, 'hex'), reason, attempts, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(replayed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), replays";

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  throw std::runtime_error("unexpected payload encoding from the database");
}

std::string from_hex(const std::string& hex) {
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1])));
  return bytes;
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null())
    return std::nullopt;
  return field.as<std::string>();
}

DeadLetterRecord read_record(const pqxx::row& row, const DeadLetterTable& table) {
  DeadLetterRecord record;
  record.service = table.service;
  record.id = row[0].as<long long>();
  record.consumer = row[1].as<std::string>();
  record.subject = row[2].as<std::string>();
  record.stream_sequence = row[3].as<long long>();
  record.event_id = optional_text(row[4]);
  record.headers = bus::headers_from_json(row[5].c_str());
  record.payload = from_hex(row[6].as<std::string>());
  record.reason = row[7].as<std::string>();
  record.attempts = row[8].as<long long>();
  record.created_at = row[9].as<std::string>();
  record.replayed_at = optional_text(row[10]);
  record.replays = row[11].as<long long>();
  return record;
}

std::string qualified(pqxx::transaction_base& tx, const DeadLetterTable& table) {
  return tx.quote_name(table.schema) + ".tb_dead_letter";
}

}  // namespace

std::vector<DeadLetterRecord> list_dead_letters(pqxx::transaction_base& tx,
                                                const DeadLetterTable& table,
                                                const ListFilter& filter) {
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kColumns + " FROM " + qualified(tx, table) +
          " WHERE ($1 OR replayed_at IS NULL) AND ($2::text IS NULL OR consumer = $2) AND "
          "($4::text IS NULL OR strpos(reason, $4) > 0) AND ($5::bigint IS NULL OR "
          "created_at >= now() - make_interval(secs => $5::bigint / 1000.0)) "
          "ORDER BY pk_dead_letter DESC LIMIT $3",
      filter.include_replayed, filter.consumer, filter.limit, filter.reason_contains,
      filter.recorded_within ? std::optional<long long>(filter.recorded_within->count())
                             : std::nullopt);
  std::vector<DeadLetterRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows)
    records.push_back(read_record(row, table));
  return records;
}

std::vector<DeadLetterRecord> dead_letters_of_events(pqxx::transaction_base& tx,
                                                     const DeadLetterTable& table,
                                                     const std::vector<std::string>& event_ids) {
  std::vector<DeadLetterRecord> records;
  if (event_ids.empty())
    return records;
  const auto rows =
      tx.exec_params(std::string("SELECT ") + kColumns + " FROM " + qualified(tx, table) +
                         " WHERE event_id IN (SELECT jsonb_array_elements_text($1::jsonb)) "
                         "ORDER BY pk_dead_letter",
                     nlohmann::json(event_ids).dump());
  for (const auto& row : rows)
    records.push_back(read_record(row, table));
  return records;
}

std::optional<DeadLetterRecord> lock_dead_letter(pqxx::transaction_base& tx,
                                                 const DeadLetterTable& table, long long id,
                                                 std::chrono::milliseconds inbox_retention) {
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kColumns +
          ", created_at < now() - make_interval(secs => $2::double precision / 1000) FROM " +
          qualified(tx, table) + " WHERE pk_dead_letter = $1 FOR UPDATE",
      id, static_cast<long long>(inbox_retention.count()));
  if (rows.empty())
    return std::nullopt;
  auto record = read_record(rows[0], table);
  record.older_than_inbox_retention = rows[0][12].as<bool>();
  return record;
}

void mark_replayed(pqxx::transaction_base& tx, const DeadLetterTable& table,
                   const DeadLetterRecord& letter) {
  tx.exec_params("UPDATE " + qualified(tx, table) +
                     " SET replayed_at = now(), replays = replays + 1 WHERE pk_dead_letter = $1",
                 letter.id);
}

std::vector<DeadLetterRecord> mark_same_event_replayed(pqxx::transaction_base& tx,
                                                       const DeadLetterTable& table,
                                                       const DeadLetterRecord& letter,
                                                       const std::string& replayed_event_id) {
  // The letter itself is skipped when this is its own table.
  const long long own_id = table.service == letter.service ? letter.id : 0;
  const auto rows = tx.exec_params(
      "UPDATE " + qualified(tx, table) +
          " SET replayed_at = now() WHERE pk_dead_letter <> $1 AND "
          "replayed_at IS NULL AND subject = $2 AND "
          // A row without an event id is known by events::stream_sequence_event_id().
          "coalesce(event_id, 'stream-seq-' || stream_seq) = $3 RETURNING " +
          kColumns,
      own_id, letter.subject, replayed_event_id);
  std::vector<DeadLetterRecord> records;
  for (const auto& row : rows)
    records.push_back(read_record(row, table));
  return records;
}

}  // namespace choreo::dlq
