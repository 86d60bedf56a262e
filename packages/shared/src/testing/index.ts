export * from "./emulator_suite";
export * from "./emulators";
