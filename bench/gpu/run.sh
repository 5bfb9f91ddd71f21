#!/usr/bin/env bash
# The GPU benchmark, for a machine with an NVIDIA GPU, PyTorch + transformers
# and no network (about 6-8 minutes). Needs .carry/ from bench/gpu/prepare.sh.
#
#   bash bench/gpu/run.sh            # results in $OUT (default out/gpu)
#
# 1. unpacks the carried Deno, onnxruntime-node and Vulkan loader;
# 2. `gen` end to end on 4 questions with --ep webgpu (the real command);
# 3. llm-judge's ONNX backend on WebGPU, batch 1 and 8, on a synthesized
#    ~112M-parameter Llama ("small") and, if time allows, ~310M ("medium");
# 4. Hugging Face transformers + PyTorch (eager, float32 and bfloat16) on the
#    same shapes and prompt token ids, random weights;
# 5. the onnxruntime CPU provider on the small shape, for reference;
# 6. summary.md and summary.json in $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-out/gpu}
mkdir -p "$OUT"
START=$(date +%s)
BUDGET=${BUDGET:-450}
work=/tmp/llmj
mkdir -p "$work/models"
log() { echo "[$(date +%T) +$(($(date +%s) - START))s] $*" | tee -a "$OUT/run.log"; }
left() { echo $((BUDGET - ($(date +%s) - START))); }

log "unpacking .carry"
if [ ! -f .carry/deno.xz ]; then
  log "no .carry/deno.xz: run bench/gpu/prepare.sh where there is network, and carry .carry"
  exit 1
fi
python3 - <<'PY' || exit 1
import lzma, os, shutil, glob
def unxz(src, dst):
    with lzma.open(src) as f, open(dst, "wb") as g:
        shutil.copyfileobj(f, g, 1 << 22)
unxz(".carry/deno.xz", "/tmp/llmj/deno")
os.chmod("/tmp/llmj/deno", 0o755)
lib = ".carry/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
for src in glob.glob(".carry/*.so*.xz"):
    unxz(src, os.path.join(lib, os.path.basename(src)[:-3]))
PY
rm -rf node_modules
cp -r .carry/node_modules node_modules
export DENO_DIR="$work/deno_dir" DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
DENO=("$work/deno" run --node-modules-dir=manual --no-lock --allow-all)
"$work/deno" --version | head -1 | tee -a "$OUT/run.log"

# Vulkan loader for Dawn (WebGPU); the NVIDIA ICD comes with the driver.
for f in .carry/gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
ldconfig 2>/dev/null
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$icd" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_DRIVER_FILES="$icd"
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; ldconfig -p | grep -i vulkan; } \
  >"$OUT/machine.txt" 2>&1
python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" \
  >>"$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt" | tee -a "$OUT/run.log"

log "gen end to end with --ep webgpu (4 questions, 64 tokens)"
"${DENO[@]}" scripts/make_llama.ts --out "$work/models/tiny" --layout optimum >>"$OUT/run.log" 2>&1
mkdir -p "$work/data/mt_bench"
cat >"$work/data/mt_bench/question.jsonl" <<'EOF'
{"question_id": 81, "category": "writing", "turns": ["Write a short poem.", "Now make it rhyme."]}
{"question_id": 82, "category": "math", "turns": ["What is 2+2?", "And 3+3?"]}
{"question_id": 83, "category": "stem", "turns": ["Explain gravity in one sentence."]}
{"question_id": 84, "category": "reasoning", "turns": ["Why is the sky blue?"]}
EOF
timeout 90 "${DENO[@]}" bench/gpu/gen_command.ts gen --model-path "$work/models/tiny" \
  --model-id tiny-webgpu --data-dir "$work/data" --ep webgpu --max-new-token 64 \
  >>"$OUT/run.log" 2>&1
echo "gen exit status: $?" | tee -a "$OUT/run.log"
cp "$work/data/mt_bench/model_answer/tiny-webgpu.jsonl" "$OUT/gen_webgpu_answers.jsonl" 2>/dev/null

for shape in small medium; do
  if [ "$shape" = medium ] && [ "$(left)" -lt 200 ]; then
    log "skipping the medium shape: $(left)s of the budget left"
    break
  fi
  log "ours, webgpu, $shape"
  timeout 180 "${DENO[@]}" bench/gpu/gen_gpu.ts --ep webgpu --shape "$shape" \
    --models "$work/models" --out "$OUT/ours_webgpu_$shape.json" >>"$OUT/run.log" 2>&1
  log "hf transformers, $shape"
  timeout 150 python3 bench/gpu/hf_bench.py --model-dir "$work/models/$shape" \
    --out "$OUT/hf_$shape.json" >>"$OUT/run.log" 2>&1
done

if [ "$(left)" -gt 60 ]; then
  log "ours, cpu (16 cores), small, for reference"
  timeout "$(( $(left) - 20 ))" "${DENO[@]}" bench/gpu/gen_gpu.ts --ep cpu --shape small \
    --models "$work/models" --repeat 1 --out "$OUT/ours_cpu_small.json" >>"$OUT/run.log" 2>&1
fi

log "summary"
python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import json, os, sys
out = sys.argv[1]
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except Exception:
        return None
rows, summary = [], {}
for shape in ["small", "medium"]:
    ours, hf = load(f"ours_webgpu_{shape}.json"), load(f"hf_{shape}.json")
    if ours is None and hf is None:
        continue
    entry = {"ours": ours, "hf": hf}
    summary[shape] = entry
    def cell(result, batch, key="tokensPerSecond"):
        value = (result or {}).get(f"batch{batch}", {}).get(key)
        return f"{value:.1f}" if isinstance(value, (int, float)) else "n/a"
    params = (ours or {}).get("parameters") or ((hf or {}).get("results", {}).get("float32", {}) or {}).get("parameters")
    label = f"{shape} ({params / 1e6:.0f}M)" if params else shape
    if ours:
        name = f"llm-judge {ours.get('ep', '?')} (kv {ours.get('kvCache', '?')})"
        if "error" in ours:
            name += f" ERROR: {ours['error'][:120]}"
        rows.append(f"| {label} | {name} | {cell(ours, 1)} ({cell(ours, 1, 'decodeTokensPerSecond')}) | {cell(ours, 8)} ({cell(ours, 8, 'decodeTokensPerSecond')}) | {cell(ours, 1, 'firstTokenMs')} |")
    for dtype, result in ((hf or {}).get("results") or {}).items():
        rows.append(f"| {label} | HF transformers {dtype} | {cell(result, 1)} ({cell(result, 1, 'decodeTokensPerSecond')}) | {cell(result, 8)} ({cell(result, 8, 'decodeTokensPerSecond')}) | {cell(result, 1, 'firstTokenMs')} |")
    if ours and hf:
        for dtype, result in (hf.get("results") or {}).items():
            for batch in (1, 8):
                a = (ours.get(f"batch{batch}") or {}).get("tokensPerSecond")
                b = (result.get(f"batch{batch}") or {}).get("tokensPerSecond")
                if a and b:
                    entry[f"ratio_batch{batch}_vs_{dtype}"] = a / b
cpu = load("ours_cpu_small.json")
if cpu:
    summary["cpu_small"] = cpu
    rows.append(f"| small | llm-judge cpu (reference) | {cpu.get('batch1', {}).get('tokensPerSecond', 0):.1f} | {cpu.get('batch8', {}).get('tokensPerSecond', 0):.1f} | {cpu.get('batch1', {}).get('firstTokenMs', 0):.0f} |")
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
print("| model | engine | batch 1 tok/s (decode) | batch 8 aggregate tok/s (decode) | first token ms (batch 1) |")
print("| --- | --- | --- | --- | --- |")
print("\n".join(rows))
for shape, entry in summary.items():
    for key, value in entry.items() if isinstance(entry, dict) else []:
        if key.startswith("ratio"):
            print(f"- {shape}: ours / HF {key[6:]}: {value:.2f}x")
PY
log "done in $(($(date +%s) - START))s"
