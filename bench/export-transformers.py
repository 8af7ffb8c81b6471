"""Exports GPT-2 (small) and BERT-base as torch.onnx graphs, for bench/predict-vs-measure.ts.
Dev-only: needs Debian's python3-torch (`apt-get install python3-torch`), run with /usr/bin/python3.

usage: /usr/bin/python3 bench/export-transformers.py OUT_DIR [--seq 128] [gpt2] [bert_base]

Hugging Face `transformers` is not packaged in Debian, so the two architectures are written out
here in plain torch with the published sizes (GPT-2 small: 12 layers, d 768, 12 heads, vocab 50257,
tanh-GELU, pre-LayerNorm, causal attention, tied head; BERT-base: 12 layers, d 768, 12 heads, FFN
3072, erf-GELU, post-LayerNorm, vocab 30522) and exported with torch.onnx at opset 17, as an HF
export would be: Linear layers become MatMul + Add, GELU and attention stay decomposed for ONNX
Runtime to fuse. Weights are random (timing does not depend on their values).
"""
import math, os, sys
import torch
from torch import nn

args = sys.argv[1:]
out = args.pop(0)
seq = int(args[args.index("--seq") + 1]) if "--seq" in args else 128
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class Attention(nn.Module):
    def __init__(self, d, heads, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        shape = (b, t, self.heads, d // self.heads)
        q, k, v = (z.reshape(shape).transpose(1, 2) for z in (q, k, v))
        att = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        if self.causal:
            mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
            att = att.masked_fill(mask, float("-inf"))
        y = att.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, d, heads, ffn, causal, pre_norm, gelu):
        super().__init__()
        self.pre = pre_norm
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attention(d, heads, causal)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.act = nn.GELU(approximate=gelu)

    def forward(self, x):
        if self.pre:
            x = x + self.attn(self.ln1(x))
            return x + self.fc2(self.act(self.fc1(self.ln2(x))))
        x = self.ln1(x + self.attn(x))
        return self.ln2(x + self.fc2(self.act(self.fc1(x))))


class Gpt2(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(50257, 768), nn.Embedding(1024, 768)
        self.blocks = nn.ModuleList(Block(768, 12, 3072, True, True, "tanh") for _ in range(12))
        self.ln_f = nn.LayerNorm(768)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for b in self.blocks:
            x = b(x)
        return self.ln_f(x) @ self.wte.weight.t()


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(30522, 768), nn.Embedding(512, 768), nn.Embedding(2, 768)
        self.ln = nn.LayerNorm(768)
        self.blocks = nn.ModuleList(Block(768, 12, 3072, False, False, "none") for _ in range(12))
        self.pool = nn.Linear(768, 768)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.ln(self.word(ids) + self.pos(pos) + self.token_type(torch.zeros_like(ids)))
        for b in self.blocks:
            x = b(x)
        return torch.tanh(self.pool(x[:, 0]))


only = [a for a in args if not a.startswith("--") and not a.isdigit()]
for name, model in (("gpt2", Gpt2()), ("bert_base", Bert())):
    if only and name not in only:
        continue
    path = os.path.join(out, f"{name}.onnx")
    ids = torch.randint(0, 1000, (1, seq))
    torch.onnx.export(model.eval(), ids, path, opset_version=17, input_names=["input_ids"], output_names=["out"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}}, do_constant_folding=True)
    print(f"wrote {path} ({os.path.getsize(path) / 2**20:.1f} MiB)")
