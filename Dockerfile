# kubecred in an image that holds nothing but the static binary.
#
#   docker build -t kubecred .
#   docker run --rm -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY kubecred \
#       eks get-token --cluster-name demo --region eu-west-1
#
# The final stage is FROM scratch: no shell, no /etc, no CA bundle. kubecred
# carries its own trust roots and needs no HOME; mount a CA bundle and point
# SSL_CERT_FILE at it for a private CA.

FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml build.rs ./
COPY crates ./crates
COPY src ./src
RUN cargo build --release --locked --target x86_64-unknown-linux-musl

FROM scratch
COPY --from=build /src/target/x86_64-unknown-linux-musl/release/kubecred /kubecred
USER 65532:65532
ENTRYPOINT ["/kubecred"]
