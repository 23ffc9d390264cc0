# Two commands work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: help venv test test-postgres test-mysql demo quality docs upgrade requirements build bench bench-smoke bench-deps clean \
	extract_translations dummy_translations compile_translations build_dummy_translations \
	detect_changed_source_translations validate_translations i18n-deps

help:
	@echo "make demo   - create a virtualenv, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - run the whole test suite (SQLite)"
	@echo "make bench  - the performance harness (PostgreSQL and SQLite); writes docs/_static/perf/"
	@echo "make upgrade - recompile requirements/*.txt (newest versions within setup.cfg and the constraints)"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements/pip.txt

$(VENV)/.installed: $(BIN)/activate requirements/test.txt setup.cfg
	$(BIN)/pip install -q -r requirements/test.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

venv: $(VENV)/.installed

# Coverage of the app's code (97.5% of its statements); the run fails below the floor, and .ci/run
# runs this target. Measuring costs about half again the suite's CPU time on Python 3.11:
# `make test COVERAGE=` runs without it.
COVERAGE_FLOOR ?= 96
COVERAGE ?= --cov=openedx_learner_apis --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
test: venv
	$(BIN)/python -m pytest -q $(COVERAGE)

test-postgres: venv
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest -q

# mysqlclient compiles against Debian's libmariadb-dev and pkg-config (apt-get install them first).
test-mysql: venv
	$(BIN)/pip install -q -r requirements/mysql.txt
	DATABASE_URL=mysql://root@127.0.0.1:3306/test $(BIN)/python -m pytest -q

demo: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py demo_curl
	$(BIN)/python manage.py runserver 127.0.0.1:8000

quality: venv
	$(BIN)/pip install -q -r requirements/quality.txt
	$(BIN)/ruff check openedx_learner_apis tests example benchmarks
	DJANGO_SETTINGS_MODULE=test_settings $(BIN)/code_annotations django_find_annotations --config_file .pii_annotations.yml --lint --report --coverage

docs: venv
	$(BIN)/pip install -q -r requirements/docs.txt
	$(BIN)/sphinx-build -W -b html docs docs/_build/html

# pip-compile runs from inside .venv (pip-tools.txt installs it there). setup.cfg is the one list of
# the app's dependencies and of its extras: base.txt, test.txt and mysql.txt are compiled from it.
# Every file applies Open edX's common_constraints.txt (refreshed first) and constraints.txt.
# No index or find-links line is written: the files must not depend on this machine's pip setup.
PIP_COMPILE = $(BIN)/pip-compile -q --upgrade --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links
TEST_EXTRAS = --extra=postgres --extra=events --extra=completion --extra=s3 --extra=redis --extra=heif --extra=cors --extra=swagger-ui
upgrade: export CUSTOM_COMPILE_COMMAND = make upgrade
upgrade: $(BIN)/activate
	$(BIN)/pip install -q -r requirements/pip-tools.txt
	$(BIN)/python requirements/common_constraints.py
	$(PIP_COMPILE) -o requirements/pip.txt requirements/pip.in
	$(BIN)/pip install -q -r requirements/pip.txt
	$(PIP_COMPILE) -o requirements/pip-tools.txt requirements/pip-tools.in
	$(BIN)/pip install -q -r requirements/pip-tools.txt
	$(PIP_COMPILE) -o requirements/base.txt requirements/base.in setup.cfg
	$(PIP_COMPILE) $(TEST_EXTRAS) -o requirements/test.txt requirements/test.in setup.cfg
	$(PIP_COMPILE) --extra=mysql -o requirements/mysql.txt requirements/mysql.in setup.cfg
	$(PIP_COMPILE) --extra=swagger-ui -o requirements/docs.txt requirements/docs.in setup.cfg
	for f in quality dev bench robustness; do \
	  $(PIP_COMPILE) -o requirements/$$f.txt requirements/$$f.in || exit 1; done

requirements: upgrade

build: venv
	$(BIN)/pip install -q build
	$(BIN)/python -m build

# BENCH_ARGS passes options, e.g. BENCH_ARGS="--baseline docs/_static/perf/baseline.json".
bench: bench-deps
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

# Seconds, not minutes: tiny data on SQLite, one-second loads; fails if the harness breaks.
bench-smoke: bench-deps
	$(BIN)/python benchmarks/run_all.py --smoke

bench-deps: venv
	$(BIN)/pip install -q -r requirements/bench.txt
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

# Translations, in the Open edX layout: the commands run inside the package directory, where
# Django's makemessages and compilemessages use conf/locale and i18n_tool reads
# conf/locale/config.yaml. They need GNU gettext (apt-get install gettext). See docs/translations.rst.
I18N_DIR = openedx_learner_apis
DJANGO_ADMIN = cd $(I18N_DIR) && DJANGO_SETTINGS_MODULE=test_settings PYTHONPATH=$(CURDIR) $(abspath $(BIN))/django-admin

i18n-deps: venv
	test -x $(BIN)/i18n_tool || $(BIN)/pip install -q edx-i18n-tools
	command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)

extract_translations: i18n-deps ## the English source catalog, conf/locale/en/LC_MESSAGES/django.po
	$(DJANGO_ADMIN) makemessages -l en -v1 -d django --no-obsolete
	# makemessages leaves placeholders in the plural rule, which gettext cannot load: English's rule.
	sed -i -e 's/nplurals=INTEGER/nplurals=2/' -e 's/plural=EXPRESSION/plural=(n != 1)/' $(I18N_DIR)/conf/locale/en/LC_MESSAGES/django.po

dummy_translations: i18n-deps ## the eo pseudo-translation of the source catalog
	cd $(I18N_DIR) && $(abspath $(BIN))/i18n_tool dummy

compile_translations: i18n-deps ## the .mo file of every catalog under conf/locale
	$(DJANGO_ADMIN) compilemessages

build_dummy_translations: extract_translations dummy_translations compile_translations

# Fails when the committed catalogs differ from what the sources mark.
detect_changed_source_translations: build_dummy_translations
	git diff --exit-code -G '^(msgid|msgstr|"[^P])' -- $(I18N_DIR)/conf/locale

validate_translations: build_dummy_translations detect_changed_source_translations

clean:
	rm -rf $(VENV) .demo build dist *.egg-info docs/_build .coverage htmlcov
