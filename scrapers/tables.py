"""Tables with a header row (订单ID | 名称 | 数量 | 金额 …): each later row's cells by column."""
from __future__ import annotations

from dataclasses import dataclass, field

from .text import squash
from .visible import hidden_within, is_hidden, visible_text


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[object, list[str]]] = field(default_factory=list)  # (tr element, cell texts)
    el: object = None



def _cell_text(cell) -> str:
    return squash(visible_text(cell))


def _all_labels(cells) -> bool:
    """A row of <td> cells that are all field names ("商品 | 单价 | 数量"): a header row without <th>."""
    from .labels import KNOWN
    from .text.normalise import fold

    for cell in cells:
        text = "".join(_cell_text(cell).split()).rstrip("：:").lower()
        if not text or len(text) > 16 or not KNOWN.fullmatch(fold(text)):
            return False
    return True


def header_tables(root) -> list[Table]:
    """Tables whose first or second row is all <th>: rows of cells under those column names."""
    tables = []
    loose = None  # a table holding only its header row: grids (el-table, ant-table) put the body in the next table
    for table in root.iter("table"):
        if hidden_within(table):
            continue
        # its own rows: not those of a table nested inside it (whose closest table is that one)
        nested = {tr for inner in table.iter("table") if inner is not table for tr in inner.iter("tr")}
        rows = [tr for tr in table.iter("tr") if tr not in nested]
        if not rows:
            continue
        header_row = None
        # a <thead> holding its <th> cells with no <tr> (browsers add the row; libxml2 does not)
        head = next((c for c in table if c.tag == "thead"), None)
        if head is not None and sum(1 for c in head if c.tag == "th") >= 2 and head not in rows:
            rows = [head] + rows
        for tr in rows[:2]:
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if len(cells) >= 2 and (all(c.tag == "th" for c in cells) or tr.getparent() is not None
                                    and tr.getparent().tag == "thead" or _all_labels(cells)):
                header_row = tr
                break
        if len(rows) == 1 and header_row is not None:
            loose = [_cell_text(c) for c in header_row if isinstance(c.tag, str) and c.tag in ("th", "td")]
            continue
        if header_row is None and loose is not None:
            header, loose = loose, None  # the body of the header-only table just before
            header_row = object()
        elif header_row is None or len(rows) < 2:
            loose = None
            continue
        else:
            loose = None
            header = [_cell_text(c) for c in header_row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        result = Table(header, [], table)
        for tr in rows:
            if tr is header_row or tr.getparent() is not None and tr.getparent().tag == "tfoot":
                continue
            if is_hidden(tr):
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if len(cells) != len(header):
                continue
            result.rows.append((tr, cells))
        tables.append(result)
    return tables
