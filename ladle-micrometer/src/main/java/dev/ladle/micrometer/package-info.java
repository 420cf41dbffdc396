/** Micrometer metrics for a Ladle server: {@link dev.ladle.micrometer.LadleMetrics}. */
package dev.ladle.micrometer;
