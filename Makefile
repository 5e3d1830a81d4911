# `sam build` runs build-CrampCoachFunction (template.yaml: Metadata BuildMethod makefile)
# with ARTIFACTS_DIR set; see docs/deploy.md.
#
# Why a Makefile rather than SAM's default Python builder: the skill lives in skill/ at the repo
# root next to tests and dev tools, and the function needs only lambda-requirements.txt, not the
# Flask host's dependencies (nor boto3, which Lambda's Python runtime provides). Wheels are fetched for Lambda's platform (arm64, CPython 3.12), and
# the code is byte-compiled for 3.12 because Lambda's file system is read-only: without .pyc files
# every cold start would compile the SDK from source (~5x slower import).

LAMBDA_PYTHON_VERSION ?= 3.12
LAMBDA_PLATFORM ?= manylinux2014_aarch64
PYTHON ?= python$(LAMBDA_PYTHON_VERSION)

.PHONY: build-CrampCoachFunction

build-CrampCoachFunction:
	$(PYTHON) -m pip install --quiet --no-compile --requirement lambda-requirements.txt \
		--target "$(ARTIFACTS_DIR)" --platform $(LAMBDA_PLATFORM) --only-binary=:all: \
		--implementation cp --python-version $(LAMBDA_PYTHON_VERSION)
	cp -R skill "$(ARTIFACTS_DIR)/skill"
	# skill/tools (simulator, offline NLU, audio builder) never runs on Alexa.
	rm -rf "$(ARTIFACTS_DIR)/skill/tools"
	# Of each language folder the function needs only the words and the locales' overrides:
	# not the model overrides (the generator's), the offline NLU's words nor the test sets.
	rm -rf "$(ARTIFACTS_DIR)"/skill/locales/*/models "$(ARTIFACTS_DIR)"/skill/locales/*/nlu \
		"$(ARTIFACTS_DIR)"/skill/locales/*/tests
	# The clips are served from the bucket; the function needs only their manifest (names,
	# durations) to point <audio> at them.
	mkdir -p "$(ARTIFACTS_DIR)/audio"
	cp audio/manifest.json "$(ARTIFACTS_DIR)/audio/manifest.json"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -prune -exec rm -rf {} +
	$(PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)"
