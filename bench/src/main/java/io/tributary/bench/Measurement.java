package io.tributary.bench;

/**
 * One timed phase ({@code produce} or {@code consume}) on one broker with one client; a
 * non-null {@code problem} means the figures are not valid. Immutable.
 */
record Measurement(
        String broker,
        String client,
        String phase,
        int round,
        long records,
        long bytes,
        long elapsedNs,
        String problem) {
    private static final double MIB = 1024.0 * 1024.0;

    double recordsPerSec() {
        return problem != null ? Double.NaN : records / (elapsedNs / 1e9);
    }

    double mibPerSec() {
        return problem != null ? Double.NaN : bytes / MIB / (elapsedNs / 1e9);
    }

    long elapsedMs() {
        return elapsedNs / 1_000_000;
    }

    /** The median valid measurement (a failed one has no speed), or a failed one if all failed. */
    static Measurement median(java.util.List<Measurement> ms) {
        java.util.List<Measurement> ok = ms.stream()
                .filter(m -> m.problem() == null)
                .sorted(java.util.Comparator.comparingLong(Measurement::elapsedNs))
                .toList();
        // with an even count, the faster of the middle two
        return ok.isEmpty() ? ms.get(0) : ok.get((ok.size() - 1) / 2);
    }
}
