# Multi-stage build of the gpubroker server: build with the Rust toolchain, run on a slim base as a
# non-root user.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin gpubroker

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home /var/lib/gpubroker gpubroker \
    && mkdir -p /var/lib/gpubroker && chown gpubroker /var/lib/gpubroker
COPY --from=build /src/target/release/gpubroker /usr/local/bin/gpubroker
USER gpubroker
WORKDIR /var/lib/gpubroker
ENV GPUBROKER__SERVER__LISTEN=0.0.0.0:8080 GPUBROKER__LOG__FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gpubroker"]
CMD ["serve"]
