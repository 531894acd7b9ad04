# The two commands of the README: `make demo` serves the demo shop, `make test` runs every check.
# `make serve` runs the demo database the production way (workers, proxy mode, websocket worker).
.PHONY: demo test serve stop lint

demo:
	bash tools/demo.sh

test:
	bash tools/test.sh

serve:
	bash tools/serve.sh

stop:
	bash tools/stop.sh

lint:
	bash tools/test.sh --lint-only
