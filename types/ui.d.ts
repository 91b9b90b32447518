// What the map page (ui/) finds on window: its classic scripts and its own code; for the type check of ui/ (tsconfig.ui.json).
import type { Map as MapLibreMap } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import type * as TopoJSON from 'topojson-client';

declare global {
  interface Window {
    /** The map, for tests and for anyone scripting the page. */
    sitrepMap: MapLibreMap;
    /** topojson-client's UMD build (/vendor/topojson-client.js). */
    topojson: typeof TopoJSON;
  }
}
