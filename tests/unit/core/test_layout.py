"""The one-way import rule of ARCHITECTURE.md: core imports no domain, and a domain reaches another
domain only through its package's public names (``carbonchain.oracle``, not ``carbonchain.oracle.feeds``)."""

import ast
from pathlib import Path

import carbonchain

PACKAGE = Path(carbonchain.__file__).resolve().parent
COMPOSITION_PACKAGES = {"scenario"}  # the scenario runner composes the domains' steps, like demo composes acts
DOMAINS = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()
                 and p.name != "core" and p.name not in COMPOSITION_PACKAGES)
COMPOSITION = {"deploy", "bench", "demo", "audit", "__init__"} | COMPOSITION_PACKAGES  # what composes the domains


def imports_of(path: Path) -> list[str]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        pkg = parts
    else:
        pkg = parts[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.append(mod)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return [n for n in names if n.startswith("carbonchain")]


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def test_there_are_domains_and_a_core():
    assert {"notary", "identity", "oracle"} <= set(DOMAINS)
    assert (PACKAGE / "core" / "__init__.py").is_file()


def test_core_imports_no_domain():
    bad = [(p.name, m) for p in modules("core") for m in imports_of(p)
           if not (m == "carbonchain" or m.startswith("carbonchain.core"))]
    assert not bad, f"core must not import domains: {bad}"


def test_domains_use_each_other_only_through_public_packages():
    bad = []
    for domain in DOMAINS:
        for p in modules(domain):
            for m in imports_of(p):
                parts = m.split(".")
                if len(parts) < 2 or parts[1] in ("core", domain):
                    continue
                if parts[1] in COMPOSITION:
                    bad.append((f"{domain}/{p.name}", m, "imports the composition layer"))
                elif len(parts) > 2:
                    bad.append((f"{domain}/{p.name}", m, "reaches into another domain's module"))
    assert not bad, bad


def test_the_rule_checker_sees_relative_imports(tmp_path):
    """The checker itself: a relative import out of a domain resolves to the absolute name."""
    p = PACKAGE / "notary" / "sdk.py"
    assert "carbonchain.core.errors" in imports_of(p)
