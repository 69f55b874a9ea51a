/** A handful of simple line icons for the navigation, drawn in a 24×24 box. */
const PATHS: Record<string, string> = {
  library: "M4 5h4v14H4zM10 5h4v14h-4zM16.5 5.5l3.5 1-3.6 13-3.5-1z",
  studio: "M12 3a3 3 0 0 1 3 3v6a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM6 11a6 6 0 0 0 12 0M12 17v4M8 21h8",
  clone: "M8 8h11v11H8zM5 16V5h11",
  design: "M4 20l4-1 11-11-3-3L5 16zM14 7l3 3",
  timeline: "M4 6h10M4 12h16M4 18h7M17 4v4M20 10v4M14 16v4",
  montages: "M4 6h16v12H4zM4 10h16M9 6v12M15 6v12",
  history: "M3 12a9 9 0 1 0 3-6.7M3 4v4h4M12 7v5l3 2",
  tools: "M14.5 6.5a4 4 0 0 1-5 5L5 16l3 3 4.5-4.5a4 4 0 0 1 5-5l-2.5 2.5-2-2z",
  dub: "M3 6h8v6H3zM6 12v3l3-3M13 12h8v6h-8zM16 18v3l3-3M14 5l3 3M17 5l-3 3",
  system: "M4 4h16v11H4zM9 19h6M12 15v4M7 11l2-3 2 2 3-4 3 5",
  "api-keys": "M14 10a4 4 0 1 0-3.5 4L12 16h2v2h2v2h4v-4l-5.5-5.5z",
  logout: "M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10",
  menu: "M4 7h16M4 12h16M4 17h16",
  close: "M6 6l12 12M18 6L6 18",
};

export function Icon({ name }: { name: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[name] ?? ""} />
    </svg>
  );
}
