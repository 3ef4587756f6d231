"""The generated package's layout: models split by top-level resource, and their definition order."""

from types import SimpleNamespace

from generator import ir
from generator.render import _groups
from generator.render.model_modules import model_modules
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
