#!/usr/bin/env bash
# Runs every command that README.md and docs/*.md show in a ```sh block, as written, from the
# repository's root, in the order the pages give them: each must end well, or still be running
# well after SECONDS_EACH seconds (default 150: a benchmark that started is stopped then; what fails
# as written, a class not found, a class path without the project's jars, fails within it).
#
#   tools/doc-commands.sh                    # every page
#   tools/doc-commands.sh docs/benchmarks.md # one page
#
# A command with a placeholder (<folder of the FEBRL csv files>) runs where the environment gives
# the placeholder's text as PATCHBAY_DOC_<WORDS> (PATCHBAY_DOC_FOLDER_OF_THE_FEBRL_CSV_FILES=...),
# and is listed as skipped otherwise. `mvn -B verify` is .ci/run's own command, not run again here.
set -u
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-150}
LOGS=$(mktemp -d)
pages=("$@")
[ ${#pages[@]} -eq 0 ] && pages=(README.md docs/*.md)

python3 - "${pages[@]}" > "$LOGS/commands" <<'EOF'
import os, re, sys
for page in sys.argv[1:]:
    lines = open(page, encoding='utf-8').read().split('\n')
    block, joined = False, ''
    for line in lines:
        text = line.strip()
        if text.startswith('```'):
            block = text == '```sh' if not block else False
            continue
        if not block or not text:
            continue
        joined += text[:-1] + ' ' if text.endswith('\\') else text
        if text.endswith('\\'):
            continue
        command, joined = re.sub(r'\s{2,}# .*$', '', joined).strip(), ''
        if not re.match(r'(mvn|java|tools/|cli/|[A-Z_]+=)', command):
            continue
        for placeholder in re.findall(r'<([^>]+)>', command):
            value = os.environ.get('PATCHBAY_DOC_' + re.sub(r'\W+', '_', placeholder).upper())
            if value is None:
                command = '#skip no value for <' + placeholder + '> # ' + command
                break
            command = command.replace('<' + placeholder + '>', value)
        print(page + '\t' + command)
EOF

ok=0; failed=0; skipped=0; n=0; previous_finished=1
while IFS=$'\t' read -r page command; do
  n=$((n + 1))
  if [[ "$command" == "#skip"* ]]; then
    echo "SKIP  $page: ${command#\#skip }"; skipped=$((skipped + 1)); continue
  fi
  if [[ "$command" == "mvn -B verify" ]]; then
    echo "SKIP  $page: $command (.ci/run runs it)"; skipped=$((skipped + 1)); continue
  fi
  if [[ "$command" == tools/* && $previous_finished -eq 0 ]]; then
    echo "SKIP  $page: $command (reads what the command before it had not finished writing)"; skipped=$((skipped + 1)); continue
  fi
  log="$LOGS/$n.log"
  timeout -s INT -k 20 "$SECONDS_EACH" bash -c "$command" > "$log" 2>&1 < /dev/null
  rc=$?
  if grep -qE 'BUILD FAILURE|Could not find or load main class|Exception in thread "main"|No such file|command not found|\[ERROR\] (Failed|Unknown|The goal)' "$log"; then
    rc=1
  fi
  if [ $rc -eq 0 ]; then
    echo "OK    $page: $command"; ok=$((ok + 1)); previous_finished=1
  elif [ $rc -eq 124 ] || [ $rc -eq 130 ] || [ $rc -eq 137 ]; then
    echo "OK    $page: $command (running well after ${SECONDS_EACH} s; stopped)"; ok=$((ok + 1)); previous_finished=0
  else
    echo "FAIL  $page: $command (exit $rc; $log)"; tail -5 "$log" | sed 's/^/      /'; failed=$((failed + 1)); previous_finished=1
  fi
done < "$LOGS/commands"
echo "commands: $ok ran, $failed failed, $skipped skipped (logs in $LOGS)"
[ $failed -eq 0 ]
