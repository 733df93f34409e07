#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace choreo::config {
class EnvReader;
}

namespace choreo::bus {

struct NatsSettings {
  std::vector<std::string> urls;  // several for a cluster; the client fails over between them
  std::string client_name;        // shows in the server's connection list
  std::chrono::milliseconds reconnect_wait{250};
  std::chrono::milliseconds request_timeout{5000};  // JetStream API calls and publish acks
  // Copies of the stream a new stream is created with (NATS_STREAM_REPLICAS, 1-5): 3 on a
  // three-node cluster, so one node down loses nothing.
  int stream_replicas = 1;
};

// docs/events.md ("The stream"): one stream `events` over `events.>`, file storage, duplicate
// window >= 2 min.
struct StreamSettings {
  std::string name = "events";
  std::vector<std::string> subjects = {"events.>"};
  std::chrono::seconds duplicate_window{120};
  int replicas = 1;
};

// The `events` stream as every process that may create it must ask for it: with the replicas its
// NATS settings name (the first to start creates it, whichever binary that is).
StreamSettings events_stream(const NatsSettings& nats);

struct ConsumerSettings {
  std::string stream = "events";
  std::string durable;
  std::string filter_subject;
  // How long the server waits for an ack before redelivering (a crashed or hung instance).
  std::chrono::milliseconds ack_wait{30'000};
  std::int64_t max_ack_pending = 1000;
};

// NATS_URL: one URL or a comma-separated list; NATS_RECONNECT_WAIT, NATS_REQUEST_TIMEOUT,
// NATS_STREAM_REPLICAS.
NatsSettings load_nats_settings(const config::EnvReader& env, std::string client_name);

}  // namespace choreo::bus
