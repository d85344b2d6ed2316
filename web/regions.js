// regions.js - which region of a world each country on the map belongs to.
//
// The map (world-atlas, Natural Earth 1:110m) names countries by ISO 3166-1
// numeric code; worlds name regions by ISO alpha-3 codes plus aggregates.  A
// map country takes the world's region with its own alpha-3 code when there is
// one, else the EU aggregate `EUR` for the WIOD 2013 EU members (world2011:
// the members not listed separately), else the rest of the world `ROW`.
'use strict';

// EU members covered by WIOD 2013 (EU-27 of 2007-2013; Croatia is in ROW there).
const TW_EU_WIOD = new Set([
  'AUT', 'BEL', 'BGR', 'CYP', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GBR', 'GRC',
  'HUN', 'IRL', 'ITA', 'LTU', 'LUX', 'LVA', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN',
  'SWE',
]);

// codes: rows [alpha2, alpha3, numeric, ...] (i18n-iso-countries codes.json).
function twNumericToAlpha3(codes) {
  const m = new Map();
  for (const row of codes) m.set(String(row[2]).padStart(3, '0'), row[1]);
  return m;
}

// The world region code for a map feature, or null when the world has none.
function twRegionOf(featureId, numToA3, worldCodes) {
  const a3 = featureId != null ? numToA3.get(String(featureId).padStart(3, '0')) : undefined;
  if (a3 && worldCodes.has(a3)) return a3;
  if (a3 && TW_EU_WIOD.has(a3) && worldCodes.has('EUR')) return 'EUR';
  if (worldCodes.has('ROW')) return 'ROW';
  return null;
}
