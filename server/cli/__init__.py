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
        from ..errors import KadunError
        from ._common import fail

        try:
            return super().invoke(ctx)
        except ImportError as error:
            missing = getattr(error, "name", None) or str(error)
            raise click.ClickException(
                f"a library KaDun needs is missing ({missing}): run ./scripts/setup.sh "
                "(make run and make test run it too) to install the dependencies") from None
        except KadunError as error:  # a refusal from below the CLI: the contract's error, one line
            fail(error.message, error=error.code, **{k: v for k, v in error.details.items() if v is not None})
        except OSError as error:
            # A path the user gave that cannot be read or written (missing folder, a device, a
            # file where a folder is needed …): one line naming it, whichever verb met it.
            where = error.filename if error.filename is not None else ""
            fail(f"{where}: {error.strerror or error}" if where else (error.strerror or str(error)))


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
