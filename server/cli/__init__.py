"""``kadun``: serve | pair | devices | revoke | parse | score | export | verify.

Each verb lives in its own module in this package and exposes ``command`` (a click command);
they are found here, so adding a verb is adding a module.
"""
from __future__ import annotations

import importlib
import pkgutil

import click


class _Kadun(click.Group):
    """The verbs, with a broken installation said in one line (not a traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ImportError as error:
            missing = getattr(error, "name", None) or str(error)
            raise click.ClickException(
                f"a library KaDun needs is missing ({missing}): run ./scripts/setup.sh "
                "(make run and make test run it too) to install the dependencies") from None


@click.group(cls=_Kadun, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kadun")
def main() -> None:
    """卡盾 KaDun: evidence, risk and disputes for buyers of virtual goods."""


for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if isinstance(getattr(_module, "command", None), click.Command):
        main.add_command(_module.command)
