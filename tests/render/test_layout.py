"""The generated package's layout: models split by top-level resource, and their definition order."""

import ast
from pathlib import Path
from types import SimpleNamespace

from generator import ir
from generator.render import _groups
from generator.ir_refs import definition_refs as refs
from generator.render.model_modules import model_modules, split_modules
from generator.render.model_order import definition_order
from generator.render.model_view import models_view


def _model(name, *refs):
    fields = tuple(_field(f"f{i}", ir.Named(ref)) for i, ref in enumerate(refs))
    return ir.ModelDef(name, "", fields, None, (), "")


def _field(name, type_):
    return ir.Field(name, name, type_, True, "", None, False, "")


def test_definitions_come_after_what_they_use_and_cycles_become_strings():
    models = (_model("A", "B"), _model("B", "C"), _model("C"), _model("Node", "Node", "A"))
    aliases = (ir.AliasDef("AorB", ir.UnionType((ir.Named("A"), ir.Named("B"))), "", (), ""),)
    assert [d.name for d in definition_order(models, aliases)] == ["C", "B", "A", "Node", "AorB"]
    view = models_view(tuple(definition_order(models, aliases)), {}, "m")
    fields = {m.name: [f.annotation for f in m.fields] for m in view.definitions}
    assert fields["A"] == ["B"] and fields["Node"] == ['"Node"', "A"]
    assert [m.annotation for m in view.definitions if m.is_alias] == ["A | B"]


def test_no_field_can_shadow_a_name_annotations_use():
    """Annotations are evaluated in the class body, so a field named `date` would shadow the type `date`
    for the fields after it; the names layer never lets a field have such a name."""
    from generator.names import make_identifier

    assert [make_identifier(name, style="snake", fallback="field") for name in ("date", "datetime", "UUID", "Any")] == ["date_", "datetime_", "uuid", "any"]


def _op(resource, *returns):
    responses = tuple(ir.Response("200", "application/json", ir.Named(name), name, "", (), "") for name in returns)
    return ir.Operation("list", "_LIST", "GET", "/", "op", "", "", (), False, (), None, "body", responses, (), None, "", resource=resource)


def test_models_live_with_the_one_group_that_uses_them_else_in_shared_or_other():
    models = (_model("Customer", "Address"), _model("Address"), _model("Charge", "Customer"), _model("Error"), _model("Webhook", "Charge"))
    api = SimpleNamespace(models=models, aliases=())
    operations = (_op(("customers",), "Customer", "Error"), _op(("charges", "refunds"), "Charge", "Error"))
    resources = tuple(ir.Resource((name,), name, name.title(), "Async" + name.title(), ()) for name in ("charges", "customers"))
    groups = _groups(SimpleNamespace(operations=operations, resources=resources))
    modules = {module: [d.name for d in definitions] for module, definitions in model_modules(api, groups)}
    # Charge reaches Customer and Address, so those are shared; Webhook is used by no operation.
    assert modules == {"_other": ["Webhook"], "_shared": ["Address", "Customer", "Error"], "charges": ["Charge"]}
    where = {name: module for module, names in modules.items() for name in names}
    view = models_view(tuple(d for d in models if d.name == "Webhook"), where, "_other")
    assert view.cross_imports == (("charges", ("Charge",)),)


def _split(models, operations):
    api = SimpleNamespace(models=models, aliases=())
    names = sorted({op.resource[0] for op in operations})
    resources = tuple(ir.Resource((name,), name, name.title(), "Async" + name.title(), ()) for name in names)
    groups = _groups(SimpleNamespace(operations=operations, resources=resources))
    modules = split_modules(model_modules(api, groups), groups)
    return {module: [d.name for d in definitions] for module, definitions in modules}


# Two groups share Customer; Customer alone leads to Address, and to the cycle Card <-> Wallet through
# Card; Invoice and Customer both lead to Money; Charge is returned by an operation and refers to Card.
_SHARED = (
    _model("Customer", "Address", "Card", "Money"), _model("Address"), _model("Card", "Wallet"), _model("Wallet", "Card"),
    _model("Money"), _model("Invoice", "Money"), _model("Webhook", "Event"), _model("Event"), _model("Orphan"),
)
_OPERATIONS = (_op(("customers",), "Customer"), _op(("invoices",), "Invoice", "Customer"))


def test_shared_models_live_with_the_one_model_that_leads_to_them_and_cycles_share_a_module():
    modules = _split(_SHARED, _OPERATIONS)
    assert modules == {
        "_other.orphan": ["Orphan"],
        "_other.webhook": ["Event", "Webhook"],  # only Webhook leads to Event
        "_shared.customer": ["Address", "Wallet", "Card", "Customer"],  # the cycle joins its one referrer
        "_shared.money": ["Money"],  # two models refer to it: loaded with either, so a module of its own
        "invoices": ["Invoice"],
    }


def test_a_model_an_operation_uses_directly_heads_its_own_module():
    operations = (*_OPERATIONS, _op(("cards",), "Card"))
    modules = _split(_SHARED, operations)
    assert modules["_shared.card"] == ["Wallet", "Card"] and modules["_shared.customer"] == ["Address", "Customer"]


def test_adding_an_unrelated_model_moves_no_model():
    before = _split(_SHARED, _OPERATIONS)
    extra = (_model("Aardvark", "Money"), _model("Account", "Address"))  # sort first; refer to existing models
    after = _split((*_SHARED, *extra), (*_OPERATIONS, _op(("zoo",), "Aardvark")))
    moved = {name for module, names in before.items() for name in names if name not in after.get(module, [])}
    # Account refers to Address (an unused model leading to it, in `_other`): Address stays with Customer.
    assert moved == set(), (before, after)


def test_model_modules_import_each_other_without_cycles():
    modules = dict(_split(_SHARED, (*_OPERATIONS, _op(("cards",), "Card"))))
    where = {name: module for module, names in modules.items() for name in names}
    definitions = {d.name: d for d in _SHARED}
    imports = {module: {where[r] for name in names for r in refs(definitions[name]) if where[r] != module} for module, names in modules.items()}
    done: set[str] = set()

    def visit(module, path):
        assert module not in path, path + [module]
        if module not in done:
            for target in imports[module]:
                visit(target, [*path, module])
            done.add(module)

    for module in imports:
        visit(module, [])


def test_every_import_of_a_model_names_the_module_that_defines_it():
    """Request types (`_params/`) and model modules import each model from the module that defines it, in
    every golden case: type checkers follow these imports (run time never imports `_params/`)."""
    checked = 0
    root = Path(__file__).parents[2]
    for package in sorted([*root.glob("tests/cases/*/expected"), *root.glob("generated/*_client")]):
        for path in sorted([*package.glob("_params/**/*.py"), *package.glob("_models/**/*.py")]):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.ImportFrom) and node.level and node.module):
                    continue
                target = path.parents[node.level - 1].joinpath(*node.module.split(".")).with_suffix(".py")
                if "_models" not in target.relative_to(package).parts:
                    continue
                assert target.is_file(), (path, node.module)
                missing = {a.name for a in node.names} - _defined(target)
                assert not missing, (path, node.module, missing)
                checked += 1
    assert checked > 20


def _defined(module: Path) -> set[str]:
    names = set()
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names
