"""Typing test for the generated Stripe client, checked with `mypy --strict` together with the package
(tests/test_large_golden.py). Every line must type-check, and every call marked `# type: ignore[...]`
must be rejected: strict mode's `warn_unused_ignores` fails the run when one of them is accepted."""

from __future__ import annotations

from typing import assert_type

from stripe_client import AsyncClient, Client
from stripe_client._resources.customers import AsyncCustomers, AsyncCustomersSources, Customers, CustomersSources
from stripe_client._resources.issuing import IssuingCards
from stripe_client.models import BankAccount, Customer, DeletedCustomer, IssuingCard


def sync_tree(client: Client) -> None:
    assert_type(client.customers, Customers)
    assert_type(client.customers.sources, CustomersSources)
    assert_type(client.issuing.cards, IssuingCards)
    assert_type(client.customers.retrieve("cus_1"), Customer | DeletedCustomer)
    assert_type(client.customers.sources.verify("cus_1", "ba_1", amounts=[32, 45]), BankAccount)
    assert_type(client.issuing.cards.retrieve("ic_1"), IssuingCard)
    client.customers.list(limit=3, email="a@example.com")
    client.customers.search(query="email:'a@example.com'")
    client.test_helpers.test_clocks.advance("clock_1", frozen_time=1_700_000_000)
    client.with_raw_response(client.customers.retrieve, "cus_1")


def sync_calls_that_must_be_rejected(client: Client) -> None:
    client.customers.sources.verify("cus_1")  # type: ignore[call-arg]
    client.customers.sources.verify("cus_1", "ba_1", amounts=["32"])  # type: ignore[list-item]
    client.customers.list(limit="3")  # type: ignore[arg-type]
    client.customers.fetch("cus_1")  # type: ignore[attr-defined]
    client.get_customers()  # type: ignore[attr-defined]
    client.issuing_cards.list()  # type: ignore[attr-defined]


async def async_tree(client: AsyncClient) -> None:
    assert_type(client.customers, AsyncCustomers)
    assert_type(client.customers.sources, AsyncCustomersSources)
    assert_type(await client.customers.retrieve("cus_1"), Customer | DeletedCustomer)
    assert_type(await client.customers.sources.verify("cus_1", "ba_1"), BankAccount)
    client.customers.retrieve("cus_1")  # type: ignore[unused-coroutine]
    await client.customers.sources.verify(customer="cus_1")  # type: ignore[call-arg]
