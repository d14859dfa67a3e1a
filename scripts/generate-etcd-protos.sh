#!/usr/bin/env bash
# Regenerates Sources/KubeStoreEtcd/Generated from the trimmed etcd protos in
# Sources/KubeStoreEtcd/Protos. Run it only when the .proto files change; the output is committed
# (the package has no build plugins, so normal builds never need protoc).
#
# Needs protoc (apt-get install -y protobuf-compiler) and builds protoc-gen-swift and
# protoc-gen-grpc-swift-2 in a scratch directory outside the repository (default /tmp/skiff-protoc,
# override with SKIFF_PROTOC_SCRATCH). Git URLs may be redirected to a local mirror by git config.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="${SKIFF_PROTOC_SCRATCH:-/tmp/skiff-protoc}"
protobuf_version="${SWIFT_PROTOBUF_VERSION:-1.39.0}"
grpc_protobuf_version="${GRPC_SWIFT_PROTOBUF_VERSION:-2.4.1}"

command -v protoc >/dev/null 2>&1 || {
  echo "generate-etcd-protos: protoc not found (apt-get install -y protobuf-compiler)" >&2
  exit 1
}

mkdir -p "$scratch"
if [[ ! -d "$scratch/grpc-swift-protobuf" ]]; then
  git clone -q https://github.com/grpc/grpc-swift-protobuf "$scratch/grpc-swift-protobuf"
fi
git -C "$scratch/grpc-swift-protobuf" checkout -q "$grpc_protobuf_version"
# grpc-swift-protobuf depends on swift-protobuf, so one package builds both plugins. Pin
# swift-protobuf to the version the package itself resolves.
(
  cd "$scratch/grpc-swift-protobuf"
  swift package resolve
  swift package resolve swift-protobuf --version "$protobuf_version"
  swift build -c release --product protoc-gen-grpc-swift-2
  swift build -c release --product protoc-gen-swift
)
bin="$(cd "$scratch/grpc-swift-protobuf" && swift build -c release --show-bin-path)"

protos="$repo/Sources/KubeStoreEtcd/Protos"
out="$repo/Sources/KubeStoreEtcd/Generated"
rm -rf "$out"
mkdir -p "$out"
cd "$protos"
# Messages for both files; gRPC clients only for rpc.proto (kv.proto has no services).
protoc \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$out" \
  --swift_opt=Visibility=Internal,FileNaming=PathToUnderscores \
  mvccpb/kv.proto etcdserverpb/rpc.proto
protoc \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="$out" \
  --grpc-swift-2_opt=Visibility=Internal,Server=false,Client=true,FileNaming=PathToUnderscores \
  etcdserverpb/rpc.proto
# The clients use KubeStoreEtcd's own ProtobufSerializer/ProtobufDeserializer (ProtobufCoding.swift)
# instead of grpc-swift-protobuf's, so the package need not depend on it (and build its plugins).
sed -i '/^import GRPCProtobuf$/d; s/GRPCProtobuf\.ProtobufSerializer/ProtobufSerializer/g; s/GRPCProtobuf\.ProtobufDeserializer/ProtobufDeserializer/g' \
  "$out/etcdserverpb_rpc.grpc.swift"
echo "generate-etcd-protos: wrote $(ls "$out" | tr '\n' ' ')"
