# kubecred: `make test` is what CI runs (through .ci/run).
CARGO ?= cargo
MUSL_TARGET ?= x86_64-unknown-linux-musl
STATIC_BIN := target/$(MUSL_TARGET)/release/kubecred

.PHONY: setup build static dist test test-aarch64 test-image bench bench-scale fuzz-smoke fuzz clean

# Installs what a clean machine lacks (musl tools, the musl target, test-only Python packages).
setup:
	scripts/setup

build:
	$(CARGO) build --release --locked

static:
	scripts/setup --musl
	$(CARGO) build --release --locked --target $(MUSL_TARGET)
	@ls -l $(STATIC_BIN)

# Release artifacts: static binaries for x86_64 and aarch64 and SHA256SUMS in dist/.
dist:
	scripts/dist

# The end-to-end tests again with the aarch64 binary under qemu-user (after `make dist`).
test-aarch64:
	scripts/test-aarch64

# The FROM scratch image from Dockerfile.dist, built and run with podman (after `make dist`).
test-image:
	scripts/test-image

# The static binary is built first when the musl target is there, for the
# empty-root test (tests/static_binary.rs); scripts/setup --musl installs it.
test:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	if rustup target list --installed 2>/dev/null | grep -qx $(MUSL_TARGET); then \
		$(CARGO) build --release --locked --target $(MUSL_TARGET); fi
	$(CARGO) test --locked

bench: build
	scripts/bench

# Org-sized AWS configs and kubeconfigs against the AWS CLI and kubectl (not a timed test).
bench-scale: build
	scripts/bench-scale

fuzz-smoke:
	scripts/fuzz-smoke

fuzz:
	scripts/fuzz-smoke --long

clean:
	$(CARGO) clean
