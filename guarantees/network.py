"""The guarantee graph (担保网络), built with networkx from two queries' rows.

Nodes are parties: a borrower or a guarantor, the same person or company being one node
when the resident ID number or unified social credit code matches. An edge A → B says
"A guarantees a loan of B". A cycle is a guarantee circle (担保圈); a cycle of two is a
mutual guarantee (互保); an acyclic run of three or more parties is a chain (担保链).
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx

# Safety bounds: a pathological ledger cannot make the enumeration explode.
MAX_CYCLE_LENGTH = 8
MAX_CYCLES = 500


@dataclass
class Party:
    key: str  # the normalised ID number or credit code
    name: str
    id_number: str
    # For {% personal %}: the borrower whose officer decides who sees the ID number (the
    # party itself if it borrows, else the borrower it guarantees).
    pk: int
    officer_id: int
    borrower_id: int | None = None
    own_balance: Decimal = Decimal("0")
    overdue_balance: Decimal = Decimal("0")
    max_days_past_due: int = 0
    guaranteed_balance: Decimal = Decimal("0")
    loan_ids: list[int] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return self.max_days_past_due > 0

    @property
    def exposure_ratio(self) -> Decimal | None:
        """Guaranteed balance per yuan of own debt (None when the party owes nothing)."""
        if not self.own_balance:
            return None
        return (self.guaranteed_balance / self.own_balance).quantize(Decimal("0.01"))


@dataclass
class Circle:
    parties: list[Party]  # in guarantee order: each guarantees the next, the last the first

    @property
    def mutual(self) -> bool:
        return len(self.parties) == 2

    @property
    def balance(self) -> Decimal:
        return sum((p.own_balance for p in self.parties), Decimal("0"))

    @property
    def overdue_parties(self) -> list[Party]:
        return [p for p in self.parties if p.overdue]

    @property
    def loan_ids(self) -> list[int]:
        return sorted({loan_id for p in self.parties for loan_id in p.loan_ids})

    @property
    def label(self) -> str:
        return " → ".join(p.name for p in self.parties)


@dataclass
class Network:
    graph: nx.DiGraph
    parties: dict[str, Party]
    circles: list[Circle]
    chains: list[list[Party]]

    def party_of_borrower(self, borrower_id: int) -> Party | None:
        return next((p for p in self.parties.values() if p.borrower_id == borrower_id), None)

    def circles_of(self, key: str) -> list[Circle]:
        return [c for c in self.circles if any(p.key == key for p in c.parties)]

    def chains_of(self, key: str) -> list[list[Party]]:
        return [chain for chain in self.chains if any(p.key == key for p in chain)]

    def guarantors(self) -> list[Party]:
        """Parties that guarantee someone, largest guaranteed balance first."""
        found = [p for p in self.parties.values() if p.guaranteed_balance]
        return sorted(found, key=lambda p: (-p.guaranteed_balance, p.name))


def normalise_key(id_number: str) -> str:
    return (id_number or "").strip().upper()


def build_network(loans: list[dict], guarantors: list[dict]) -> Network:
    """``loans``: active loans with id, balance, overdue_principal, days_past_due,
    borrower_id, borrower__name, borrower__id_number, officer_id. ``guarantors``: loan_id,
    name, id_number of the guarantors of those loans."""
    parties: dict[str, Party] = {}
    by_loan: dict[int, dict] = {}
    for row in loans:
        by_loan[row["id"]] = row
        key = normalise_key(row["borrower__id_number"])
        party = parties.setdefault(
            key,
            Party(
                key=key,
                name=row["borrower__name"],
                id_number=row["borrower__id_number"],
                pk=row["borrower_id"],
                officer_id=row["officer_id"],
            ),
        )
        party.borrower_id, party.pk = row["borrower_id"], row["borrower_id"]
        party.own_balance += row["balance"]
        party.overdue_balance += row["overdue_principal"]
        party.max_days_past_due = max(party.max_days_past_due, row["days_past_due"])
        party.loan_ids.append(row["id"])
    graph = nx.DiGraph()
    graph.add_nodes_from(parties)
    for row in guarantors:
        loan = by_loan.get(row["loan_id"])
        key = normalise_key(row["id_number"])
        if loan is None or not key:
            continue
        borrower_key = normalise_key(loan["borrower__id_number"])
        if key == borrower_key:
            continue  # a borrower named as their own guarantor adds no one
        party = parties.setdefault(
            key,
            Party(
                key=key,
                name=row["name"],
                id_number=row["id_number"],
                pk=loan["borrower_id"],
                officer_id=loan["officer_id"],
            ),
        )
        party.guaranteed_balance += loan["balance"]
        if graph.has_edge(key, borrower_key):
            graph[key][borrower_key]["balance"] += loan["balance"]
        else:
            graph.add_edge(key, borrower_key, balance=loan["balance"])
    circles = [
        Circle(parties=[parties[key] for key in _rotated(cycle)])
        for cycle in itertools.islice(nx.simple_cycles(graph, length_bound=MAX_CYCLE_LENGTH), MAX_CYCLES)
    ]
    circles.sort(key=lambda c: (-c.balance, c.label))
    return Network(graph=graph, parties=parties, circles=circles, chains=_chains(graph, parties))


def _rotated(cycle: list[str]) -> list[str]:
    """The same circle always starts at its smallest key, so pages and flags are stable."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def _chains(graph: nx.DiGraph, parties: dict[str, Party]) -> list[list[Party]]:
    """The longest guarantee path of each acyclic connected group of three or more parties."""
    chains = []
    for nodes in nx.weakly_connected_components(graph):
        if len(nodes) < 3:
            continue
        sub = graph.subgraph(nodes)
        if nx.is_directed_acyclic_graph(sub):
            path = nx.dag_longest_path(sub)
            if len(path) >= 3:
                chains.append([parties[key] for key in path])
    return sorted(chains, key=lambda chain: [p.key for p in chain])
