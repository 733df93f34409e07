# Every service image, from one build: the C++ is compiled once (stage `build`) and each service's
# image is a target of its own on a slim runtime (stage `runtime`) that also carries choreoctl.
#   docker build --target payment-worker -t payment-worker .
# docker-compose.yml builds each service from here with its target. No `# syntax=` line: it would
# pull a frontend image, and the built-in one of Docker 20.10 and later does everything used here.

# --- build: Debian 12 with the -dev packages; the five services and choreoctl, Release ---------
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      libboost-dev libpqxx-dev libnats-dev nlohmann-json3-dev libspdlog-dev \
      prometheus-cpp-dev libcpp-jwt-dev libcpptoml-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the binaries are built from, so a change to tests or docs reuses the compiled layer.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY sql sql
COPY common common
COPY order-service order-service
COPY inventory-worker inventory-worker
COPY payment-worker payment-worker
COPY shipping-worker shipping-worker
COPY event-monitor event-monitor
COPY choreoctl choreoctl
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCHOREO_BUILD_TESTS=OFF \
 && cmake --build /build -j"$(nproc)" --target \
      order-service inventory-worker payment-worker shipping-worker event-monitor choreoctl \
 && mkdir /out \
 && for binary in order-service inventory-worker payment-worker shipping-worker event-monitor \
      choreoctl; do strip -o "/out/$binary" "/build/$binary/$binary"; done

# --- runtime: Debian 12 slim, the shared libraries the binaries link, a non-root user ----------
FROM debian:12-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpqxx-6.4 libnats3.4 libspdlog1.10 libprometheus-cpp-core1.0 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin choreo
# The operator's CLI in every image: `docker compose exec order-service choreoctl token`.
COPY --from=build /out/choreoctl /usr/local/bin/choreoctl
USER choreo
ENV LOG_FORMAT=json

# --- one target per service: its binary, its port, a health check by the binary itself --------
FROM runtime AS order-service
COPY --from=build /out/order-service /usr/local/bin/order-service
ENV LISTEN_ADDR=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
  CMD ["order-service", "--healthcheck"]
ENTRYPOINT ["order-service"]

FROM runtime AS inventory-worker
COPY --from=build /out/inventory-worker /usr/local/bin/inventory-worker
ENV LISTEN_ADDR=0.0.0.0:9101
EXPOSE 9101
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
  CMD ["inventory-worker", "--healthcheck"]
ENTRYPOINT ["inventory-worker"]

FROM runtime AS payment-worker
COPY --from=build /out/payment-worker /usr/local/bin/payment-worker
ENV LISTEN_ADDR=0.0.0.0:9102
EXPOSE 9102
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
  CMD ["payment-worker", "--healthcheck"]
ENTRYPOINT ["payment-worker"]

FROM runtime AS shipping-worker
COPY --from=build /out/shipping-worker /usr/local/bin/shipping-worker
ENV LISTEN_ADDR=0.0.0.0:9103
EXPOSE 9103
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
  CMD ["shipping-worker", "--healthcheck"]
ENTRYPOINT ["shipping-worker"]

FROM runtime AS event-monitor
COPY --from=build /out/event-monitor /usr/local/bin/event-monitor
ENV LISTEN_ADDR=0.0.0.0:9104
EXPOSE 9104
HEALTHCHECK --interval=3s --timeout=3s --start-period=60s --retries=3 \
  CMD ["event-monitor", "--healthcheck"]
ENTRYPOINT ["event-monitor"]
