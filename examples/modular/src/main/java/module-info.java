/** An application module that checks file accesses with ku0 sandbox. */
module example.modular {
    requires dev.ku0.sandbox;
}
