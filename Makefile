# The two commands of the README: `make run` (the backend with its embedded Redis)
# and `make test` (the whole suite). Each prepares what it needs itself.
.PHONY: run test setup lint eval

run:
	@./scripts/setup.sh
	.venv/bin/kadun serve $(ARGS)

test:
	@./scripts/setup.sh --test
	.venv/bin/python -m pytest $(PYTEST_ARGS)

lint:
	@./scripts/setup.sh --test
	.venv/bin/ruff check server scrapers tests

eval:
	@./scripts/setup.sh --test   # the scoring tool reads pages with BeautifulSoup (a test extra)
	.venv/bin/python docs/tools/eval_extract.py tests/fixtures/pages --cmd '.venv/bin/kadun parse {html} --url {url}'
