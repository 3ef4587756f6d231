"""The order models and aliases are defined in models.py, and which annotations must stay strings.

models.py evaluates its annotations when a class is created (no `from __future__ import
annotations`): pydantic then takes the types as they are instead of compiling and evaluating one
string per field, which was about 40% of the time to import the models of a large API. So a name
must be defined before an annotation uses it: definitions come dependencies first (a depth-first
walk in the IR's order, so the order is deterministic), and an annotation that still refers to a
later or its own class (a cycle) is written as a string, which pydantic resolves when the model is
first used.
"""

from __future__ import annotations


from generator import ir
from generator.ir_refs import definition_refs as refs

Definition = ir.ModelDef | ir.AliasDef


def _needs(definition: Definition) -> list[str]:
    """The names that must be defined before `definition`: none for a lazy (recursive) alias, whose
    value is a string evaluated on first use."""
    return [] if isinstance(definition, ir.AliasDef) and definition.lazy else refs(definition)


def definition_order(
    models: tuple[ir.ModelDef, ...], aliases: tuple[ir.AliasDef, ...]
) -> list[Definition]:
    """Every model and alias, each after the ones it refers to unless they form a cycle.

    A cycle is broken at a model (its annotation becomes a string), never at a plain alias: an
    alias's value is evaluated when the module runs, so it must come after everything it names. When
    the walk reaches such an alias from a model on a cycle (M -> A -> M), the alias waits: it is
    walked again as a root once the model is defined (aliases are roots after every model)."""
    definitions: tuple[Definition, ...] = (*models, *aliases)
    by_name: dict[str, Definition] = {d.name: d for d in definitions}
    order: list[Definition] = []
    state: dict[str, bool] = {}  # name -> finished (False while on the walk's path)
    for root, definition in by_name.items():
        if root in state:
            continue
        state[root] = False
        stack = [(root, iter(_needs(definition)))]
        while stack:
            name, pending = stack[-1]
            child = next((r for r in pending if r in by_name and r not in state), None)
            if child is not None:
                state[child] = False
                stack.append((child, iter(_needs(by_name[child]))))
                continue
            stack.pop()
            current = by_name[name]
            if isinstance(current, ir.AliasDef) and any(
                state.get(r) is not True for r in _needs(current) if r in by_name
            ):
                del state[
                    name
                ]  # a name it needs is still on the walk's path: defined later, as a root
                continue
            state[name] = True
            order.append(current)
    return order
