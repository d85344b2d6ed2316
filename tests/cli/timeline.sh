#!/usr/bin/env bash
# tradewar timeline: the shipped scenario, branches, output formats and errors.
# usage: timeline.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
run() { rc_of "$@"; }
SC=data/scenarios/us-china-2025.tw

[ "$(run "$TW" timeline $SC --check)" = 0 ] && ok || bad "--check: $(cat "$tmp/err")"
grep -qE '^ok: .*42 steps' "$tmp/out" && ok || bad "--check summary: $(cat "$tmp/out")"

[ "$(run "$TW" timeline $SC)" = 0 ] && ok || bad "default run: $(cat "$tmp/err")"
for s in '2025-01-01  status quo January 2025' '2025-04-12  China: 125 % on all US goods' \
         '2026-02-24  IEEPA duties end' 'welfare (exact real income)' 'consumer price index' \
         'tariff revenue, new level (USD million)' 'ETR on goods imports from all partners'; do
  grep -qF -- "$s" "$tmp/out" && ok || bad "table lacks \"$s\""
done
grep -qE '^[0-9]+ steps solved .* largest residual [0-9.]+e-1[0-9]$' "$tmp/out" && ok || bad "residual line"

# a branch: without the Geneva truce, tariffs stay at the April peak in May
[ "$(run "$TW" timeline $SC --set no_geneva_truce --csv)" = 0 ] && ok || bad "branch run"
may=$(awk -F, '$2=="2025-05-14" && $5=="USA" {print $12}' "$tmp/out" | head -n 1)
[ -z "$may" ] && ok || bad "no_geneva_truce still has a 2025-05-14 step"
[ "$(run "$TW" timeline $SC --set no_such_event)" = 2 ] && ok || bad "unknown event exit"
grep -qF 'unknown event "no_such_event"' "$tmp/err" && ok || bad "unknown event message"

[ "$(run "$TW" timeline $SC --json)" = 0 ] && ok || bad "json"
for k in '"steps":' '"date":"2025-04-10"' '"tariff_a_on_b_pct":' '"trade_b_to_a_pct":' '"welfare_pct":' \
         '"focus":["USA","CHN"' '"etr_pre_a_on_b_pct":' '"etr_post_b_on_a_pct":' '"etr_pre_pct":'; do
  grep -qF -- "$k" "$tmp/out" && ok || bad "json lacks $k"
done
# the deprecated tariff fields are the bilateral rates before substitution, to the bit
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const same = j.steps.every((s) => s.tariff_a_on_b_pct === s.etr_pre_a_on_b_pct &&
                                  s.tariff_b_on_a_pct === s.etr_pre_b_on_a_pct);
const usa = j.steps.map((s) => s.countries.find((c) => c.code === "USA"));
const peak = Math.max(...usa.map((u) => u.etr_pre_pct));
process.exit(same && usa[0].etr_pre_pct === usa[0].etr_base_pct && peak > 25 && peak < 35 ? 0 : 1);' \
  "$tmp/out" && ok || bad "json etr fields"

printf 'scenario "x"\nfocus USA CHNA\nstep 2025-01-01 "a"\n  set f CHN -> USA * 10%%\n' > "$tmp/bad.tw"
[ "$(run "$TW" timeline "$tmp/bad.tw")" = 2 ] && ok || bad "bad file exit"
[ "$(head -n 1 "$tmp/err")" = "tradewar: $tmp/bad.tw:2:11: unknown country \"CHNA\" (did you mean \"CHN\"?)" ] \
  && ok || bad "bad file message: $(cat "$tmp/err")"
[ "$(run "$TW" timeline "$tmp/none.tw")" = 3 ] && ok || bad "missing file exit"
[ "$(cat "$tmp/err")" = "tradewar: $tmp/none.tw: cannot open: No such file or directory" ] \
  && ok || bad "missing file message: $(cat "$tmp/err")"

# the mapping table: a missing one is an I/O error at the mapping statement, in --check and in a run
printf 'scenario "x"\nfocus USA CHN\nmapping nosuch.csv\nstep 2025-01-01 "a"\n  set f CHN -> USA * 10%%\n' > "$tmp/nomap.tw"
for mode in --check ''; do
  [ "$(run "$TW" timeline "$tmp/nomap.tw" $mode)" = 3 ] && ok || bad "missing mapping exit ($mode)"
  [ "$(cat "$tmp/err")" = "tradewar: $tmp/nomap.tw:3:9: cannot open the mapping table \"$tmp/nosuch.csv\": No such file or directory" ] \
    && ok || bad "missing mapping message ($mode): $(cat "$tmp/err")"
done
# a row of the shipped table that no action uses, and a share the table does not state
cp $SC "$tmp/us.tw"
cp data/scenarios/us-china-2025-mapping.csv "$tmp/us-china-2025-mapping.csv"
echo 'timeline:99,us_s232_metals_reduced,*,USA,ELEC,0.13,judgement: a row for no action' >> "$tmp/us-china-2025-mapping.csv"
rows=$(wc -l < "$tmp/us-china-2025-mapping.csv")
[ "$(run "$TW" timeline "$tmp/us.tw" --check)" = 2 ] && ok || bad "unused row exit"
[ "$(cat "$tmp/err")" = "tradewar: $tmp/us-china-2025-mapping.csv:$rows: share 0.13 of layer \"us_s232_metals_reduced\" on * -> USA ELEC (ref timeline:99) is used by no action of the scenario, in any branch" ] \
  && ok || bad "unused row message: $(cat "$tmp/err")"
cp data/scenarios/us-china-2025-mapping.csv "$tmp/us-china-2025-mapping.csv"
sed -i 's/USA MACH 15% share 0.13/USA MACH 15% share 0.14/' "$tmp/us.tw"
line=$(grep -n 'USA MACH 15% share 0.14' "$tmp/us.tw" | cut -d: -f1)
row=$(grep -n '^timeline:99,us_s232_metals_reduced,\*,USA,MACH,0.13,' "$tmp/us-china-2025-mapping.csv" | cut -d: -f1)
[ "$(run "$TW" timeline "$tmp/us.tw")" = 2 ] && ok || bad "unstated share exit"
[ "$(cat "$tmp/err")" = "tradewar: $tmp/us.tw:$line:39: share 0.14 of layer \"us_s232_metals_reduced\" on * -> USA MACH (ref timeline:99) is not in the mapping table (its line $row states 0.13 for these cells)" ] \
  && ok || bad "unstated share message: $(cat "$tmp/err")"

finish
