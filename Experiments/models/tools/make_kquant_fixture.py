"""Writes the K-quant fixture of `swift test` (Tests/DiffusionEngineTests/Fixtures/gguf/kquant/) with ggml itself.

Reference: ggml 0.25.3 as vendored in the PyPI sdist llama-cpp-python 0.3.36 (llama_cpp_python-0.3.36.tar.gz,
sha256 832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e, vendor/llama.cpp/ggml, MIT License),
functions quantize_row_q4_K_ref, quantize_row_q5_K_ref, quantize_row_q6_K_ref of ggml/src/ggml-quants.c.
Nothing of ggml is kept in this repository: the script downloads the sdist into a temporary folder, builds its
`ggml-base` shared library with CMake, compiles our driver kquant_fixture_harness.c (beside this file) against it
and runs it. The driver makes the input rows (a seeded SplitMix64/Box-Muller generator plus edge blocks) and
writes input.f32 (40 rows of 256 floats) and ggml's q4_k.bin, q5_k.bin, q6_k.bin, which GGUFQuantizeTests
compares byte for byte with the Swift quantizers.

Needs: a C compiler (gcc or clang), and in the venv running this script `pip install cmake ninja scikit-build-core`
(pip reads the sdist's metadata through its scikit-build-core backend, which looks for CMake).
Run: /work/venvs/kquant/bin/python Experiments/models/tools/make_kquant_fixture.py [--keep DIR]
Deterministic: rerunning rewrites identical files (checked on x86-64 Linux, gcc 12). Everything is compiled with
-ffp-contract=off so that no compiler fuses multiply-adds, which would change rounding on FMA targets.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

PACKAGE, VERSION = "llama-cpp-python", "0.3.36"
SDIST = "llama_cpp_python-0.3.36.tar.gz"
SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "../../../Tests/DiffusionEngineTests/Fixtures/gguf/kquant"))
NO_FMA = "-ffp-contract=off"


def run(*cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def download_sdist(work):
    # --no-build-isolation: use this venv's scikit-build-core and cmake instead of a fresh build environment.
    run(sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--no-build-isolation",
        f"{PACKAGE}=={VERSION}", "-d", work)
    path = os.path.join(work, SDIST)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{SDIST}: sha256 {digest}, expected {SHA256}")
    return path


def extract_llama_cpp(sdist, work):
    prefix = SDIST[: -len(".tar.gz")] + "/vendor/llama.cpp/"
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix)]
        tar.extractall(work, members=members, filter="data")
    return os.path.join(work, prefix)


def build_ggml_base(src, build):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    run("cmake", "-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=ON",
        f"-DCMAKE_C_FLAGS={NO_FMA}", f"-DCMAKE_CXX_FLAGS={NO_FMA}", "-DGGML_CPU=OFF", "-DGGML_NATIVE=OFF",
        "-DGGML_OPENMP=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_TOOLS=OFF",
        "-DLLAMA_BUILD_SERVER=OFF", "-DLLAMA_CURL=OFF", env=env)
    run("cmake", "--build", build, "--target", "ggml-base", "-j", str(os.cpu_count() or 2), env=env)
    return os.path.join(build, "bin")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="kquant_fixture_")
    os.makedirs(work, exist_ok=True)
    try:
        src = extract_llama_cpp(download_sdist(work), work)
        lib = build_ggml_base(src, os.path.join(work, "build"))
        harness = os.path.join(work, "kquant_fixture_harness")
        ggml = os.path.join(src, "ggml")
        run(os.environ.get("CC", "cc"), "-O1", NO_FMA, "-I", os.path.join(ggml, "include"),
            "-I", os.path.join(ggml, "src"), "-o", harness, os.path.join(HERE, "kquant_fixture_harness.c"),
            "-L", lib, "-lggml-base", f"-Wl,-rpath,{lib}", "-lm")
        os.makedirs(OUT, exist_ok=True)
        run(harness, OUT)
        for name in ("input.f32", "q4_k.bin", "q5_k.bin", "q6_k.bin"):
            print(f"{os.path.join(OUT, name)}: {os.path.getsize(os.path.join(OUT, name))} bytes")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
