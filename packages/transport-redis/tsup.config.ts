import { defineConfig } from 'tsup';

// The bundler gets its own non-composite tsconfig without workspace `paths`, so sibling packages stay
// external imports in the emitted JavaScript and declarations.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
