/// <reference types="vitest/config" />
// Builds the window's UI into ui/dist, which Tauri embeds. Tests (vitest) cover the pure helpers
// in src/lib; tests/mock.html is a dev-only page (served by tests/screenshots.mjs), never bundled.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    // The CSP allows no inline scripts; keep the module preload polyfill out.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
