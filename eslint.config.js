// ESLint with typescript-eslint's recommended rules: `npm run lint` (part of `npm test`, so CI runs it).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "src/db/generated-kysely/", "data/", "bench/.scratch/", "docs/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
      // A variable first read by a closure and assigned later cannot be const.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // Input checks match control characters on purpose (a USSD text or a name must not hold them).
      "no-control-regex": "off",
    },
  },
  {
    files: ["src/http/console/assets/**/*.js"],
    // The console's one script runs in the browser (TypeScript's checker covers the rest's globals).
    languageOptions: { globals: { window: "readonly", document: "readonly", fetch: "readonly", EventSource: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", console: "readonly" } },
  },
  {
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      // Fake platforms and fuzzers handle arbitrary JSON and numbers past double precision on purpose.
      "@typescript-eslint/no-explicit-any": "off",
      "no-loss-of-precision": "off",
    },
  },
);
