export * from "./emulator_suite";
export * from "./emulators";
export * from "./pubsub_rest";
export * from "./webhook_stand_in";
