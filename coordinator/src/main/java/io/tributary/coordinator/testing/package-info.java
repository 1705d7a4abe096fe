/**
 * Deterministic test doubles for the coordinator, published in main code so that tests of this
 * module and of the modules above it (broker, testkit, benchmarks) can drive a coordinator
 * without threads, disks or wall-clock time: {@link io.tributary.coordinator.testing.ManualEventLoop}
 * (a clock that moves only in {@code sleep(ms)}, which fires due timers in order) and
 * {@link io.tributary.coordinator.testing.InMemoryCoordinatorLog} (a log whose durability a test
 * can hold back, release or fail). Not for production wiring: nothing in the coordinator's
 * runtime depends on this package.
 */
package io.tributary.coordinator.testing;
