#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ from the real captures in tests/fixtures and the
hand-written edge cases in fuzz/seeds/<kind>/. Run it again when fixtures or seeds change; the
output is deterministic, small files only (large captures are cut into families of ~1.5 KB, as
libFuzzer mutates small inputs much faster and a family is the unit the parser reasons about)."""
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "fuzz" / "seeds"
CORPUS = ROOT / "fuzz" / "corpus"
PIECE = 1500

# fuzz_exposition's first byte: low two bits the format, the rest the number of chunks - 1.
AUTO, TEXT, OPENMETRICS = 0, 1, 2


def pieces(text: str):
    """The capture cut before `# HELP` lines into pieces of about PIECE bytes."""
    blocks, out, current = [], [], ""
    for line in text.splitlines(keepends=True):
        if line.startswith("# HELP ") or not blocks:
            blocks.append("")
        blocks[-1] += line
    for block in blocks:
        if current and len(current) + len(block) > PIECE:
            out.append(current)
            current = ""
        current += block
    if current:
        out.append(current)
    return out


def write(target: str, name: str, data: bytes):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def exposition():
    target = "fuzz_exposition"
    for n, fixture in enumerate(sorted(FIXTURES.glob("*.txt"))):
        openmetrics = fixture.name.endswith(".om.txt")
        text = fixture.read_text()
        for i, piece in enumerate(pieces(text.replace("# EOF\n", ""))):
            if openmetrics:
                piece += "# EOF\n"
            fmt = OPENMETRICS if openmetrics else (TEXT if i % 2 else AUTO)
            chunks = (i * 7 + n) % 64
            write(target, f"{fixture.stem}-{i:02d}", bytes([chunks << 2 | fmt]) + piece.encode())
    for i, seed in enumerate(sorted((SEEDS / "exposition").iterdir())):
        data = seed.read_bytes()
        for fmt in (AUTO, TEXT, OPENMETRICS):
            chunks = (i * 5 + fmt) % 64
            write(target, f"seed-{seed.stem}-{fmt}", bytes([chunks << 2 | fmt]) + data)


def plain(target: str, kind: str):
    for seed in sorted((SEEDS / kind).iterdir()):
        write(target, f"seed-{seed.name}", seed.read_bytes())


if __name__ == "__main__":
    plain_targets = (("fuzz_promql", "promql"), ("fuzz_yaml_compose", "compose"),
                     ("fuzz_yaml_rules", "rules"), ("fuzz_yaml_doctor", "doctor"),
                     ("fuzz_json_api", "api"), ("fuzz_json_file_sd", "file_sd"))
    for target in ["fuzz_exposition"] + [t for t, _ in plain_targets]:
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    exposition()
    for target, kind in plain_targets:
        if (SEEDS / kind).is_dir():
            plain(target, kind)
    for target in sorted(CORPUS.iterdir()):
        files = list(target.iterdir())
        print(f"{target.name}: {len(files)} inputs, {sum(f.stat().st_size for f in files)} bytes")
