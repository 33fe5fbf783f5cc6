# Multi-stage build of the gpubroker server: compile with the Rust toolchain, run on a slim base
# as a non-root user with nothing but the binary and CA certificates (PayPal, AWS over TLS).
FROM rust:1.95-slim-bookworm AS build
# librdkafka (bundled by rdkafka-sys) builds with make and a C/C++ compiler.
RUN apt-get update && apt-get install -y --no-install-recommends make g++ perl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin gpubroker && strip target/release/gpubroker

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/gpubroker gpubroker \
    && mkdir -p /var/lib/gpubroker && chown gpubroker /var/lib/gpubroker
COPY --from=build /src/target/release/gpubroker /usr/local/bin/gpubroker
USER 10001
WORKDIR /var/lib/gpubroker
ENV GPUBROKER__SERVER__LISTEN=0.0.0.0:8080 GPUBROKER__LOG__FORMAT=json \
    GPUBROKER__DATABASE__DATA_DIR=/var/lib/gpubroker
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gpubroker"]
CMD ["serve"]
