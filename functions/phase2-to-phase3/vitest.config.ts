// A relative path: vitest bundles relative imports of its config, not workspace packages.
import { functionVitestConfig } from "../../packages/shared/src/testing/function_vitest_config";

export default functionVitestConfig;
