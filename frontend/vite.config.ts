import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Django backend for `npm run dev`; override with CLONYVOICE_BACKEND=http://host:port.
const backend = process.env.CLONYVOICE_BACKEND || "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    // Keys starting with ^ are regular expressions: "/api" alone would also catch the SPA route /api-keys.
    proxy: {
      "^/api(/|$)": { target: backend, changeOrigin: false },
      "^/admin(/|$)": { target: backend, changeOrigin: false },
      "^/static/": { target: backend, changeOrigin: false },
      "^/ws$": { target: backend, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
  },
});
