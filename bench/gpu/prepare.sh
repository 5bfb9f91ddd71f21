#!/usr/bin/env bash
# Builds .carry/ (git-ignored) for bench/gpu/run.sh on a GPU machine with no
# network: the Deno binary and onnxruntime-node's Linux x64 library,
# xz-compressed; the few npm packages generation needs, laid out as a plain
# node_modules (Deno runs them with --node-modules-dir=manual, no registry);
# and the Vulkan loader packages WebGPU needs. Run it here, from the repo root:
#
#   deno install && bash bench/gpu/prepare.sh
#
# then carry ".carry" with the working tree (about 45 MiB) and run
# `bash bench/gpu/run.sh` there.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
carry="$root/.carry"
store="$root/node_modules/.deno"
if [ ! -d "$store/onnxruntime-node@1.30.0" ]; then
  echo "prepare.sh: run 'deno install' first (node_modules/.deno has no onnxruntime-node@1.30.0)" >&2
  exit 1
fi
rm -rf "$carry"
mkdir -p "$carry/node_modules/@huggingface" "$carry/gl"

# The Deno binary that runs the benchmark (same version as here).
deno_bin=$(readlink -f "$(command -v deno)")
echo "prepare.sh: compressing $deno_bin ($(deno --version | head -1))"
xz -T0 -6 -c "$deno_bin" > "$carry/deno.xz"

# npm packages, flat (Node's layout), Linux x64 binaries only.
copy_pkg() { # store-dir name target
  cp -r "$store/$1/node_modules/$2" "$carry/node_modules/$3"
}
copy_pkg onnxruntime-common@1.30.0 onnxruntime-common onnxruntime-common
copy_pkg @huggingface+tokenizers@0.2.0 @huggingface/tokenizers @huggingface/tokenizers
copy_pkg @huggingface+jinja@0.5.11 @huggingface/jinja @huggingface/jinja
ort="$carry/node_modules/onnxruntime-node"
mkdir -p "$ort/bin/napi-v6/linux/x64"
src="$store/onnxruntime-node@1.30.0/node_modules/onnxruntime-node"
cp -r "$src/package.json" "$src/dist" "$ort/"
cp "$src/bin/napi-v6/linux/x64/onnxruntime_binding.node" "$ort/bin/napi-v6/linux/x64/"
echo "prepare.sh: compressing libonnxruntime.so.1"
xz -T0 -6 -c "$src/bin/napi-v6/linux/x64/libonnxruntime.so.1" > "$carry/libonnxruntime.so.1.xz"
# Any CUDA provider libraries installed here (deno install --allow-scripts) go too.
for lib in "$src"/bin/napi-v6/linux/x64/libonnxruntime_providers_*.so; do
  [ -e "$lib" ] && xz -T0 -6 -c "$lib" > "$carry/$(basename "$lib").xz"
done

# Vulkan loader (and GL/EGL loaders) for Dawn's Vulkan backend: amd64 .debs.
lists=/tmp/amd64-lists
mkdir -p "$lists/partial"
opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
if apt-get "${opts[@]}" update >/dev/null 2>&1; then
  (cd "$carry/gl" && apt-get "${opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
else
  echo "prepare.sh: warning: apt-get update failed; no Vulkan loader debs (WebGPU may find no adapter)" >&2
fi

du -sh "$carry"
echo "prepare.sh: done. Carry .carry with the working tree; run: bash bench/gpu/run.sh"
