/**
 * Micrometer metrics for Ladle: {@link dev.ladle.micrometer.LadleMetrics} binds a server's
 * {@code ServerStatistics} and a request timer to a {@code MeterRegistry}. A separate module so that
 * {@code dev.ladle.server} keeps depending on nothing but the JDK.
 */
module dev.ladle.micrometer {
    requires transitive dev.ladle.server;
    // micrometer-core has no module descriptor, only the automatic name micrometer.core; its types are in
    // this module's API (MeterBinder, MeterRegistry), so readers of this module must read it too (the pom
    // turns javac's requires-automatic lints off for this line's sake)
    requires transitive micrometer.core;

    exports dev.ladle.micrometer;
}
