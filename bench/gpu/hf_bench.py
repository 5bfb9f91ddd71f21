"""Hugging Face transformers + PyTorch on the same Llama shape and prompt ids
as bench/gpu/gen_gpu.ts (random weights), for bench/gpu/run.sh.

Greedy generation of a fixed number of new tokens (min_new_tokens =
max_new_tokens), batch 1 and 8 (left padding), eager PyTorch as FastChat's
gen_model_answer uses it; tokens/s end to end and decode only, first-token
latency. Writes JSON.

Usage: python3 bench/gpu/hf_bench.py --model-dir /tmp/llmj/models/small \
         --dtypes float32,bfloat16 --new-tokens 128 --out FILE
"""

import argparse
import json
import statistics
import time

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--dtypes", default="float32,bfloat16")
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--out")
    args = parser.parse_args()

    with open(f"{args.model_dir}/shape.json") as f:
        shape = json.load(f)
    with open(f"{args.model_dir}/prompts.json") as f:
        prompts = json.load(f)
    head_dim = shape["hiddenSize"] // shape["numHeads"]
    config = LlamaConfig(
        vocab_size=shape["vocabSize"],
        hidden_size=shape["hiddenSize"],
        intermediate_size=shape["intermediateSize"],
        num_hidden_layers=shape["numLayers"],
        num_attention_heads=shape["numHeads"],
        num_key_value_heads=shape["numKvHeads"],
        head_dim=head_dim,
        max_position_embeddings=shape["maxPositions"],
        rms_norm_eps=shape["rmsEps"],
        rope_theta=shape["ropeTheta"],
        tie_word_embeddings=False,
        bos_token_id=256,
        eos_token_id=259,
        pad_token_id=260,
    )
    device = torch.device("cuda")
    report = {
        "engine": f"transformers {transformers.__version__} + torch {torch.__version__} (eager)",
        "gpu": torch.cuda.get_device_name(0),
        "newTokens": args.new_tokens,
        "repeat": args.repeat,
        "results": {},
    }

    def batch_inputs(size: int):
        rows = prompts[:size]
        width = max(len(row) for row in rows)
        ids = torch.full((size, width), 260, dtype=torch.long)
        mask = torch.zeros((size, width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, width - len(row):] = torch.tensor(row)
            mask[i, width - len(row):] = 1
        return ids.to(device), mask.to(device)

    for dtype_name in args.dtypes.split(","):
        dtype = getattr(torch, dtype_name)
        torch.manual_seed(0)
        with torch.device(device):
            model = LlamaForCausalLM(config)
        model = model.to(dtype).eval()
        parameters = sum(p.numel() for p in model.parameters())
        result = {"parameters": parameters}

        def generate(ids, mask, tokens):
            torch.cuda.synchronize()
            started = time.perf_counter()
            with torch.inference_mode():
                model.generate(
                    input_ids=ids,
                    attention_mask=mask,
                    max_new_tokens=tokens,
                    min_new_tokens=tokens,
                    do_sample=False,
                    pad_token_id=260,
                )
            torch.cuda.synchronize()
            return time.perf_counter() - started

        for size in [int(b) for b in args.batches.split(",")]:
            ids, mask = batch_inputs(size)
            generate(ids, mask, args.new_tokens)  # warm-up
            first, total = [], []
            for _ in range(args.repeat):
                first.append(generate(ids, mask, 1))
                total.append(generate(ids, mask, args.new_tokens))
            first_s = statistics.median(first)
            total_s = statistics.median(total)
            result[f"batch{size}"] = {
                "tokensPerSecond": size * args.new_tokens / total_s,
                "decodeTokensPerSecond": size * (args.new_tokens - 1) / max(total_s - first_s, 1e-9),
                "firstTokenMs": first_s * 1000,
                "promptTokens": int(ids.shape[1]),
            }
            print(
                f"hf_bench: {dtype_name} batch {size}: "
                f"{result[f'batch{size}']['tokensPerSecond']:.1f} tok/s, "
                f"first token {first_s * 1000:.0f} ms",
                flush=True,
            )
        report["results"][dtype_name] = result
        del model
        torch.cuda.empty_cache()

    text = json.dumps(report, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
