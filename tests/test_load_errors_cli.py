"""Load and layer failures through the real ``ntprofile validate`` in a subprocess.

Each case writes a small profiles root, validates one target, and expects the
``path:line:col: error[CODE]`` line, exit code 1, and no traceback (``run_cli``
fails on one).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9)}]" for i in range(1, 9)]
    )
    + "\n"
)

STAGE = "profile: {stage: testnet}\n"

CASES = {
    "Y002": ({"t.yaml": STAGE.encode() + b"node: {trader_id: \xff}\n"}, "profiles/t.yaml:2:19"),
    "Y003-toml": ({"t.toml": '[profile]\nstage = "testnet"\n[node\n'}, "profiles/t.toml:3:6"),
    "Y004": ({"t.yaml": STAGE + "node:\n\ttrader_id: A-1\n"}, "profiles/t.yaml:3:1"),
    "Y005-toml": ({"t.toml": '[profile]\nstage = "testnet"\nstage = "production"\n'}, "profiles/t.toml:3:1"),
    "Y006": ({"t.yaml": ""}, "profiles/t.yaml:1:1"),
    "Y007": ({"t.yaml": STAGE + "node: !!python/object/apply:os.system ['touch PWNED']\n"}, "profiles/t.yaml:2:7"),
    "Y008": ({"t.yaml": STAGE + BILLION_LAUGHS}, "profiles/t.yaml:"),
    "Y009": (
        {"t.toml": 'profile = { stage = "testnet" }\nx = ' + "[" * 3000 + "]" * 3000 + "\n"},
        "profiles/t.toml:2:",
    ),
    "Y010": ({"t.yaml": STAGE + "on: push\n"}, "profiles/t.yaml:2:1"),
    "L001": ({"t.yaml": "extends: [env/testnt]\n", "env/testnet.yaml": STAGE}, "profiles/t.yaml:1:11"),
    "L002": (
        {"t.yaml": "extends: [env/a]\n", "env/a.yaml": "extends: [env/b]\n", "env/b.toml": 'extends = ["env/a"]\n'},
        "profiles/env/b.toml:1:12",
    ),
    "L003": ({"t.yaml": STAGE + "extends: [../secrets]\n"}, "profiles/t.yaml:2:11"),
    "L004": ({"t.yaml": STAGE + "extends: base\n", "base.yaml": "a: 1\n"}, "profiles/t.yaml:2:1"),
    "L006": (
        {"t.yaml": "extends: [base]\n" + STAGE, "base.yaml": "a: 1\n", "base.toml": "a = 2\n"},
        "profiles/base.toml:1:1",
    ),
}


def make_project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = tmp_path / "profiles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    (tmp_path / "secrets.yaml").write_text("a: 1\n")
    return tmp_path


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_reports_the_finding(tmp_path, cli, case):
    files, where = CASES[case]
    project = make_project(tmp_path, files)
    code = case.split("-")[0]
    result = cli("validate", "t", "--profiles", "profiles", cwd=project)
    assert result.returncode == 1, result.output
    lines = [line for line in result.stdout.splitlines() if f"error[{code}]" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(where), lines[0]
    assert not (project / "PWNED").exists()
    if code == "L001":
        assert "did you mean 'env/testnet'?" in lines[0] and "(available: env/testnet, t)" in lines[0]
    if code == "L002":
        assert "env/a -> env/b -> env/a" in lines[0]


def test_every_file_of_the_root_reports_each_finding_once(tmp_path, cli):
    project = make_project(
        tmp_path,
        {
            "t.yaml": STAGE + "extends: [env/bad, env/worse]\n",
            "u.yaml": STAGE + "extends: [env/bad]\n",
            "env/bad.yaml": "a: 1\na: 2\n",
            "env/worse.toml": "[x]\n[x]\n",
        },
    )
    result = cli("validate", "--profiles", "profiles", cwd=project)
    assert result.returncode == 1
    found = [line.split(" ", 2)[:2] for line in result.stdout.splitlines() if "error[" in line]
    assert found == [["profiles/env/bad.yaml:2:1:", "error[Y005]"], ["profiles/env/worse.toml:2:2:", "error[Y005]"]]


def test_json_format_carries_the_position(tmp_path, cli):
    project = make_project(tmp_path, {"t.yaml": STAGE + "cache:\n  <<: {a: 1}\n"})
    result = cli("validate", "t", "--profiles", "profiles", "--format", "json", cwd=project)
    assert result.returncode == 1
    findings = [f for f in json.loads(result.stdout) if f["code"] == "Y007"]
    assert [(f["file"], f["line"], f["col"]) for f in findings] == [("profiles/t.yaml", 3, 3)]
