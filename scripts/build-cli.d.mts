// Types of scripts/build-cli.mjs, for the TypeScript that imports it (the cli benchmark).
export function buildCli(): Promise<{ id: string; dir: string; ms: number }>;
