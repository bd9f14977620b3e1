"""Chat-template fixtures: the published templates under Tests/DiffusionEngineTests/Fixtures/chat-templates/
rendered by Python `jinja2` the way transformers' `apply_chat_template` renders them (ImmutableSandboxedEnvironment,
trim_blocks, lstrip_blocks, loopcontrols, `raise_exception`, transformers' `tojson`), for the Swift renderer's
parity test.

  /work/venvs/tok/bin/python Experiments/models/tools/make_chat_template_fixtures.py   (pip install jinja2)

Templates (copied verbatim from where they are published):
  gemma-2-it.jinja  google/gemma-2-2b-it tokenizer_config.json `chat_template`
  gemma-3-it.jinja  google/gemma-3-*-it tokenizer_config.json `chat_template`
  ling-lite.jinja   inclusionAI/Ling-lite (Bailing v1), as llama.cpp's tests/test-chat-template.cpp quotes it
  ling-2.0.jinja    inclusionAI Ling 2.0 (Bailing v2), as the Ling GGUF files carry it in `tokenizer.chat_template`;
                    LLaDA2.0-mini's documented prompt ("<role>SYSTEM</role>detailed thinking off<|role_end|>
                    <role>HUMAN</role>...<|role_end|><role>ASSISTANT</role>") is this template's output
Writes golden.json: {"cases": [{template, conversation, messages, add_generation_prompt, bos_token, eos_token,
output | error}]}; an error is the message of the template's raise_exception.
"""
import json
import os

from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "Tests", "DiffusionEngineTests", "Fixtures", "chat-templates")
TEMPLATES = {"gemma-2-it.jinja": ("<bos>", "<eos>"), "gemma-3-it.jinja": ("<bos>", "<eos>"),
             "ling-lite.jinja": ("", "<|endoftext|>"), "ling-2.0.jinja": ("<|startoftext|>", "<|role_end|>")}
CONVERSATIONS = {
    "user": [{"role": "user", "content": "What is 2 + 2?"}],
    "system-user": [{"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": "Write a haiku about diffusion."}],
    "multi-turn": [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi there"},
                   {"role": "user", "content": "How are you?"}],
    "whitespace-unicode": [{"role": "user", "content": "  padded\n\ntext with 日本語 and 🙂  "},
                           {"role": "assistant", "content": "\tok\n"}, {"role": "user", "content": "again"}],
    "reasoning": [{"role": "user", "content": "Think first."},
                  {"role": "assistant", "content": "<think>\nsome steps\n</think>\n\nThe answer."},
                  {"role": "user", "content": "And now?"}, {"role": "assistant", "content": "<think>more</think>Done."}],
    "content-parts": [{"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
                      {"role": "user", "content": [{"type": "text", "text": " Describe "}, {"type": "image"},
                                                   {"type": "text", "text": "this."}]}],
    "tool": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "",
             "tool_calls": [{"function": {"name": "weather", "arguments": {"city": "Paris"}}}]},
             {"role": "tool", "content": "sunny"}, {"role": "tool", "content": "20C"}],
    "not-alternating": [{"role": "user", "content": "one"}, {"role": "user", "content": "two"}],
}


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])

    def raise_exception(message):
        raise TemplateRaised(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


class TemplateRaised(Exception):
    pass


def main():
    env = environment()
    cases = []
    for name, (bos, eos) in TEMPLATES.items():
        with open(os.path.join(OUT, name)) as f:
            template = env.from_string(f.read())
        for conversation, messages in CONVERSATIONS.items():
            for generation in (True, False):
                case = {"template": name, "conversation": conversation, "messages": messages,
                        "add_generation_prompt": generation, "bos_token": bos, "eos_token": eos}
                try:
                    case["output"] = template.render(messages=messages, add_generation_prompt=generation,
                                                     bos_token=bos, eos_token=eos)
                except TemplateRaised as error:
                    case["error"] = str(error)
                except Exception as error:  # a template that cannot handle this conversation shape
                    case["error"] = f"{type(error).__name__}: {error}"
                cases.append(case)
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"cases": cases}, f, ensure_ascii=False, indent=1)
    print(f"wrote {len(cases)} cases to {OUT}/golden.json")
    for case in cases:
        if "error" in case and "Exception" in case["error"] or "Error:" in case.get("error", ""):
            print("  python error:", case["template"], case["conversation"], case["error"])


if __name__ == "__main__":
    main()
