/** The state cabinet's manifest without operation texts: ids and names (vite.config.mts, persistedIds). */
declare module 'virtual:state-manifest' {
  const manifest: { operations: { id: string; name: string; type: string }[] };
  export default manifest;
}
