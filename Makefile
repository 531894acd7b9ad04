# The two commands of the README: `make demo` serves the demo shop, `make test` runs every check.
.PHONY: demo test stop lint bench

demo:
	bash tools/demo.sh

test:
	bash tools/test.sh

stop:
	bash tools/stop.sh

lint:
	bash tools/test.sh --lint-only
